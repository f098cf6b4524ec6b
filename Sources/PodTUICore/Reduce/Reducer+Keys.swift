import FoundationEssentials
import PodAPI

extension Reducer {
    /// A key: looked up in the bindings table for the current mode, refused with
    /// `Availability`'s reason when its command cannot run now (the footer dims it for the
    /// same reason), then carried out by the reducer for that mode. The loop keeps Ctrl-Z
    /// and resizes; the line editors take the keys no binding claims.
    static func reduceKey(_ state: inout AppState, _ key: Key) -> [Effect] {
        if key == .resize { return [] }
        let mode = Mode.of(state)
        var command = KeyBindings.command(for: key, in: mode, keymap: state.settings.keymap,
                                          plugins: state.plugins.offered(readOnly: state.settings.readOnly))
        if let asked = command, let refusal = Availability.refusal(asked, in: mode, state) {
            if KeyBindings.hiddenWhenUnavailable.contains(asked) {
                command = nil   // not offered here: the key is an ordinary key (typed, a cursor move)
            } else {
                state.say(refusal.reason, refusal.kind)
                return []
            }
        }
        switch mode {
        case .list, .detail:
            guard let command else {
                _ = PluginReducer.refusedReadOnly(&state, key, in: mode)
                return []
            }
            if command == .plugin { return PluginReducer.key(&state, key, in: mode) }
            return perform(&state, command)
        case .forwards:
            guard let command else { return [] }
            return ForwardReducer.perform(&state, command)
        case .views:
            guard let command else { return [] }
            performInView(&state, command)
            return []
        case .raw:
            guard let command else { return [] }
            performInRaw(&state, command)
            return []
        case .storage:
            guard let command else { return [] }
            return StorageReducer.perform(&state, command)
        case .storageEditor:
            return StorageReducer.editorKey(&state, key, command: command)
        case .timers:
            guard let command else { return [] }
            return TimerReducer.perform(&state, command)
        case .templateChooser:
            guard let command else { return [] }
            return TemplateReducer.choose(&state, command)
        case .help, .formHelp:
            state.nav.overlay = nil
            if command == .quit { state.shouldQuit = true }
            return []
        case .confirmDelete, .confirmBulk:
            guard let command else { return [] }
            return confirm(&state, command)
        case .filterLine, .commandLine:
            return InputReducer.reduceKey(&state, key, command: command)
        case .form, .picker, .multiPicker, .formPrompt, .formCommandLine:
            return FormReducer.reduceKey(&state, key, mode: mode, command: command)
        }
    }

    /// `:gpus` and `:events`: scrolling text.
    private static func performInView(_ state: inout AppState, _ command: Command) {
        switch command {
        case .back: state.nav.view = .pods
        case .moveUp, .moveDown, .pageUp, .pageDown, .first, .last: scrollDetail(&state, command)
        case .command: state.nav.input = InputLine(kind: .command)
        case .help: state.nav.overlay = .help
        case .quit: state.shouldQuit = true
        default: break
        }
    }

    /// The raw view: scrolling like a view, plus revealing secrets and copying.
    private static func performInRaw(_ state: inout AppState, _ command: Command) {
        switch command {
        case .back:
            state.nav.view = .pods
            state.raw = nil
            state.nav.revealEnv = false
        case .revealEnv:
            state.nav.revealEnv.toggle()
            state.raw?.show(mask: !state.nav.revealEnv, redactor: state.settings.redactor)
        case .copyJSON:
            guard let raw = state.raw, raw.json != nil else { return }
            // As shown: masked (until e) and redacted like the view, each control, bidi or
            // separator character written as a JSON escape.
            emit(&state, .copy(raw.lines.map(ClipboardText.escaped).joined(separator: "\n")))
            state.say("Copied the JSON\(state.nav.revealEnv ? "" : " (secrets masked; e shows them)") (OSC 52)", .success)
        default:
            performInView(&state, command)
        }
    }

