import Foundation
import PodAPI

extension Reducer {
    /// A key: looked up in the bindings table for the current mode, then carried out by
    /// the reducer for that mode. No key is interpreted anywhere else.
    static func reduceKey(_ state: inout AppState, _ key: Key) -> [Effect] {
        if key == .resize { return [] }
        let mode = Mode.of(state)
        let command = KeyBindings.command(for: key, in: mode, keymap: state.keymap)
        switch mode {
        case .list, .detail:
            guard let command else { return [] }
            return perform(&state, command)
        case .views:
            guard let command else { return [] }
            performInView(&state, command)
            return []
        case .help, .formHelp:
            state.overlay = nil
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
        case .back: state.view = .pods
        case .moveUp: state.detailScroll = max(0, state.detailScroll - 1)
        case .moveDown: state.detailScroll += 1
        case .pageUp: state.detailScroll = max(0, state.detailScroll - state.pageSize)
        case .pageDown: state.detailScroll += state.pageSize
        case .first: state.detailScroll = 0
        case .last: state.detailScroll = Int.max / 2
        case .command: state.input = InputLine(kind: .command)
        case .help: state.overlay = .help
        case .quit: state.shouldQuit = true
        default: break
        }
    }

    /// The delete and bulk confirmations.
    private static func confirm(_ state: inout AppState, _ command: Command) -> [Effect] {
        switch (state.overlay, command) {
        case (.confirmDelete(let id, _, _)?, .confirm):
            state.overlay = nil
            return send(&state, .delete, id: id)
        case (.confirmDelete(let id, _, let deleteFocused)?, .choose):
            state.overlay = nil
            if deleteFocused { return send(&state, .delete, id: id) }
            state.message = Message("Delete cancelled", kind: .info, at: state.now)
        case (.confirmDelete?, .cancel):
            state.overlay = nil
            state.message = Message("Delete cancelled", kind: .info, at: state.now)
        case (.confirmDelete(let id, let name, let deleteFocused)?, .switchButton):
            state.overlay = .confirmDelete(podID: id, name: name, deleteFocused: !deleteFocused)
        case (.confirmBulk(let action)?, .confirm):
            state.overlay = nil
            return startBulk(&state, action)
        case (.confirmBulk(let action)?, .cancel):
            state.overlay = nil
            state.message = Message("\(action.rawValue.capitalized) of \(state.marks.count) marked pods cancelled", kind: .info, at: state.now)
        case (_, .quit):
            state.overlay = nil
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
            state.overlay = .help
        case .moveUp, .moveDown, .pageUp, .pageDown, .first, .last:
            if state.focus == .detail { scrollDetail(&state, command) } else { move(&state, command) }
        case .openDetail:
            if let reason = KeyBindings.unavailableReason(.openDetail, state: state) {
                state.message = Message(reason, kind: .info, at: state.now)
            } else {
                state.focus = .detail
                state.detailScroll = 0
                state.revealEnv = false
            }
        case .back:
            state.focus = .list
            state.revealEnv = false
        case .revealEnv:
            if let reason = KeyBindings.unavailableReason(.revealEnv, state: state) {
                state.message = Message(reason, kind: .info, at: state.now)
            } else {
                state.revealEnv.toggle()
            }
        case .newPod, .clonePod:
            if let reason = KeyBindings.unavailableReason(command, state: state) {
                state.message = Message(reason, kind: .error, at: state.now)
                return []
            }
            if command == .clonePod, let pod = state.selectedPod {
                return FormReducer.open(&state, .clone(of: pod))
            }
            return FormReducer.open(&state, CreateFormState())
        case .pause, .resume, .delete:
            let action: PodAction = command == .pause ? .pause : command == .resume ? .resume : .delete
            if !state.marks.isEmpty && state.focus == .list {
                if state.readOnly {
                    state.message = Message("Read-only mode: \(action.rawValue) is disabled", kind: .error, at: state.now)
                } else {
                    state.overlay = .confirmBulk(action)
                }
                return []
            }
            if let reason = KeyBindings.unavailableReason(command, state: state) {
                // Refused locally: explain, send nothing.
                state.message = Message(reason, kind: .error, at: state.now)
                return []
            }
            guard let pod = state.selectedPod else { return [] }
            // The table marks it dangerous: ask first, naming the pod (Cancel focused).
            if KeyBindings.isDangerous(command) {
                state.overlay = .confirmDelete(podID: pod.id, name: pod.label, deleteFocused: false)
                return []
            }
            return send(&state, action, id: pod.id)
        case .filter:
            state.input = InputLine(kind: .filter, text: state.filter.text)
        case .clearFilter:
            // Esc in the list clears a committed filter, as in k9s.
            if !state.filter.isEmpty { return InputReducer.setFilter(&state, "") }
        case .command:
            state.input = InputLine(kind: .command)
        case .mark:
            guard let pod = state.selectedPod else { return [] }
            if state.marks.contains(pod.id) { state.marks.remove(pod.id) } else { state.marks.insert(pod.id) }
            move(&state, .moveDown)
        case .markAll:
            state.marks.formUnion(state.pods.map(\.id))
            state.message = Message("\(state.marks.count) pods marked: p, r or d acts on all of them; u clears", kind: .info, at: state.now)
        case .clearMarks:
            state.message = state.marks.isEmpty ? nil : Message("Marks cleared", kind: .info, at: state.now)
            state.marks = []
        case .ssh:
            if let reason = KeyBindings.unavailableReason(.ssh, state: state) {
                state.message = Message(reason, kind: .error, at: state.now)
                return []
            }
            guard let pod = state.selectedPod, let command = pod.sshCmd, let args = SSHCommand.arguments(command) else { return [] }
            state.sequence += 1
            state.external = ExternalRequest(seq: state.sequence, arguments: args, title: "ssh to \(TextSafety.clean(pod.label))")
            state.message = Message("Connecting to \(TextSafety.clean(pod.label))…", kind: .info, at: state.now)
        case .copySSH:
            if let reason = KeyBindings.unavailableReason(.copySSH, state: state) {
                state.message = Message(reason, kind: .error, at: state.now)
                return []
            }
            guard let pod = state.selectedPod, let command = pod.sshCmd else { return [] }
            emit(&state, .copy(command))
            state.message = Message("Copied: \(TextSafety.clean(command)) (OSC 52; in tmux needs set-clipboard on)", kind: .success, at: state.now)
        case .sortName, .sortStatus, .sortGPU, .sortCount, .sortRegion, .sortAge, .sortPrice, .sortCost, .sortID:
            sortBy(&state, command.sortColumn ?? .name, ascending: nil)
        default:
            break   // commands of other modes (the table never binds them here)
        }
        return []
    }

