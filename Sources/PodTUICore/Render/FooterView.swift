import FoundationEssentials
import PodAPI

/// The footer: keys that work here and now, from the bindings table (`KeyBindings.footerItems`).
enum FooterView {
    static func draw(_ state: AppState, into screen: inout Screen, row: Int) {
        let w = screen.size.width
        for placed in FooterLayout.place(KeyBindings.footerItems(state), width: w) {
            let item = placed.item
            let keyStyle = item.enabled ? Style(color: .accent, bold: true) : Style(color: .muted, dim: true)
            let labelStyle = item.enabled ? Style.plain : Style(color: .muted, dim: true)
            let x = screen.put(" " + item.key, row: row, col: placed.columns.lowerBound, style: keyStyle, maxWidth: max(0, w - placed.columns.lowerBound))
            screen.put(" " + item.label + " ", row: row, col: x, style: labelStyle, maxWidth: max(0, w - x))
        }
    }
}
