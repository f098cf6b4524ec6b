import FoundationEssentials
import PodAPI

/// `:volumes` and `:credentials`: the lists, their small form, deletes and the answers.
/// Every refusal says why and sends nothing; every failure keeps what was typed.
enum StorageReducer {
    /// Opens a view and asks for its list.
    static func open(_ state: inout AppState, _ view: MainView) -> [Effect] {
        state.nav.view = view
        state.storage.scrollTop = 0
        return load(&state, view)
    }

    /// Seconds between reloads of an open view, and while a volume is creating or resizing.
    static let refreshInterval = 10.0
    static let busyRefreshInterval = 2.0

    /// The clock: an open view is reloaded now and then, faster while a volume changes.
    static func tick(_ state: inout AppState) -> [Effect] {
        guard state.nav.view == .volumes || state.nav.view == .credentials, !state.storage.listLoading else { return [] }
        let busy = state.nav.view == .volumes
            && (state.catalog.volumes.value ?? []).contains { ["creating", "resizing", "deleting"].contains(($0.status ?? "").lowercased()) }
        let every = busy ? busyRefreshInterval : max(refreshInterval, state.settings.interval)
        if let last = state.storage.lastListRequest, state.now.timeIntervalSince(last) < every { return [] }
        return load(&state, state.nav.view)
    }

    /// Asks for the list a view shows.
    static func load(_ state: inout AppState, _ view: MainView) -> [Effect] {
        state.storage.listLoading = true
        state.storage.lastListRequest = state.now
        if view == .volumes {
            if state.catalog.volumes.value == nil { state.catalog.volumes = .loading }
            return [.loadVolumes]
        }
        if state.catalog.credentials.value == nil { state.catalog.credentials = .loading }
        return [.loadCredentials]
    }

    // MARK: - Lists

    /// Volumes in the order shown: by name (any case), then id.
    static func sortedVolumes(_ volumes: [Volume]) -> [Volume] {
        volumes.sorted { a, b in
            let x = (a.name ?? "").lowercased(), y = (b.name ?? "").lowercased()
            return x == y ? a.id < b.id : x < y
        }
    }

    /// The ids the current view lists, in order.
    private static func ids(_ state: AppState) -> [Int64] {
        StorageState.ids(in: state.nav.view, catalog: state.catalog)
    }

    private static func select(_ state: inout AppState, index: Int) {
        let list = ids(state)
        guard !list.isEmpty else { return }
        let id = list[max(0, min(list.count - 1, index))]
        if state.nav.view == .volumes { state.storage.selectedVolume = id } else { state.storage.selectedCredential = id }
        let i = max(0, min(list.count - 1, index))
        let rows = max(1, state.nav.pageSize)
        if i < state.storage.scrollTop { state.storage.scrollTop = i }
        if i >= state.storage.scrollTop + rows { state.storage.scrollTop = i - rows + 1 }
    }

    // MARK: - Keys

    /// A command in `:volumes` or `:credentials`.
    static func perform(_ state: inout AppState, _ command: Command) -> [Effect] {
        let current = state.storage.selectedIndex(in: state.nav.view, catalog: state.catalog) ?? 0
        switch command {
        case .back: state.nav.view = .pods
        case .moveUp: select(&state, index: current - 1)
        case .moveDown: select(&state, index: current + 1)
        case .pageUp: select(&state, index: current - state.nav.pageSize)
        case .pageDown: select(&state, index: current + state.nav.pageSize)
        case .first: select(&state, index: 0)
        case .last: select(&state, index: ids(state).count - 1)
        case .command: state.nav.input = InputLine(kind: .command)
        case .help: state.nav.overlay = .help
        case .quit: state.shouldQuit = true
        case .reload:
            state.say("Reloading \(state.nav.view.rawValue)…", .info)
            return load(&state, state.nav.view)
        case .newItem, .rename, .resize, .delete:
            // reduceKey asked Availability already; asked again for any other way in.
            if let refusal = Availability.refusal(command, in: .storage, state) {
                state.say(refusal.reason, refusal.kind)
                return []
            }
            return act(&state, command)
        default: break
        }
        return []
    }

    private static func act(_ state: inout AppState, _ command: Command) -> [Effect] {
        let volume = state.selectedStorageVolume, credential = state.selectedStorageCredential
        switch command {
        case .newItem:
            if state.nav.view == .volumes {
                let region = state.catalog.gpuTypes.value?.first?.availableRegions.first?.region ?? "us-east-1"
                state.storage.editor = .newVolume(region: region)
            } else {
                state.storage.editor = .newCredential(forPodForm: false)
            }
        case .rename:
            if let volume { state.storage.editor = .rename(volume) }
            if let credential { state.storage.editor = .edit(credential) }
        case .resize:
            if let volume { state.storage.editor = .resize(volume) }
        case .delete:
            if let volume { state.nav.overlay = .confirmStorageDelete(.volume(volume.id), name: volume.label, deleteFocused: false) }
            if let credential { state.nav.overlay = .confirmStorageDelete(.credential(credential.id), name: credential.label, deleteFocused: false) }
        default: break
        }
        return []
    }

    /// Confirmed (or cancelled) delete.
    static func confirmDelete(_ state: inout AppState, _ target: StorageTarget, name: String) -> [Effect] {
        let request: StorageRequest
        switch target {
        case .volume(let id): request = .deleteVolume(id: id, name: name)
        case .credential(let id): request = .deleteCredential(id: id, name: name)
        }
        return send(&state, request)
    }

