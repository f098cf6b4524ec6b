import FoundationEssentials
import PodAPI

/// Keys and results while the create form is open. Pure, like `Reducer`.
enum FormReducer {
    /// Opens a form (new or clone) and asks for the pickers' lists.
    static func open(_ state: inout AppState, _ form: CreateFormState) -> [Effect] {
        var form = form
        // Official images add PUBLIC_KEY to authorized_keys: offered, so ssh works first time.
        form.offerSSHKey(state.settings.defaultSSHKey)
        state.form = form
        state.message = nil
        // Refresh on every open: availability changes; a loaded list stays usable meanwhile.
        if state.catalog.gpuTypes.value == nil { state.catalog.gpuTypes = .loading }
        if state.catalog.credentials.value == nil { state.catalog.credentials = .loading }
        if state.catalog.volumes.value == nil { state.catalog.volumes = .loading }
        return [.loadCatalog]
    }

    /// A key while the form is open: `command` is what the bindings table made of it in
    /// `mode`; keys it leaves alone go to the focused item (typed text, a list's filter).
    static func reduceKey(_ state: inout AppState, _ key: Key, mode: Mode, command: Command?) -> [Effect] {
        guard var form = state.form else { return [] }
        defer { if state.form != nil { state.form = form } }

        switch mode {
        case .formPrompt:
            guard case .discard(let thenQuit, let discardFocused)? = form.prompt else { return [] }
            switch command {
            case .confirm?: close(&state, quit: thenQuit)
            case .choose?: if discardFocused { close(&state, quit: thenQuit) } else { form.prompt = nil }
            case .cancel?: form.prompt = nil
            case .switchButton?: form.prompt = .discard(thenQuit: thenQuit, discardFocused: !discardFocused)
            case .quit?: close(&state, quit: true)   // a second Ctrl-C means it
            default: break
            }
            return []
        case .formCommandLine:
            form.showCommandLine = false
            return []
        case .picker, .multiPicker:
            return pickerKey(&state, &form, key, command: command)
        default:
            break
        }

        switch command {
        case .submit?:
            return submit(&state, &form)
        case .cancel?:
            leave(&state, &form, quit: false)
        case .quit?:
            leave(&state, &form, quit: true)
        case .showCommandLine?:
            form.showCommandLine = true
        case .saveTemplate?:
            return TemplateReducer.save(&state, form)
        case .reload?:
            state.catalog.gpuTypes = state.catalog.gpuTypes.value.map(Loadable.loaded) ?? .loading
            state.catalog.credentials = state.catalog.credentials.value.map(Loadable.loaded) ?? .loading
            state.catalog.volumes = state.catalog.volumes.value.map(Loadable.loaded) ?? .loading
            state.say("Reloading GPU types, credentials and volumes…", .info)
            return [.loadCatalog]
        case .nextField?: move(&form, by: 1)
        case .previousField?: move(&form, by: -1)
        case .jumpDown?: move(&form, by: 8)
        case .jumpUp?: move(&form, by: -8)
        case .removeRow?: removeRow(&form)
        case .help?: state.nav.overlay = .help
        default:
            // .activate, .change and plain typing: the focused item decides.
            return itemKey(&state, &form, key, command: command)
        }
        return []
    }

    // MARK: - Focused item

