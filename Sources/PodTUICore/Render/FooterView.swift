import Foundation
import PodAPI

/// The footer: keys that work here and now, from the bindings table.
enum FooterView {
    static func draw(_ state: AppState, into screen: inout Screen, row: Int) {
        let w = screen.size.width
        var x = 0
        let items: [(String, String, Bool)]
        switch state.overlay {
        case .confirmDelete?:
            items = [("y", "delete", true), ("n/Esc", "cancel", true), ("Tab", "switch button", true), ("↵", "choose", true)]
        case .confirmBulk?:
            items = [("y", "go ahead", true), ("n/Esc/↵", "cancel", true)]
        case nil where state.input?.kind == .filter:
            items = [("↵", "keep filter", true), ("Esc", "clear", true), ("↑↓", "move", true), ("status:/region:/gpu:/image:/id:", "fields", true), ("!", "not", true)]
        case nil where state.input?.kind == .command:
            items = [("↵", "run", true), ("Tab", "complete", true), ("Esc", "cancel", true)]
        case nil where state.form == nil && state.view != .pods:
            items = [("Esc", "back to pods", true), ("↑↓", "scroll", true), (":", "command", true), ("q", "back", true)]
        case .help?:
            items = [("any key", "close help", true)]
        case nil where state.form != nil:
            items = FormKeys.footer(state.form ?? CreateFormState())
        case nil:
            items = KeyBindings.table(remapped: state.keymap).filter { $0.inFooter && $0.focus.contains(state.focus) }.map {
                ($0.keyLabel, $0.label, KeyBindings.unavailableReason($0.command, state: state) == nil)
            }
        }
        // Too long: drop from just before the last two (help and quit matter most).
        var shown = items
        func width(_ list: [(String, String, Bool)]) -> Int { list.reduce(0) { $0 + DisplayWidth.of($1.0) + DisplayWidth.of($1.1) + 3 } }
        while width(shown) > w, shown.count > 3 { shown.remove(at: shown.count - 3) }
        for (key, label, enabled) in shown {
            guard x < w else { break }
            let keyStyle = enabled ? Style(color: .accent, bold: true) : Style(color: .muted, dim: true)
            let labelStyle = enabled ? Style.plain : Style(color: .muted, dim: true)
            x = screen.put(" " + key, row: row, col: x, style: keyStyle, maxWidth: w - x)
            x = screen.put(" " + label + " ", row: row, col: x, style: labelStyle, maxWidth: w - x)
        }
    }
}
