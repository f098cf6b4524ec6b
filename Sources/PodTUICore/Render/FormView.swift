import PodAPI

/// The create form: grouped fields with their errors beside them (or below, when the
/// terminal is narrow), row lists for env/ports/volumes, the buttons, and the picker,
/// discard and command-line boxes on top. Scrolls to keep the focused cell in view.
enum FormView {
    /// One line of the form's scrolling content.
    enum Line: Equatable {
        case section(String)
        case field(FormField)
        case env(Int), port(Int), volume(Int)
        case add(FormItem, label: String, text: String)
        /// An error or note under the line above, at the value column.
        case note(String, Style)
        case blank
        case buttons

        /// The items this line shows (for scrolling to the focus).
        var items: [FormItem] {
            switch self {
            case .field(let f): [.field(f)]
            case .env(let i): [.envKey(i), .envValue(i), .envSecret(i)]
            case .port(let i): [.portNumber(i), .portProtocol(i)]
            case .volume(let i): [.volumeID(i), .volumeMount(i), .volumeBackup(i)]
            case .add(let item, _, _): [item]
            case .buttons: [.submit, .cancel]
            default: []
            }
        }
    }

    /// Column widths for a terminal width.
    struct Metrics {
        let width: Int
        var labelWidth: Int { width >= 70 ? 21 : 13 }
        var valueCol: Int { labelWidth + 1 }
        var valueWidth: Int { max(8, min(44, width - valueCol - 2)) }
        var noteCol: Int { valueCol + valueWidth + 2 }
        /// Errors go beside the value when at least this much room is left, else below.
        var notesInline: Bool { width - noteCol >= 44 }   // room for the usual message; else below
    }

    static func lines(_ form: CreateFormState, errors: [FormItem: String], notes: [FormField: (String, Style)], metrics: Metrics) -> [Line] {
        var out: [Line] = []
        let bad = Style(color: .bad, bold: true)
        func rowNotes(_ items: [FormItem], names: [String]) {
            for (item, name) in zip(items, names) { if let e = errors[item] { out.append(.note("✗ \(name)\(e)", bad)) } }
        }
        for section in FormSection.allCases {
            out.append(.section(section.rawValue))
            for field in section.fields {
                out.append(.field(field))
                if !metrics.notesInline {
                    if let e = errors[.field(field)] { out.append(.note("✗ " + e, bad)) } else if let n = notes[field] { out.append(.note(n.0, n.1)) }
                }
            }
            switch section {
            case .startup:
                for i in form.values.env.indices {
                    out.append(.env(i))
                    rowNotes([.envKey(i), .envValue(i)], names: ["key ", "value "])
                }
                out.append(.add(.addEnv, label: form.values.env.isEmpty ? "Environment" : "", text: "+ add variable"))
                for i in form.values.ports.indices {
                    out.append(.port(i))
                    rowNotes([.portNumber(i), .portProtocol(i)], names: ["port ", "protocol "])
                }
                out.append(.add(.addPort, label: form.values.ports.isEmpty ? "Exposed ports" : "", text: "+ add port"))
            case .storage:
                for i in form.values.volumes.indices {
                    out.append(.volume(i))
                    rowNotes([.volumeID(i), .volumeMount(i)], names: ["volume id ", "mount path "])
                }
                out.append(.add(.addVolume, label: form.values.volumes.isEmpty ? "Attach volumes" : "", text: "+ attach existing volume"))
            default: break
            }
        }
        out.append(.blank)
        out.append(.buttons)
        return out
    }