    /// The focused item's answer to `command` (what the bindings table made of the key:
    /// `.activate`, `.change`, or nil for a key it leaves alone) or to the key typed.
    private static func itemKey(_ state: inout AppState, _ form: inout CreateFormState, _ key: Key, command: Command?) -> [Effect] {
        let item = form.focus
        let activate = command == .activate
        let change = command == .change
        switch item {
        case .submit:
            if presses(key, command, state) { return submit(&state, &form) }
        case .cancel:
            if presses(key, command, state) { leave(&state, &form, quit: false) }
        case .addEnv, .addPort, .addVolume:
            if presses(key, command, state) { addRow(&form, item) }
        case .envSecret(let i):
            if change, form.values.env.indices.contains(i) { form.values.env[i].secret.toggle(); edited(&form, item) }
            else if activate { move(&form, by: 1) }
        case .volumeBackup(let i):
            if change, form.values.volumes.indices.contains(i) { form.values.volumes[i].backup.toggle(); edited(&form, item) }
            else if activate { move(&form, by: 1) }
        case .portProtocol(let i):
            if change, form.values.ports.indices.contains(i) {
                form.values.ports[i].proto = cycle(form.values.ports[i].proto, CreateRequestValidator.protocols, back: key == .left)
                edited(&form, item)
            } else if activate { move(&form, by: 1) }
        case .field(let field):
            if case .cycle(let options) = field.kind {
                if change {
                    form.values[field] = cycle(form.values[field], options, back: key == .left)
                    edited(&form, item)
                } else if activate { move(&form, by: 1) }
                return []
            }
            if field.kind == .picker {
                let hasList = (try? state.catalog.choices(for: field, values: form.values).get()) != nil
                if activate {
                    if hasList { form.picker = PickerState(field: field, original: form.values[field]) } else { move(&form, by: 1) }
                    return []
                }
                // Typing narrows the list; with no list, the field takes the text itself.
                if case .char(let c) = key, hasList, field != .gpuCount {
                    var picker = PickerState(field: field, original: form.values[field])
                    _ = picker.query.apply(.char(c))
                    form.picker = picker
                    return []
                }
            }
            if activate { move(&form, by: 1); return [] }
            editText(&form, key)
        case .volumeID:
            // Like a picker field: activate opens the volume list, typing narrows it; with no
            // list (it failed to load), the cell takes the id as typed.
            let hasList = (try? state.catalog.choices(for: item, values: form.values).get()) != nil
            if hasList, activate || key.isPrintable {
                var picker = PickerState(item: item, original: form.values.text(item) ?? "")
                if !activate { _ = picker.query.apply(key) }
                form.picker = picker
                return []
            }
            if activate { move(&form, by: 1); return [] }
            editText(&form, key)
        default:
            if activate { move(&form, by: 1); return [] }
            editText(&form, key)
        }
        return []
    }

    /// A button is pressed by `activate` (Enter), and by a key of `change` (Space), as a
    /// checkbox is: both looked up in the table, so remapping either works on the buttons
    /// too. `change` is not offered on a button (the footer leaves it out), hence the
    /// lookup here. Its arrows press nothing: → on Create must not send.
    private static func presses(_ key: Key, _ command: Command?, _ state: AppState) -> Bool {
        if command == .activate { return true }
        if [Key.left, .right, .up, .down].contains(key) { return false }
        return KeyBindings.command(for: key, in: .form, keymap: state.settings.keymap) == .change
    }

    private static func cycle(_ value: String, _ options: [String], back: Bool) -> String {
        let index = options.firstIndex(of: value.uppercased()) ?? -1
        let next = back ? (index - 1 + options.count) % options.count : (index + 1) % options.count
        return options[next]
    }

    /// Line-editor keys on the focused text cell.
    private static func editText(_ form: inout CreateFormState, _ key: Key) {
        guard form.focus.isText, let text = form.values.text(form.focus) else { return }
        var editor = LineEditor(text, cursor: form.cursor)
        guard editor.apply(key) else { return }
        form.cursor = editor.cursor
        if editor.text != text {
            form.values.setText(form.focus, editor.text)
            edited(&form, form.focus)
        }
    }

    /// Records an edit: its errors now show as the user types; the server's older word on
    /// this cell no longer applies.
    private static func edited(_ form: inout CreateFormState, _ item: FormItem) {
        form.touched.insert(item)
        form.serverErrors[item] = nil
    }

    static func move(_ form: inout CreateFormState, by delta: Int) {
        let items = form.items
        let index = items.firstIndex(of: form.focus) ?? 0
        form.focus(on: items[max(0, min(items.count - 1, index + delta))])
    }