    /// Sorts by `column`; the same column again flips the direction.
    static func sortBy(_ state: inout AppState, _ column: SortColumn, ascending: Bool?) {
        if let ascending {
            state.sort = SortSpec(column: column, ascending: ascending)
        } else if state.sort.column == column {
            state.sort.ascending.toggle()
        } else {
            state.sort = SortSpec(column: column, ascending: column.defaultAscending)
        }
        refresh(&state, resort: true)
        state.message = Message("Sorted by \(column.rawValue), \(state.sort.ascending ? "ascending" : "descending")", kind: .info, at: state.now)
    }

    static func send(_ state: inout AppState, _ action: PodAction, id: Int64) -> [Effect] {
        guard state.pending[id] == nil else { return [] }
        state.pending[id] = action
        let name = TextSafety.clean(state.allPods.first { $0.id == id }?.name ?? PodID.short(id))
        state.message = Message("\(action.rawValue.capitalized) \(name)…", kind: .info, at: state.now)
        return [.perform(action, podID: id)]
    }

    static func move(_ state: inout AppState, _ command: Command) {
        guard !state.pods.isEmpty else { return }
        let current = state.selectedIndex ?? 0
        let last = state.pods.count - 1
        let target: Int
        switch command {
        case .moveUp: target = current - 1
        case .moveDown: target = current + 1
        case .pageUp: target = current - state.pageSize
        case .pageDown: target = current + state.pageSize
        case .first: target = 0
        default: target = last
        }
        state.selectedID = state.pods[max(0, min(last, target))].id
        clampScroll(&state)
    }

    private static func scrollDetail(_ state: inout AppState, _ command: Command) {
        switch command {
        case .moveUp: state.detailScroll -= 1
        case .moveDown: state.detailScroll += 1
        case .pageUp: state.detailScroll -= state.pageSize
        case .pageDown: state.detailScroll += state.pageSize
        case .first: state.detailScroll = 0
        default: state.detailScroll = Int.max / 2
        }
        state.detailScroll = max(0, state.detailScroll)   // the renderer clamps the far end
    }
}