    /// `o` and `:open [PORT]`: the pod's web endpoint, opened in a local browser, or its URL
    /// copied (OSC 52) and shown where there is no display (over SSH).
    static func openURL(_ state: inout AppState, port: Int?) -> [Effect] {
        guard let pod = state.selectedPod else {
            state.say("No pod selected", .error)
            return []
        }
        switch Endpoints.url(for: pod, port: port) {
        case .failure(let refusal):
            state.say(refusal.reason, .error)
            return []
        case .success(let url):
            // A plain http(s) address (Endpoints refuses any other): nothing to clean.
            let shown = TextSafety.clean(url)
            if state.settings.hasDisplay {
                state.say("Opening \(shown)…", .info)
                return [.openURL(url)]
            }
            emit(&state, .copy(url))
            state.say("No display here: copied \(shown) (OSC 52); open it in your browser", .success)
            return []
        }
    }

    /// The delete and bulk confirmations.
    private static func confirm(_ state: inout AppState, _ command: Command) -> [Effect] {
        switch (state.nav.overlay, command) {
        case (.confirmDelete(let id, _, _)?, .confirm):
            state.nav.overlay = nil
            return send(&state, .delete, id: id)
        case (.confirmDelete(let id, _, let deleteFocused)?, .choose):
            state.nav.overlay = nil
            if deleteFocused { return send(&state, .delete, id: id) }
            state.say("Delete cancelled", .info)
        case (.confirmDelete?, .cancel):
            state.nav.overlay = nil
            state.say("Delete cancelled", .info)
        case (.confirmDelete(let id, let name, let deleteFocused)?, .switchButton):
            state.nav.overlay = .confirmDelete(podID: id, name: name, deleteFocused: !deleteFocused)
        case (.confirmStorageDelete(let target, let name, _)?, .confirm):
            state.nav.overlay = nil
            return StorageReducer.confirmDelete(&state, target, name: name)
        case (.confirmStorageDelete(let target, let name, let deleteFocused)?, .choose):
            state.nav.overlay = nil
            if deleteFocused { return StorageReducer.confirmDelete(&state, target, name: name) }
            state.say("Delete cancelled", .info)
        case (.confirmStorageDelete?, .cancel):
            state.nav.overlay = nil
            state.say("Delete cancelled", .info)
        case (.confirmStorageDelete(let target, let name, let deleteFocused)?, .switchButton):
            state.nav.overlay = .confirmStorageDelete(target, name: name, deleteFocused: !deleteFocused)
        case (.confirmPlugin(let run)?, .confirm):
            return PluginReducer.confirmed(&state, run, yes: true)
        case (.confirmPlugin(let run)?, .cancel):
            return PluginReducer.confirmed(&state, run, yes: false)
        case (.confirmBulk(let action)?, .confirm):
            state.nav.overlay = nil
            return startBulk(&state, action)
        case (.confirmBulk(let action)?, .cancel):
            state.nav.overlay = nil
            state.say("\(action.rawValue.firstUppercased) of \(state.fleet.marks.count) marked pods cancelled", .info)
        case (_, .quit):
            state.nav.overlay = nil
            state.shouldQuit = true
        default:
            break
        }
        return []
    }