    private static func addRow(_ form: inout CreateFormState, _ item: FormItem) {
        switch item {
        case .addEnv:
            form.values.env.append(EnvRow())
            form.focus(on: .envKey(form.values.env.count - 1))
        case .addPort:
            form.values.ports.append(PortRow())
            form.focus(on: .portNumber(form.values.ports.count - 1))
        case .addVolume:
            form.values.volumes.append(VolumeRow())
            form.focus(on: .volumeID(form.values.volumes.count - 1))
        default: break
        }
    }

    /// Ctrl-X on a row cell removes that row; focus goes to the same cell of the next row,
    /// or the add button when it was the last.
    private static func removeRow(_ form: inout CreateFormState) {
        guard let i = form.focus.row else { return }
        let next: FormItem
        switch form.focus {
        case .envKey, .envValue, .envSecret:
            form.values.env.remove(at: i)
            next = i < form.values.env.count ? .envKey(i) : .addEnv
        case .portNumber, .portProtocol:
            form.values.ports.remove(at: i)
            next = i < form.values.ports.count ? .portNumber(i) : .addPort
        default:
            form.values.volumes.remove(at: i)
            next = i < form.values.volumes.count ? .volumeID(i) : .addVolume
        }
        // Row indices shifted: errors keyed by row cells no longer line up.
        form.touched = form.touched.filter { $0.row == nil }
        form.serverErrors = form.serverErrors.filter { $0.key.row == nil }
        form.focus(on: next)
    }

    // MARK: - Picker

    private static func pickerKey(_ state: inout AppState, _ form: inout CreateFormState, _ key: Key, command: Command?) -> [Effect] {
        guard var picker = form.picker else { return [] }
        guard let choices = try? state.catalog.choices(for: picker.item, values: form.values).get() else {
            form.picker = nil
            return []
        }
        let shown = picker.filter(choices)
        let item = picker.item
        switch command {
        case .cancel?:
            form.values.setText(item, picker.original)   // undo toggles made while open
            form.picker = nil
            return []
        case .close?:
            form.picker = nil
            return []
        case .moveUp?: picker.highlight -= 1
        case .moveDown?: picker.highlight += 1
        case .pageUp?: picker.highlight -= 10
        case .pageDown?: picker.highlight += 10
        case .nextField?, .previousField?:
            form.picker = nil
            move(&form, by: command == .nextField ? 1 : -1)
            return []
        case .toggle?:
            if shown.indices.contains(picker.highlight) {
                toggleRegion(&state, &form, shown[picker.highlight])
                picker.changed = true
            }
        case .choose?:
            if picker.isMulti {
                if !picker.changed, shown.indices.contains(picker.highlight),
                   !form.values.regionList.contains(shown[picker.highlight].value) {
                    toggleRegion(&state, &form, shown[picker.highlight])
                }
                form.picker = nil
                return []
            }
            guard shown.indices.contains(picker.highlight) else {
                // A volume id typed that the list does not have: keep it as typed (the
                // server has the last word), never lose it.
                if case .volumeID = item, let id = PodID.parse(picker.query.text) {
                    form.values.setText(item, String(id))
                    form.picker = nil
                    edited(&form, item)
                }
                return []
            }
            let choice = shown[picker.highlight]
            // Availability refused a sold-out line, and a new credential when read-only.
            guard choice.enabled else { return [] }
            if choice.kind == .newCredential {
                form.picker = nil
                state.storage.editor = .newCredential(forPodForm: true)
                return []
            }
            form.values.setText(item, choice.value)
            form.picker = nil
            edited(&form, item)
            form.focus(on: item)
            return []
        default:
            let before = picker.query.text
            _ = picker.query.apply(key)
            if picker.query.text != before { picker.highlight = 0 }
        }
        let count = picker.filter(choices).count
        picker.highlight = max(0, min(max(0, count - 1), picker.highlight))
        form.picker = picker
        return []
    }

    private static func toggleRegion(_ state: inout AppState, _ form: inout CreateFormState, _ choice: PickerChoice) {
        var list = form.values.regionList
        if let index = list.firstIndex(of: choice.value) {
            list.remove(at: index)
        } else if choice.enabled {
            list.append(choice.value)
        } else {
            state.say("\(choice.label) is sold out for this GPU right now", .error)
            return
        }
        form.values[.regions] = list.joined(separator: ", ")
        edited(&form, .field(.regions))
    }

