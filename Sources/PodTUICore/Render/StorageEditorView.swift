import PodAPI

/// The small form over `:volumes` and `:credentials`: one line per field, the focused one
/// with a cursor, a secret as dots, the last refusal in red, and the keys.
enum StorageEditorView {
    static func draw(_ state: AppState, _ editor: StorageEditor, into screen: inout Screen) {
        let height = editor.fields.count + 5
        let inner = Box.draw(title: editor.title, width: 76, height: min(screen.size.height, height), into: &screen)
        guard inner.height >= 2, inner.width >= 10 else { return }
        let labelWidth = min(13, max(4, inner.width / 3))
        for (i, field) in editor.fields.enumerated() where i < inner.height - 2 {
            let row = inner.row + i
            let focused = i == editor.focus
            let flagged = editor.errorField == field.key
            let label = DisplayWidth.pad(DisplayWidth.truncate(field.label, to: labelWidth), to: labelWidth)
            var x = screen.put((focused ? "▸ " : "  ") + label + " ", row: row, col: inner.col,
                               style: Style(color: flagged ? .bad : focused ? .accent : .normal, bold: focused), maxWidth: inner.width)
            let room = max(1, min(28, inner.col + inner.width - x))
            switch field.kind {
            case .choice(let options):
                for option in options {
                    let chosen = option == field.value
                    let text = option.isEmpty ? "none" : option
                    x = screen.put(chosen ? "(•) \(text)" : "( ) \(text)", row: row, col: x,
                                   style: Style(color: chosen ? .accent : .muted, bold: chosen && focused, reverse: chosen && focused),
                                   maxWidth: max(0, inner.col + inner.width - x))
                    x = screen.put(" ", row: row, col: x, maxWidth: max(0, inner.col + inner.width - x))
                }
            case .secret:
                // Never the text: one dot per character, so the length can be checked.
                let dots = String(repeating: "•", count: min(field.value.count, room - 1))
                let shown = DisplayWidth.pad(dots, to: room)
                screen.put(shown, row: row, col: x, style: Style(underline: true), maxWidth: room)
                if focused { screen.restyle(row: row, col: x + min(field.value.count, room - 1), width: 1) { $0.reverse = true } }
                x += room
            case .text, .number:
                let view = field.editor.visible(width: room)
                screen.put(DisplayWidth.pad(TextSafety.clean(view.text), to: room), row: row, col: x, style: Style(underline: true), maxWidth: room)
                if focused { screen.restyle(row: row, col: x + view.cursorColumn, width: 1) { $0.reverse = true } }
                x += room
            }
            if !field.hint.isEmpty, x + 2 < inner.col + inner.width {
                screen.put(field.hint, row: row, col: x + 1, style: Style(color: .muted, dim: true), maxWidth: inner.col + inner.width - x - 1)
            }
        }
        if let error = editor.error {
            screen.put(state.settings.redactor.redact(TextSafety.clean(error)), row: inner.row + inner.height - 2, col: inner.col,
                       style: Style(color: .bad, bold: true), maxWidth: inner.width)
        } else if editor.submitting {
            screen.put("Sending…", row: inner.row + inner.height - 2, col: inner.col, style: Style(color: .busy), maxWidth: inner.width)
        }
        let hint = KeyBindings.footerItems(state).map { "\($0.key) \($0.label)" }.joined(separator: " · ")
        screen.put(hint, row: inner.row + inner.height - 1, col: inner.col, style: Style(color: .muted), maxWidth: inner.width)
    }
}
