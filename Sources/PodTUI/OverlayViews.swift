import PodAPI

/// A bordered box centred on the screen.
enum Box {
    /// Draws a box of at most `width`×`height` and returns its inner origin and size.
    static func draw(title: String, width: Int, height: Int, into screen: inout Screen, style: Style = Style(color: .accent)) -> (row: Int, col: Int, width: Int, height: Int) {
        let w = min(width, screen.size.width)
        let h = min(height, screen.size.height)
        let top = max(0, (screen.size.height - h) / 2)
        let left = max(0, (screen.size.width - w) / 2)
        for row in top..<(top + h) { screen.fill(row: row, col: left, width: w, style: .plain) }
        let inner = max(0, w - 2)
        screen.put("┌" + String(repeating: "─", count: inner) + "┐", row: top, col: left, style: style)
        for row in (top + 1)..<max(top + 1, top + h - 1) {
            screen.put("│", row: row, col: left, style: style)
            screen.put("│", row: row, col: left + w - 1, style: style)
        }
        screen.put("└" + String(repeating: "─", count: inner) + "┘", row: top + h - 1, col: left, style: style)
        screen.put(" " + title + " ", row: top, col: left + 2, style: Style(color: style.color, bold: true), maxWidth: max(0, w - 4))
        return (top + 1, left + 2, max(0, w - 4), max(0, h - 2))
    }
}

/// `?`: every binding from the table, with why an action is unavailable right now.
enum HelpView {
    static func draw(_ state: AppState, into screen: inout Screen) {
        if state.form != nil { return drawFormKeys(into: &screen) }
        let rows = KeyBindings.all
        let inner = Box.draw(title: "Keys", width: 64, height: rows.count + 4, into: &screen)
        for (i, binding) in rows.enumerated() where i < inner.height - 1 {
            let reason = KeyBindings.unavailableReason(binding.command, state: state)
            let x = screen.put(DisplayWidth.pad(binding.keyLabel, to: 12), row: inner.row + i, col: inner.col,
                               style: Style(color: .accent, bold: true), maxWidth: inner.width)
            var text = binding.label + (binding.dangerous ? " (asks first)" : "")
            if let reason { text += " — " + reason }
            screen.put(text, row: inner.row + i, col: x, style: reason == nil ? .plain : Style(color: .muted, dim: true),
                       maxWidth: max(0, inner.col + inner.width - x))
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

/// The delete confirmation: names the pod; Cancel is focused, so Enter alone cancels.
enum ConfirmView {
    static func draw(_ state: AppState, podID: Int64, name: String, deleteFocused: Bool, into screen: inout Screen) {
        let inner = Box.draw(title: "Delete pod?", width: 56, height: 8, into: &screen, style: Style(color: .bad))
        var x = screen.put("Delete ", row: inner.row, col: inner.col, maxWidth: inner.width)
        x = screen.put(TextSafety.clean(name), row: inner.row, col: x, style: Style(bold: true), maxWidth: max(0, inner.col + inner.width - x))
        screen.put("id \(podID)", row: inner.row + 1, col: inner.col, style: Style(color: .muted), maxWidth: inner.width)
        screen.put("This cannot be undone.", row: inner.row + 2, col: inner.col, style: Style(color: .bad), maxWidth: inner.width)
        let cancel = "[ Cancel ]", delete = "[ Delete ]"
        let row = inner.row + inner.height - 1
        let cx = screen.put(cancel, row: row, col: inner.col, style: Style(color: .accent, bold: !deleteFocused, reverse: !deleteFocused), maxWidth: inner.width)
        screen.put(delete, row: row, col: cx + 2, style: Style(color: .bad, bold: deleteFocused, reverse: deleteFocused),
                   maxWidth: max(0, inner.col + inner.width - cx - 2))
    }
}
