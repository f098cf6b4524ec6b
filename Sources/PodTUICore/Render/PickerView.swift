import PodAPI

/// The list a picker field chooses from, narrowed by what is typed.
enum PickerView {
    static func draw(_ state: AppState, _ form: CreateFormState, _ picker: PickerState, into screen: inout Screen) {
        guard let choices = try? state.catalog.choices(for: picker.item, values: form.values).get() else { return }
        let shown = picker.filter(choices)
        let visibleRows = max(1, min(12, screen.size.height - 8, choices.count))
        let inner = Box.draw(title: picker.title, width: 84, height: min(screen.size.height, visibleRows + 4), into: &screen)
        guard inner.height >= 3 else { return }
        var x = screen.put("Filter: ", row: inner.row, col: inner.col, style: Style(color: .muted), maxWidth: inner.width)
        let view = picker.query.visible(width: max(2, inner.col + inner.width - x))
        x = screen.put(TextSafety.clean(view.text), row: inner.row, col: x, style: Style(bold: true, underline: true))
        screen.restyle(row: inner.row, col: inner.col + 8 + view.cursorColumn, width: 1) { $0.reverse = true }
        let rows = inner.height - 2
        let chosen = Set(form.values.regionList)
        let first = max(0, min(picker.highlight - rows + 1, max(0, shown.count - rows)))
        if shown.isEmpty {
            screen.put("nothing matches \"\(TextSafety.clean(picker.query.text))\"", row: inner.row + 1, col: inner.col, style: Style(color: .muted), maxWidth: inner.width)
        }
        for (offset, choice) in shown.dropFirst(first).prefix(rows).enumerated() {
            let index = first + offset
            let row = inner.row + 1 + offset
            let highlighted = index == picker.highlight
            var text = highlighted ? "▸ " : "  "
            if picker.isMulti { text += chosen.contains(choice.value) ? "[x] " : "[ ] " }
            let style = Style(color: choice.enabled ? .normal : .muted, bold: highlighted, reverse: highlighted, dim: !choice.enabled)
            screen.fill(row: row, col: inner.col, width: inner.width, style: highlighted ? style : .plain)
            var cx = screen.put(text + TextSafety.clean(choice.label), row: row, col: inner.col, style: style, maxWidth: inner.width)
            cx = max(cx + 2, inner.col + 26)
            screen.put(TextSafety.clean(choice.detail), row: row, col: cx, style: highlighted ? style : Style(color: .muted),
                       maxWidth: max(0, inner.col + inner.width - cx))
        }
        // The same keys as the footer, from the bindings table.
        let hint = KeyBindings.footerItems(state).map { "\($0.key) \($0.label)" }.joined(separator: " · ")
        screen.put(hint + "  (\(shown.count)/\(choices.count))", row: inner.row + inner.height - 1, col: inner.col, style: Style(color: .muted), maxWidth: inner.width)
    }
}
