import FoundationEssentials
import PodAPI

/// The `/` or `:` line being typed, with the cursor and, for `:`, what Tab can complete.
enum InputView {
    static func draw(_ state: AppState, _ input: InputLine, into screen: inout Screen, row: Int) {
        let w = screen.size.width
        let prompt: String
        switch input.kind {
        case .filter: prompt = "/"
        case .command: prompt = ":"
        case .timer: prompt = "pause in: "
        case .forward: prompt = "forward port: "
        }
        var x = screen.put(prompt, row: row, col: 0, style: Style(color: .accent, bold: true))
        let view = input.editor.visible(width: max(2, w - x - 1))
        x = screen.put(TextSafety.clean(view.text), row: row, col: x, style: Style(bold: true))
        screen.restyle(row: row, col: DisplayWidth.of(prompt) + view.cursorColumn, width: 1) { $0.reverse = true }
        var hint: String
        if input.kind == .filter {
            hint = "\(state.fleet.pods.count) of \(state.fleet.allPods.count)"
        } else if case .timer(let ids) = input.kind {
            hint = "Tab: \(TimerPresets.all.joined(separator: " ")) · or 45m, 1h30m, 18:30 · ↵ sets it for \(ids.count == 1 ? "the pod" : "\(ids.count) pods") · Esc cancels"
        } else if case .forward(let podID) = input.kind {
            let ports = state.fleet.allPods.first { $0.id == podID }.map(Forward.exposedPorts) ?? []
            hint = "REMOTE[:LOCAL] · " + (ports.isEmpty ? "" : "Tab: \(ports.map(String.init).joined(separator: " ")) · ")
                + "LOCAL: the same or the next free · ↵ starts it · Esc cancels"
        } else {
            let first = input.editor.text.split(separator: " ").first.map { String($0).lowercased() } ?? ""
            let matches = LineCommand.allCases.filter { first.isEmpty || $0.rawValue.hasPrefix(first) || first.hasPrefix($0.rawValue) }
            hint = matches.count == 1 ? matches[0].usage : matches.map(\.rawValue).joined(separator: " ")
        }
        hint = "   " + hint
        if x + 2 < w { screen.put(hint, row: row, col: x + 1, style: Style(color: .muted), maxWidth: w - x - 1) }
    }
}