    private static func send(_ state: inout AppState, _ request: StorageRequest) -> [Effect] {
        guard state.storage.inFlight == nil else { return [] }
        state.storage.inFlight = request
        state.say("\(request.summary.firstUppercased)…", .info)
        return [.storage(request)]
    }

    // MARK: - The small form

    static func editorKey(_ state: inout AppState, _ key: Key, command: Command?) -> [Effect] {
        guard var editor = state.storage.editor else { return [] }
        defer { if state.storage.editor != nil { state.storage.editor = editor } }
        let count = editor.fields.count
        var isChoice = false
        if editor.fields.indices.contains(editor.focus), case .choice = editor.fields[editor.focus].kind { isChoice = true }
        switch command {
        case .nextField?: editor.focus = (editor.focus + 1) % max(1, count)
        case .previousField?: editor.focus = (editor.focus - 1 + count) % max(1, count)
        case .cancel?:
            state.storage.editor = nil
            state.say("\(editor.title): cancelled", .info)
        case .submit?:
            // Availability has refused it while a request is out or read-only (reduceKey).
            switch editor.request(volumes: state.catalog.volumes.value ?? [], credentials: state.catalog.credentials.value ?? []) {
            case .refused(let problems):
                refuse(&editor, problems, state: &state)
            case .ok(let request):
                // A password typed here is a secret from now on: a server error that echoes
                // it must never be drawn (the create form does the same for its secrets).
                if case .createCredential(let r) = request { state.settings.redactor.add(r.password.secret) }
                if case .updateCredential(_, let r) = request, let password = r.password { state.settings.redactor.add(password.secret) }
                editor.submitting = true
                editor.error = nil
                editor.errorField = nil
                state.storage.editor = editor
                return send(&state, request)
            }
        case .change? where isChoice:
            if case .choice(let options) = editor.fields[editor.focus].kind, !options.isEmpty {
                let now = options.firstIndex(of: editor.fields[editor.focus].value) ?? -1
                let next = key == .left ? (now - 1 + options.count) % options.count : (now + 1) % options.count
                editor.fields[editor.focus].editor = LineEditor(options[next])
            }
        default:
            // Text: the focused field's own editing keys. Choices take no text.
            guard editor.fields.indices.contains(editor.focus), !isChoice else { return [] }
            _ = editor.fields[editor.focus].editor.apply(key)
        }
        return []
    }

    /// Shows every problem, focusing the first field named.
    private static func refuse(_ editor: inout StorageEditor, _ problems: [FieldError], state: inout AppState) {
        let text = problems.map(\.description).joined(separator: "; ")
        editor.error = text
        editor.errorField = problems.first?.field
        if let field = problems.first?.field, let index = editor.fields.firstIndex(where: { $0.key == field }) { editor.focus = index }
        state.say(text, .error)
    }

    // MARK: - Answers

    static func volumesLoaded(_ state: inout AppState, _ result: Result<VolumeList, PodAPIError>) {
        state.storage.listLoading = false
        switch result {
        case .success(let list):
            state.catalog.volumes = .loaded(sortedVolumes(list.volumes))
            state.catalog.volumeProblems = list.problems
        case .failure(let error):
            // Keep an older list rather than lose it to one failed refresh.
            if state.catalog.volumes.value == nil { state.catalog.volumes = .failed(error.message) }
            if state.nav.view == .volumes { state.message = Message("Volumes: \(error.message)", kind: .error, at: state.now) }
        }
    }

    static func finished(_ state: inout AppState, _ request: StorageRequest, _ result: Result<StorageOutcome, PodAPIError>) -> [Effect] {
        state.storage.inFlight = nil
        let reload: [Effect] = request.isVolume ? [.loadVolumes] : [.loadCredentials]
        switch result {
        case .success(let outcome):
            let done = request.summary.firstUppercased + ": done"
            state.say(done, .success)
            Reducer.record(&state, nil, done, .good)
            if let editor = state.storage.editor, editor.submitting {
                state.storage.editor = nil
                if case .newCredential(true) = editor.purpose, case .created(let id?) = outcome {
                    // Back to the create form with the new credential chosen.
                    state.form?.values[.credential] = String(id)
                    state.say("\(done); chosen in the form", .success)
                }
            }
            if case .created(let id?) = outcome {
                if request.isVolume { state.storage.selectedVolume = id } else { state.storage.selectedCredential = id }
            }
            return reload
        case .failure(let error):
            let text = "\(request.summary.firstUppercased) failed: \(error.message)"
            Reducer.record(&state, nil, text, .bad)
            state.say(text, .error)
            if case .unsupported = error {
                // The server lacks the route (rename and resize may be missing, API notes
                // §6.3): nothing changed, so the row stays as shown, nothing is reloaded or
                // resent, and the form closes (sending it again cannot help).
                if state.storage.editor?.submitting == true { state.storage.editor = nil }
                return []
            }
            if var editor = state.storage.editor, editor.submitting {
                editor.submitting = false
                editor.error = error.message
                editor.errorField = error.fieldErrors.first?.field
                if let field = editor.errorField, let index = editor.fields.firstIndex(where: { $0.key == field }) { editor.focus = index }
                state.storage.editor = editor
            }
            // What the server holds may differ from what is shown: see it.
            if case .resourceNotFound = error { return reload }
            return []
        }
    }
}
