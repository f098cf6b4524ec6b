import PodAPI

/// `?` (F1 in the form): every binding of the mode under the box, from the table, with why
/// a command is unavailable right now.
enum HelpView {
    static func draw(_ state: AppState, into screen: inout Screen) {
        let mode = Mode.underHelp(state)
        // The list's help also covers the detail pane (one box for the two panes).
        let plugins = state.plugins.offered(readOnly: state.settings.readOnly)
        var rows = KeyBindings.bindings(in: mode, keymap: state.settings.keymap, plugins: plugins)
        if mode == .list {
            let listed = Set(rows.map(\.command))
            rows += KeyBindings.bindings(in: .detail, keymap: state.settings.keymap, plugins: plugins).filter { !listed.contains($0.command) }
        }
        // One column when it fits; two side by side on a short screen.
        let columns = rows.count + 5 > screen.size.height && screen.size.width >= 100 ? 2 : 1
        let perColumn = (rows.count + columns - 1) / columns
        let keyWidth = min(24, (rows.map { DisplayWidth.of($0.keyLabel) }.max() ?? 8) + 2)
        let width = columns == 1 ? 76 : min(screen.size.width, 128)
        let title = mode == .list || mode == .detail ? "Keys (: opens the command line: :gpus :events :sort :filter :profile)" : "Keys: \(mode.title)"
        let inner = Box.draw(title: title, width: width, height: perColumn + 4, into: &screen)
        let columnWidth = columns == 1 ? inner.width : (inner.width - 2) / 2
        for (i, binding) in rows.enumerated() {
            let row = inner.row + i % perColumn
            let col = inner.col + (i / perColumn) * (columnWidth + 2)
            guard row < inner.row + inner.height - 1 else { continue }
            // The detail pane's rows under the list's help are asked in their own pane.
            let reason = Availability.reason(binding.command, in: binding.modes.contains(mode) ? mode : .detail, state)
            let x = screen.put(DisplayWidth.pad(binding.keyLabel, to: keyWidth), row: row, col: col,
                               style: Style(color: .accent, bold: true), maxWidth: columnWidth)
            // The full description when it fits the column, else the short label.
            let room = max(0, col + columnWidth - x)
            let asks = binding.dangerous ? " (asks first)" : ""
            var text = DisplayWidth.of(binding.description + asks) <= room ? binding.description + asks : binding.label + asks
            if let reason { text += " — " + reason }
            screen.put(text, row: row, col: x, style: reason == nil ? .plain : Style(color: .muted, dim: true),
                       maxWidth: max(0, col + columnWidth - x))
        }
        screen.put("any key closes", row: inner.row + inner.height - 1, col: inner.col, style: Style(color: .muted), maxWidth: inner.width)
    }
}
