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

/// Bulk confirmation: lists the marked pods, which ones the action applies to and the $/h it saves.
enum BulkConfirmView {
    static func draw(_ state: AppState, action: PodAction, into screen: inout Screen) {
        let plan = BulkPlan(action: action, state: state)
        let listed = plan.applicable.map { ($0, Optional<String>.none) } + plan.skipped.map { ($0.pod, Optional($0.reason)) }
        let height = min(screen.size.height, listed.count + 5)
        let danger = action == .delete
        let inner = Box.draw(title: "\(action.rawValue.capitalized) \(plan.applicable.count) marked pod\(plan.applicable.count == 1 ? "" : "s")?",
                             width: 72, height: height, into: &screen, style: Style(color: danger ? .bad : .warn))
        let participle = action == .pause ? "paused" : action == .resume ? "resumed" : "deleted"
        var summary = "\(plan.applicable.count) will be \(participle)"
        if !plan.skipped.isEmpty { summary += ", \(plan.skipped.count) skipped" }
        if plan.savingsPerHour > 0 { summary += " · saves $\(Format.price(plan.savingsPerHour))/h" }
        if danger { summary += " · cannot be undone" }
        screen.put(summary, row: inner.row, col: inner.col, style: Style(bold: true), maxWidth: inner.width)
        let rows = max(0, inner.height - 3)
        for (i, (pod, reason)) in listed.prefix(rows).enumerated() {
            let r = inner.row + 1 + i
            let mark = reason == nil ? "✓ " : "– "
            var x = screen.put(mark + DisplayWidth.pad(TextSafety.clean(pod.label), to: 24), row: r, col: inner.col,
                               style: reason == nil ? .plain : Style(color: .muted), maxWidth: inner.width)
            x = screen.put(" " + StatusStyle.label(pod.status), row: r, col: x, style: Style(color: StatusStyle.color(pod.status)),
                           maxWidth: max(0, inner.col + inner.width - x))
            let tail = reason.map { "  skipped: \($0)" } ?? (pod.pricePerHour.map { "  $\(Format.price($0))/h" } ?? "")
            screen.put(tail, row: r, col: x, style: Style(color: .muted), maxWidth: max(0, inner.col + inner.width - x))
        }
        if listed.count > rows {
            screen.put("… and \(listed.count - rows) more", row: inner.row + 1 + rows, col: inner.col, style: Style(color: .muted), maxWidth: inner.width)
        }
        screen.put("y \(action.rawValue)s them · n, Esc or ↵ cancels", row: inner.row + inner.height - 1, col: inner.col,
                   style: Style(color: .muted), maxWidth: inner.width)
    }
}
