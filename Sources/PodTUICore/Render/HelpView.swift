import PodAPI

/// `?`: every binding from the table, with why an action is unavailable right now.
enum HelpView {
    static func draw(_ state: AppState, into screen: inout Screen) {
        if state.form != nil { return drawFormKeys(into: &screen) }
        let rows = KeyBindings.table(remapped: state.keymap)
        // One column when it fits; two side by side on a short screen.
        let columns = rows.count + 5 > screen.size.height && screen.size.width >= 100 ? 2 : 1
        let perColumn = (rows.count + columns - 1) / columns
        let width = columns == 1 ? 72 : min(screen.size.width, 128)
        let inner = Box.draw(title: "Keys (: opens the command line: :gpus :events :sort :filter :profile)", width: width,
                             height: perColumn + 4, into: &screen)
        let columnWidth = columns == 1 ? inner.width : (inner.width - 2) / 2
        for (i, binding) in rows.enumerated() {
            let row = inner.row + i % perColumn
            let col = inner.col + (i / perColumn) * (columnWidth + 2)
            guard row < inner.row + inner.height - 1 else { continue }
            let reason = KeyBindings.unavailableReason(binding.command, state: state)
            let x = screen.put(DisplayWidth.pad(binding.keyLabel, to: 10), row: row, col: col,
                               style: Style(color: .accent, bold: true), maxWidth: columnWidth)
            var text = binding.label + (binding.dangerous ? " (asks first)" : "")
            if let reason { text += " — " + reason }
            screen.put(text, row: row, col: x, style: reason == nil ? .plain : Style(color: .muted, dim: true),
                       maxWidth: max(0, col + columnWidth - x))
        }
        screen.put("any key closes", row: inner.row + inner.height - 1, col: inner.col, style: Style(color: .muted), maxWidth: inner.width)
    }
}

extension HelpView {
    /// The form's keys (F1 in the form).
    static func drawFormKeys(into screen: inout Screen) {
        let rows = FormKeys.help
        let inner = Box.draw(title: "Create form keys", width: 64, height: rows.count + 4, into: &screen)
        for (i, (key, text)) in rows.enumerated() where i < inner.height - 1 {
            let x = screen.put(DisplayWidth.pad(key, to: 16), row: inner.row + i, col: inner.col, style: Style(color: .accent, bold: true), maxWidth: inner.width)
            screen.put(text, row: inner.row + i, col: x, maxWidth: max(0, inner.col + inner.width - x))
        }
        screen.put("any key closes", row: inner.row + inner.height - 1, col: inner.col, style: Style(color: .muted), maxWidth: inner.width)
    }
}
