import FoundationEssentials
import PodAPI

/// `:forwards`: each port-forward `F` started, with its local URL and its state.
enum ForwardsView {
    static func draw(_ state: AppState, into screen: inout Screen, top: Int, bottom: Int) {
        let w = screen.size.width
        let items = state.forwards.items
        screen.put(" Port-forwards (\(items.count)) · on 127.0.0.1 only, through your ssh · they end when podtui does", row: top, col: 0,
                   style: Style(color: .accent, bold: true), maxWidth: w)
        guard !items.isEmpty else {
            screen.put(" No port-forwards. On a RUNNING pod, F starts one.", row: top + 2, col: 0, style: Style(color: .muted), maxWidth: w)
            return
        }
        let rows = max(1, bottom - top - 2)
        let selectedIndex = state.forwards.selected
        let first = max(0, min(selectedIndex - rows + 1, items.count - rows))
        for (offset, forward) in items.dropFirst(first).prefix(rows).enumerated() {
            let index = first + offset
            let row = top + 2 + offset
            let selected = index == selectedIndex
            let style = selected ? Style(color: .selection, reverse: true) : .plain
            screen.fill(row: row, col: 0, width: w, style: style)
            let phase: String
            switch forward.phase {
            case .starting: phase = "starting…"
            case .ready: phase = "listening"
            case .stopping: phase = "stopping…"
            }
            let text = (selected ? "▸" : " ") + DisplayWidth.pad(forward.ports.localURL, to: 26) + "→ port "
                + DisplayWidth.pad(String(forward.ports.remote), to: 6) + " of "
                + DisplayWidth.pad(DisplayWidth.truncate(TextSafety.clean(forward.podLabel), to: 28), to: 29) + phase
            screen.put(text, row: row, col: 0, style: style, maxWidth: w)
        }
    }
}
