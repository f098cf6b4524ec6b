import FoundationEssentials
import PodAPI

/// The `/` or `:` line being typed, with the cursor and, for `:`, what Tab can complete.
enum InputView {
    static func draw(_ state: AppState, _ input: InputLine, into screen: inout Screen, row: Int) {
        let w = screen.size.width
        let prompt = input.kind == .filter ? "/" : ":"
        var x = screen.put(prompt, row: row, col: 0, style: Style(color: .accent, bold: true))
        let view = input.editor.visible(width: max(2, w - x - 1))
        x = screen.put(TextSafety.clean(view.text), row: row, col: x, style: Style(bold: true))
        screen.restyle(row: row, col: 1 + view.cursorColumn, width: 1) { $0.reverse = true }
        var hint: String
        if input.kind == .filter {
            hint = "\(state.fleet.pods.count) of \(state.fleet.allPods.count)"
        } else {
            let first = input.editor.text.split(separator: " ").first.map { String($0).lowercased() } ?? ""
            let matches = LineCommands.all.filter { first.isEmpty || $0.name.hasPrefix(first) || first.hasPrefix($0.name) }
            hint = matches.count == 1 ? matches[0].usage : matches.map(\.name).joined(separator: " ")
        }
        hint = "   " + hint
        if x + 2 < w { screen.put(hint, row: row, col: x + 1, style: Style(color: .muted), maxWidth: w - x - 1) }
    }
}