    static func draw(_ state: AppState, _ form: CreateFormState, into screen: inout Screen, top: Int, bottom: Int) {
        let w = screen.size.width
        let m = Metrics(width: w)
        let check = form.check(catalog: state.catalog)
        // Server messages can echo what was sent (a registry password): redacted here, once.
        let errors = form.visibleErrors(check).mapValues(state.settings.redactor.redact)
        let notes = pickerNotes(state.catalog).mapValues { (state.settings.redactor.redact($0.0), $0.1) }

        // Title line: what this is, and how to leave or send it.
        var row = top
        var x = screen.put(" " + form.title, row: row, col: 0, style: Style(color: .accent, bold: true), maxWidth: w)
        let status = form.submitting ? "creating…" : (form.isDirty ? "edited" : "")
        if !status.isEmpty { x = screen.put("  (" + status + ")", row: row, col: x, style: Style(color: .muted), maxWidth: max(0, w - x)) }
        let hint = KeyBindings.bindings(in: .form, keymap: state.settings.keymap).filter { [.submit, .cancel].contains($0.command) }
            .map { "\($0.keys.first?.label ?? "") \($0.label)" }.joined(separator: " · ")
        if w - x > DisplayWidth.of(hint) + 2 {
            screen.put(hint, row: row, col: w - DisplayWidth.of(hint) - 1, style: Style(color: .muted))
        }
        row += 1
        if let message = form.serverMessage {
            screen.put(" ✗ " + state.settings.redactor.redact(message), row: row, col: 0, style: Style(color: .bad, bold: true), maxWidth: w)
            row += 1
        }
        let height = bottom - row
        guard height > 0 else { return }

        let content = lines(form, errors: errors, notes: notes, metrics: m)
        let focusLine = content.firstIndex { $0.items.contains(form.focus) } ?? 0
        // The focused line and the one after it stay in view; from the top, scroll only when needed.
        let first = max(0, min(content.count - height, focusLine - height + 2))
        for (offset, line) in content.dropFirst(first).prefix(height).enumerated() {
            drawLine(line, state: state, form: form, errors: errors, notes: notes, metrics: m, into: &screen, row: row + offset)
        }
        if first > 0 { screen.put("↑", row: row, col: w - 1, style: Style(color: .accent, bold: true)) }
        if first + height < content.count { screen.put("↓", row: bottom - 1, col: w - 1, style: Style(color: .accent, bold: true)) }

        // The picker, the prompt and the command line are layers of their own (`Modal`):
        // `Render` draws them over this in the stack's order.
    }

    /// Notes for picker fields whose list is loading or unavailable.
    static func pickerNotes(_ catalog: Catalog) -> [FormField: (String, Style)] {
        var notes: [FormField: (String, Style)] = [:]
        func note(_ state: Loadable<some Sendable & Equatable>, _ fields: [FormField]) {
            switch state {
            case .failed(let why):
                for f in fields { notes[f] = ("list unavailable (\(why)): type it · ^R retry", Style(color: .warn)) }
            case .loading, .notLoaded:
                for f in fields { notes[f] = ("loading the list…", Style(color: .muted)) }
            case .loaded: break
            }
        }
        note(catalog.gpuTypes, [.gpuType, .regions])
        note(catalog.credentials, [.credential])
        return notes
    }

    // MARK: - Lines