    static func perform(_ state: inout AppState, _ command: Command) -> [Effect] {
        switch command {
        case .quit:
            state.shouldQuit = true
        case .help:
            state.nav.overlay = .help
        case .moveUp, .moveDown, .pageUp, .pageDown, .first, .last:
            if state.nav.focus == .detail { scrollDetail(&state, command) } else { move(&state, command) }
        case .openDetail:
            if !refused(&state, command) {
                state.nav.focus = .detail
                state.nav.detailScroll = .top
                state.nav.revealEnv = false
                state.nav.metricsOnly = false
                // Attached volumes are named from the volume list: fetch it once.
                if state.selectedPod?.persistentVolumes?.isEmpty == false, state.catalog.volumes == .notLoaded {
                    return StorageReducer.load(&state, .volumes)
                }
            }
        case .back:
            state.nav.focus = .list
            state.nav.revealEnv = false
            state.nav.metricsOnly = false
        case .metricsView:
            if state.nav.focus == .detail && state.nav.metricsOnly {
                state.nav.metricsOnly = false
                state.nav.detailScroll = .top
                return []
            }
            return MetricsReducer.openView(&state)
        case .widerWindow:
            MetricsReducer.stepWindow(&state, by: 1)
            return MetricsReducer.tick(&state)
        case .narrowerWindow:
            MetricsReducer.stepWindow(&state, by: -1)
            return MetricsReducer.tick(&state)
        case .revealEnv:
            if !refused(&state, command) { state.nav.revealEnv.toggle() }
        case .newPod, .clonePod:
            // Also reached from `:new`, which no key lookup checked.
            if refused(&state, command) { return [] }
            if command == .clonePod, let pod = state.selectedPod {
                return FormReducer.open(&state, .clone(of: pod))
            }
            let effects = FormReducer.open(&state, CreateFormState())
            if command == .newPod, !state.templates.isEmpty { state.templateChooser = 0 }
            return effects
        case .pause, .resume, .delete:
            let action: PodAction = command == .pause ? .pause : command == .resume ? .resume : .delete
            // Refused locally: explain, send nothing.
            if refused(&state, command) { return [] }
            if !state.fleet.marks.isEmpty && state.nav.focus == .list {
                state.nav.overlay = .confirmBulk(action)
                return []
            }
            guard let pod = state.selectedPod else { return [] }
            // The table marks it dangerous: ask first, naming the pod (Cancel focused).
            if KeyBindings.isDangerous(command) {
                state.nav.overlay = .confirmDelete(podID: pod.id, name: pod.label, deleteFocused: false)
                return []
            }
            return send(&state, action, id: pod.id)
        case .pauseTimer:
            TimerReducer.ask(&state)
        case .timersView:
            return TimerReducer.open(&state)
        case .forward:
            if !refused(&state, command) { ForwardReducer.ask(&state) }
        case .filter:
            state.nav.input = InputLine(kind: .filter, text: state.fleet.filter.text)
        case .openURL:
            return openURL(&state, port: nil)
        case .rawView:
            guard let pod = state.selectedPod else { return [] }
            state.raw = RawPodState(podID: pod.id, label: pod.label)
            state.nav.view = .raw
            state.nav.detailScroll = .top
            state.nav.revealEnv = false
            return [.fetchRaw(podID: pod.id)]
        case .clearFilter:
            // Esc in the list clears a committed filter, as in k9s.
            if !state.fleet.filter.isEmpty { return InputReducer.setFilter(&state, "") }
        case .command:
            state.nav.input = InputLine(kind: .command)
        case .mark:
            guard let pod = state.selectedPod else { return [] }
            if state.fleet.marks.contains(pod.id) { state.fleet.marks.remove(pod.id) } else { state.fleet.marks.insert(pod.id) }
            move(&state, .moveDown)
        case .markAll:
            state.fleet.marks.formUnion(state.fleet.pods.map(\.id))
            let keys = state.settings.keymap
            let acts = [Command.pause, .resume, .delete].map { KeyBindings.key($0, in: .list, keymap: keys) }.joined(separator: ", ")
            state.message = Message("\(state.fleet.marks.count) pods marked: \(acts) act on all of them; \(KeyBindings.key(.clearMarks, in: .list, keymap: keys)) clears",
                                    kind: .info, at: state.now)
        case .clearMarks:
            state.message = state.fleet.marks.isEmpty ? nil : Message("Marks cleared", kind: .info, at: state.now)
            state.fleet.marks = []
        case .ssh:
            if refused(&state, command) { return [] }
            guard let pod = state.selectedPod, let command = pod.sshCmd, let args = SSHCommand.arguments(command) else { return [] }
            state.io.sequence += 1
            state.io.external = ExternalRequest(seq: state.io.sequence, arguments: args, title: "ssh to \(TextSafety.clean(pod.label))")
            state.say("Connecting to \(TextSafety.clean(pod.label))…", .info)
        case .copySSH:
            if refused(&state, command) { return [] }
            // Never the API's text: the command `s` would run, rebuilt from host, port and
            // user (Availability has refused anything else).
            guard let pod = state.selectedPod, case .success(let line) = SSHCommand.copyText(pod.sshCmd) else { return [] }
            emit(&state, .copy(line))
            state.say("Copied: \(line) (OSC 52; in tmux needs set-clipboard on)", .success)
        case .sortName, .sortStatus, .sortGPU, .sortCount, .sortRegion, .sortAge, .sortPrice, .sortCost, .sortID:
            sortBy(&state, command.sortColumn ?? .name, ascending: nil)
        default:
            break   // commands of other modes (the table never binds them here)
        }
        return []
    }