    // MARK: - Submit and leave

    private static func submit(_ state: inout AppState, _ form: inout CreateFormState) -> [Effect] {
        // The Create button comes here without the submit command: the same rule as ^S.
        if let refusal = Availability.refusal(.submit, in: .form, state) {
            state.say(refusal.reason, refusal.kind)
            return []
        }
        let check = form.check(catalog: state.catalog)
        form.submitAttempted = true
        if !check.isValid {
            let count = check.errors.count + check.general.count
            if let first = form.items.first(where: { check.errors[$0] != nil }) { form.focus(on: first) }
            let detail = check.general.first.map { ": \($0)" } ?? ""
            state.say("Not sent: \(count) problem\(count == 1 ? "" : "s") to fix first\(detail)", .error)
            return []
        }
        // What is sent as secret must never come back onto the screen inside a server message.
        if let password = check.request.imageRegistryPassword { state.settings.redactor.add(password) }
        for row in form.values.env where row.secret { state.settings.redactor.add(row.value) }
        form.submitting = true
        form.serverErrors = [:]
        form.serverMessage = nil
        state.say("Creating \(TextSafety.clean(check.request.name))…", .info)
        return [.createPod(check.request)]
    }

    /// Esc / Cancel / Ctrl-C: asks first when something was typed.
    private static func leave(_ state: inout AppState, _ form: inout CreateFormState, quit: Bool) {
        // The Cancel button comes here without the cancel command: the same rule as Esc.
        if !quit, let refusal = Availability.refusal(.cancel, in: .form, state) {
            state.say(refusal.reason, refusal.kind)
            return
        }
        if form.isDirty {
            form.prompt = .discard(thenQuit: quit, discardFocused: false)
        } else {
            close(&state, quit: quit)
        }
    }

    private static func close(_ state: inout AppState, quit: Bool) {
        state.form = nil
        state.message = nil
        if quit { state.shouldQuit = true }
    }

    // MARK: - Results

    static func created(_ state: inout AppState, _ pod: Pod) -> [Effect] {
        state.form = nil
        var pods = state.fleet.allPods
        if !pods.contains(where: { $0.id == pod.id }) { pods.append(pod) }
        Reducer.applyPods(&state, pods, now: state.now)
        state.nav.selectedID = pod.id
        state.nav.focus = .list
        Reducer.clampScroll(&state)
        state.say("Created \(TextSafety.clean(pod.label)) (id \(pod.id)): \(StatusLabel.of(pod.status))", .success)
        return []
    }

    /// The create succeeded but the reply named no pod: close the form (sending it again
    /// would make a second pod) and say where it will show up.
    static func createdWithoutID(_ state: inout AppState, name: String) {
        state.form = nil
        state.nav.focus = .list
        state.message = Message("Created \(TextSafety.clean(name)): the API did not return its id; it appears with the next refresh",
                                kind: .success, at: state.now)
    }

    static func createFailed(_ state: inout AppState, _ error: PodAPIError) {
        guard var form = state.form else {
            state.say("Create failed: \(error.message)", .error)
            return
        }
        form.submitting = false
        var unplaced: [String] = []
        for problem in error.fieldErrors {
            if let item = form.item(forServerField: problem.field) {
                form.serverErrors[item] = problem.message
            } else {
                unplaced.append(problem.description)
            }
        }
        if let first = form.items.first(where: { form.serverErrors[$0] != nil }) { form.focus(on: first) }
        switch error {
        case .timeout, .connection:
            form.serverMessage = "\(error.message). The pod may still have been created: check the list before sending again."
        default:
            if form.serverErrors.isEmpty || !unplaced.isEmpty { form.serverMessage = error.message }
        }
        state.form = form
        state.say("Create failed: \(error.message) — nothing you typed was lost", .error)
    }
}