    private static func drawLine(_ line: Line, state: AppState, form: CreateFormState, errors: [FormItem: String],
                                 notes: [FormField: (String, Style)], metrics m: Metrics, into screen: inout Screen, row: Int) {
        let w = screen.size.width
        switch line {
        case .section(let title):
            let x = screen.put(" " + title + " ", row: row, col: 0, style: Style(color: .accent, bold: true), maxWidth: w)
            screen.put(String(repeating: "─", count: max(0, min(w, m.noteCol) - x - 1)), row: row, col: x, style: Style(color: .muted))
        case .blank:
            break
        case .note(let text, let style):
            screen.put(text, row: row, col: m.valueCol, style: style, maxWidth: max(0, w - m.valueCol))
        case .field(let field):
            let item = FormItem.field(field)
            drawLabel(field.label, focused: form.focus == item, row: row, into: &screen, metrics: m)
            switch field.kind {
            case .cycle(let options):
                drawOptions(options, selected: form.values[field], focused: form.focus == item, row: row, col: m.valueCol, into: &screen)
            default:
                textCell(form, item, placeholder: field.placeholder, masked: field.kind == .secret,
                         decoration: decoration(field, form.values, state.catalog), list: field.kind == .picker,
                         row: row, col: m.valueCol, width: m.valueWidth, into: &screen)
            }
            if m.notesInline {
                if let e = errors[item] {
                    screen.put("✗ " + e, row: row, col: m.noteCol, style: Style(color: .bad, bold: true), maxWidth: max(0, w - m.noteCol))
                } else if let n = notes[field] {
                    screen.put(n.0, row: row, col: m.noteCol, style: n.1, maxWidth: max(0, w - m.noteCol))
                }
            }
        case .env(let i):
            let focused = [FormItem.envKey(i), .envValue(i), .envSecret(i)].contains(form.focus)
            drawLabel(i == 0 ? "Environment" : "", focused: focused, row: row, into: &screen, metrics: m)
            let row_ = form.values.env[i]
            let keyWidth = min(18, max(6, (w - m.valueCol) / 3))
            var x = textCell(form, .envKey(i), placeholder: "KEY", row: row, col: m.valueCol, width: keyWidth, into: &screen)
            x = screen.put(" = ", row: row, col: x, style: Style(color: .muted))
            let valueWidth = max(4, min(32, w - x - 12))
            x = textCell(form, .envValue(i), placeholder: "value", masked: row_.secret, row: row, col: x, width: valueWidth, into: &screen)
            checkbox("secret", on: row_.secret, focused: form.focus == .envSecret(i), row: row, col: x + 1, into: &screen)
        case .port(let i):
            let focused = [FormItem.portNumber(i), .portProtocol(i)].contains(form.focus)
            drawLabel(i == 0 ? "Exposed ports" : "", focused: focused, row: row, into: &screen, metrics: m)
            let x = textCell(form, .portNumber(i), placeholder: "port", row: row, col: m.valueCol, width: 7, into: &screen)
            drawOptions(CreateRequestValidator.protocols, selected: form.values.ports[i].proto, focused: form.focus == .portProtocol(i),
                    row: row, col: x + 2, into: &screen)
        case .volume(let i):
            let focused = [FormItem.volumeID(i), .volumeMount(i), .volumeBackup(i)].contains(form.focus)
            drawLabel(i == 0 ? "Attach volumes" : "", focused: focused, row: row, into: &screen, metrics: m)
            var x = textCell(form, .volumeID(i), placeholder: "volume id", row: row, col: m.valueCol, width: 12, into: &screen)
            x = screen.put(" at ", row: row, col: x, style: Style(color: .muted))
            x = textCell(form, .volumeMount(i), placeholder: "/mount/path", row: row, col: x, width: max(6, min(24, w - x - 12)), into: &screen)
            x = checkbox("backup", on: form.values.volumes[i].backup, focused: form.focus == .volumeBackup(i), row: row, col: x + 1, into: &screen)
            // The chosen volume by name, so an id is never all the user sees.
            if let id = PodID.parse(form.values.volumes[i].volumeID) {
                let name = state.catalog.volume(id).map { "  \(TextSafety.clean($0.label)) · \(VolumeText.summary($0))" } ?? ""
                screen.put(name, row: row, col: x, style: Style(color: .muted), maxWidth: max(0, w - x))
            }
        case .add(let item, let labelText, let button):
            drawLabel(labelText, focused: form.focus == item, row: row, into: &screen, metrics: m)
            let focused = form.focus == item
            let x = screen.put(button, row: row, col: m.valueCol, style: Style(color: .accent, bold: focused, reverse: focused), maxWidth: max(0, w - m.valueCol))
            if focused {
                let hint = item == .addEnv ? "  ↵ adds a row · ^X removes the row you are on" : "  ↵ adds a row"
                screen.put(hint, row: row, col: x, style: Style(color: .muted), maxWidth: max(0, w - x))
            }
        case .buttons:
            let create = form.submitting ? "[ Creating… ]" : "[ Create ]"
            var x = screen.put(create, row: row, col: m.valueCol, style: Style(color: .good, bold: true, reverse: form.focus == .submit),
                               maxWidth: max(0, w - m.valueCol))
            x = screen.put("  ", row: row, col: x)
            screen.put("[ Cancel ]", row: row, col: x, style: Style(color: .accent, bold: form.focus == .cancel, reverse: form.focus == .cancel),
                       maxWidth: max(0, w - x))
        }
    }

    private static func drawLabel(_ text: String, focused: Bool, row: Int, into screen: inout Screen, metrics m: Metrics) {
        let shown = (focused ? "▸" : " ") + text
        screen.put(DisplayWidth.truncate(shown, to: m.labelWidth), row: row, col: 0,
                   style: focused ? Style(color: .accent, bold: true) : .plain)
    }

    /// Extra words after a picker's value: the GPU's name, the credential's name.
    private static func decoration(_ field: FormField, _ values: FormValues, _ catalog: Catalog) -> String? {
        let text = values[field].trimmed
        switch field {
        case .gpuType:
            guard let type = catalog.gpuType(text) else { return nil }
            return type.displayName + (type.vramGB.map { " \($0) GB" } ?? "")
        case .credential:
            guard let id = PodID.parse(text) else { return nil }
            return catalog.credentials.value?.first { $0.id == id }?.name
        default:
            return nil
        }
    }