    /// True (and the message says why) when `Availability` refuses `command` in the pane.
    /// `perform` asks again what `reduceKey` asked, because `:new` and a double click come
    /// here without a key.
    private static func refused(_ state: inout AppState, _ command: Command) -> Bool {
        let pane: Mode = state.nav.focus == .detail ? .detail : .list
        guard let refusal = Availability.refusal(command, in: pane, state) else { return false }
        state.say(refusal.reason, refusal.kind)
        return true
    }

    /// Sorts by `column`; the same column again flips the direction.
    static func sortBy(_ state: inout AppState, _ column: SortColumn, ascending: Bool?) {
        if let ascending {
            state.fleet.sort = SortSpec(column: column, ascending: ascending)
        } else if state.fleet.sort.column == column {
            state.fleet.sort.ascending.toggle()
        } else {
            state.fleet.sort = SortSpec(column: column, ascending: column.defaultAscending)
        }
        refresh(&state, resort: true)
        state.say("Sorted by \(column.rawValue), \(state.fleet.sort.ascending ? "ascending" : "descending")", .info)
    }

    static func send(_ state: inout AppState, _ action: PodAction, id: Int64) -> [Effect] {
        guard state.fleet.pending[id] == nil else { return [] }
        state.fleet.pending[id] = action
        let name = TextSafety.clean(state.fleet.allPods.first { $0.id == id }?.label ?? state.fleet.names[id] ?? "pod \(id)")
        state.say("\(action.rawValue.firstUppercased) \(name)…", .info)
        return [.perform(action, podID: id)]
    }

    static func move(_ state: inout AppState, _ command: Command) {
        guard !state.fleet.pods.isEmpty else { return }
        let current = state.selectedIndex ?? 0
        let last = state.fleet.pods.count - 1
        let target: Int
        switch command {
        case .moveUp: target = current - 1
        case .moveDown: target = current + 1
        case .pageUp: target = current - state.nav.pageSize
        case .pageDown: target = current + state.nav.pageSize
        case .first: target = 0
        default: target = last
        }
        state.nav.selectedID = state.fleet.pods[max(0, min(last, target))].id
        clampScroll(&state)
    }

    static func scrollDetail(_ state: inout AppState, _ command: Command) {
        let scroll = state.nav.detailScroll
        switch command {
        case .moveUp: state.nav.detailScroll = scroll.moved(by: -1)
        case .moveDown: state.nav.detailScroll = scroll.moved(by: 1)
        case .pageUp: state.nav.detailScroll = scroll.moved(by: -state.nav.pageSize)
        case .pageDown: state.nav.detailScroll = scroll.moved(by: state.nav.pageSize)
        case .first: state.nav.detailScroll = .top
        default: state.nav.detailScroll = .end   // the view resolves it: only it knows its length
        }
    }
}
