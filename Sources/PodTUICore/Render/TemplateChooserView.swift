import PodAPI

/// "Start from": the empty form or a saved template, above the create form.
enum TemplateChooserView {
    static func draw(_ state: AppState, selected: Int, into screen: inout Screen) {
        let choices = ["empty form"] + state.templates
        let height = min(screen.size.height, min(choices.count, 12) + 3)
        let inner = Box.draw(title: "Start from", width: 52, height: height, into: &screen)
        guard inner.height >= 2 else { return }
        let rows = inner.height - 1
        let first = max(0, min(selected - rows + 1, choices.count - rows))
        for (offset, choice) in choices.dropFirst(first).prefix(rows).enumerated() {
            let index = first + offset
            let highlighted = index == selected
            let style = highlighted ? Style(color: .selection, bold: true, reverse: true) : Style(color: index == 0 ? .muted : .normal)
            screen.fill(row: inner.row + offset, col: inner.col, width: inner.width, style: highlighted ? style : .plain)
            screen.put((highlighted ? "▸ " : "  ") + TextSafety.clean(choice), row: inner.row + offset, col: inner.col, style: style, maxWidth: inner.width)
        }
        let hint = KeyBindings.footerItems(state).map { "\($0.key) \($0.label)" }.joined(separator: " · ")
        screen.put(hint, row: inner.row + inner.height - 1, col: inner.col, style: Style(color: .muted), maxWidth: inner.width)
    }
}