    /// A text cell: underlined, the cursor a reversed cell when focused, masked for secrets.
    /// - Returns: the column after the cell.
    @discardableResult
    private static func textCell(_ form: CreateFormState, _ item: FormItem, placeholder: String, masked: Bool = false,
                                 decoration: String? = nil, list: Bool = false,
                                 row: Int, col: Int, width: Int, into screen: inout Screen) -> Int {
        let focused = form.focus == item && form.picker == nil && form.prompt == nil
        let text = form.values.text(item) ?? ""
        let shownText = masked ? String(repeating: "•", count: text.count) : TextSafety.clean(text)
        let cellStyle = Style(color: focused ? .accent : .normal, bold: focused, underline: true)
        screen.fill(row: row, col: col, width: width, style: cellStyle)
        let inner = list ? width - 1 : width
        if text.isEmpty && !focused {
            screen.put(placeholder, row: row, col: col, style: Style(color: .muted, dim: true, underline: true), maxWidth: inner)
        } else {
            // Focused: the part around the cursor. Otherwise: the start, cut with "…".
            let view = focused ? LineEditor(shownText, cursor: min(form.cursor, shownText.count)).visible(width: inner)
                               : (text: DisplayWidth.truncate(shownText, to: inner), cursorColumn: 0)
            let x = screen.put(view.text, row: row, col: col, style: cellStyle, maxWidth: inner)
            if let decoration, x + 3 < col + inner {
                screen.put(" · " + decoration, row: row, col: x, style: Style(color: .muted, underline: true), maxWidth: col + inner - x)
            }
            if focused { screen.restyle(row: row, col: col + view.cursorColumn, width: 1) { $0.reverse = true } }
        }
        if list { screen.put("▾", row: row, col: col + width - 1, style: Style(color: .muted, underline: true)) }
        return col + width
    }

    /// Fixed choices side by side; the chosen one stands out, reversed when focused.
    private static func drawOptions(_ options: [String], selected: String, focused: Bool, row: Int, col: Int, into screen: inout Screen) {
        var x = col
        for option in options {
            let on = option == selected.uppercased()
            let style = on ? Style(color: .accent, bold: true, reverse: focused, underline: !focused) : Style(color: .muted)
            x = screen.put(on ? "‹\(option)›" : " \(option) ", row: row, col: x, style: style)
            x += 1
        }
        if focused { screen.put("space/←→ changes", row: row, col: x + 1, style: Style(color: .muted)) }
    }

    @discardableResult
    private static func checkbox(_ text: String, on: Bool, focused: Bool, row: Int, col: Int, into screen: inout Screen) -> Int {
        screen.put((on ? "[x] " : "[ ] ") + text, row: row, col: col, style: Style(color: focused ? .accent : .normal, bold: focused, reverse: focused))
    }

    // MARK: - Boxes

    static func drawDiscard(thenQuit: Bool, discardFocused: Bool, into screen: inout Screen) {
        let inner = Box.draw(title: thenQuit ? "Quit and discard?" : "Discard this form?", width: 52, height: 7, into: &screen, style: Style(color: .warn))
        screen.put("What you typed will be lost.", row: inner.row, col: inner.col, maxWidth: inner.width)
        screen.put("y discards · n or Esc keeps editing", row: inner.row + 1, col: inner.col, style: Style(color: .muted), maxWidth: inner.width)
        let row = inner.row + inner.height - 1
        let x = screen.put("[ Keep editing ]", row: row, col: inner.col, style: Style(color: .accent, bold: !discardFocused, reverse: !discardFocused), maxWidth: inner.width)
        screen.put("[ Discard ]", row: row, col: x + 2, style: Style(color: .bad, bold: discardFocused, reverse: discardFocused),
                   maxWidth: max(0, inner.col + inner.width - x - 2))
    }

    static func drawCommandLine(_ line: String, into screen: inout Screen) {
        let width = min(screen.size.width, 100)
        let wrapped = wrap(line, width: max(10, width - 4))
        let inner = Box.draw(title: "Command line (secrets elided)", width: width, height: min(screen.size.height, wrapped.count + 4), into: &screen)
        for (i, text) in wrapped.enumerated() where i < inner.height - 1 {
            screen.put(text, row: inner.row + i, col: inner.col, maxWidth: inner.width)
        }
        screen.put("any key closes", row: inner.row + inner.height - 1, col: inner.col, style: Style(color: .muted), maxWidth: inner.width)
    }

    /// Breaks a command line at spaces into lines ending in ` \` (so it pastes into a shell).
    static func wrap(_ line: String, width: Int) -> [String] {
        var out: [String] = []
        var current = ""
        for word in line.split(separator: " ", omittingEmptySubsequences: false).map(String.init) {
            let candidate = current.isEmpty ? word : current + " " + word
            if DisplayWidth.of(candidate) + 2 > width, !current.isEmpty {
                out.append(current + " \\")
                current = "  " + word
            } else {
                current = candidate
            }
        }
        if !current.isEmpty { out.append(current) }
        return out
    }
}
