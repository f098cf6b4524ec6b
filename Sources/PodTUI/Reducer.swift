import Foundation
import PodAPI

/// The pure heart of the UI: applies an action to the state and returns the I/O to run.
/// No I/O, no clocks (time comes inside actions), no terminal.
public enum Reducer {
    /// Poll interval while any pod is in a transition.
    public static let fastInterval = 1.0
    /// Longest wait between polls after failures.
    public static let maxBackoff = 60.0

    public static func reduce(_ state: inout AppState, _ action: Action) -> [Effect] {
        state.version &+= 1
        switch action {
        case .start(let now):
            state.now = now
            return startFetch(&state)
        case .tick(let now):
            state.now = now
            if state.connection.fetching { return [] }   // never two list requests in flight
            if let due = state.connection.nextPoll, now < due { return [] }
            return startFetch(&state)
        case .podsLoaded(let generation, let list, let now):
            guard generation == state.connection.generation else { return [] }   // stale reply
            state.now = now
            applyPods(&state, list.pods, now: now)
            state.skippedCount = list.skipped.count
            state.connection.fetching = false
            state.connection.lastSuccess = now
            state.connection.lastError = nil
            state.connection.failures = 0
            let busy = list.pods.contains { $0.status.isTransitional } || !state.pending.isEmpty
            state.connection.nextPoll = now.addingTimeInterval(busy ? min(fastInterval, state.interval) : state.interval)
            return []
        case .podsFailed(let generation, let error, let now):
            guard generation == state.connection.generation else { return [] }
            state.now = now
            state.connection.fetching = false
            state.connection.lastError = error
            state.connection.failures += 1
            state.connection.nextPoll = now.addingTimeInterval(backoff(failures: state.connection.failures, error: error, interval: state.interval))
            return []
        case .actionFinished(let id, let podAction, let error, let now):
            state.now = now
            state.pending[id] = nil
            let name = state.pods.first { $0.id == id }?.name ?? PodID.short(id)
            if let error {
                state.message = Message("\(podAction.rawValue.capitalized) \(name) failed: \(error.message) (not retried)", kind: .error, at: now)
            } else {
                state.message = Message("\(name): \(podAction.pastTense)", kind: .success, at: now)
                // See the new state soon rather than after a full interval.
                if !state.connection.fetching { return startFetch(&state) }
                state.connection.nextPoll = now
            }
            return []
        case .pageSize(let rows):
            state.pageSize = max(1, rows)
            clampScroll(&state)
            return []
        case .key(let key, let now):
            state.now = now
            return reduceKey(&state, key)
        case .gpuTypesLoaded(let result):
            switch result {
            case .success(let types): state.catalog.gpuTypes = .loaded(types)
            case .failure(let error):
                // Keep an older list rather than lose the picker to one failed refresh.
                if state.catalog.gpuTypes.value == nil { state.catalog.gpuTypes = .failed(error.shortReason) }
            }
            return []
        case .credentialsLoaded(let result):
            switch result {
            case .success(let list): state.catalog.credentials = .loaded(list)
            case .failure(let error):
                if state.catalog.credentials.value == nil { state.catalog.credentials = .failed(error.shortReason) }
            }
            return []
        case .podCreated(let pod, let now):
            state.now = now
            _ = FormReducer.created(&state, pod)
            if !state.connection.fetching { return startFetch(&state) }
            state.connection.nextPoll = now
            return []
        case .createFailed(let error, let now):
            state.now = now
            FormReducer.createFailed(&state, error)
            return []
        }
    }

    /// Seconds to wait after `failures` failed polls: 2, 4, 8 … up to a minute, or what a 429 asked.
    public static func backoff(failures: Int, error: PodAPIError, interval: Double) -> Double {
        if case .rateLimited(let after?) = error { return min(max(after, interval), maxBackoff) }
        return min(maxBackoff, max(interval, pow(2, Double(min(failures, 10)))))
    }

    private static func startFetch(_ state: inout AppState) -> [Effect] {
        state.connection.fetching = true
        state.connection.generation += 1
        return [.fetchPods(generation: state.connection.generation)]
    }

    /// Installs a new pod list: records status changes, keeps the selection on the same pod
    /// (or its neighbour when it vanished), and keeps the scroll sane.
    static func applyPods(_ state: inout AppState, _ newPods: [Pod], now: Date) {
        let oldIndex = state.selectedIndex
        var sorted = newPods
        sorted.sort { a, b in
            let c = a.name.localizedCaseInsensitiveCompare(b.name)
            return c == .orderedSame ? a.id < b.id : c == .orderedAscending
        }
        let live = Set(sorted.map(\.id))
        for pod in sorted {
            var seen = state.history[pod.id] ?? []
            if seen.last?.status != pod.status { seen.append(StatusChange(status: pod.status, at: now)); state.history[pod.id] = seen }
        }
        for id in state.history.keys where !live.contains(id) {
            if state.history[id]?.last?.status != .unknown("GONE") {
                state.history[id]?.append(StatusChange(status: .unknown("GONE"), at: now))
            }
        }
        state.pods = sorted
        if let id = state.selectedID, live.contains(id) {
            // Same pod stays selected.
        } else if sorted.isEmpty {
            state.selectedID = nil
        } else {
            let index = min(oldIndex ?? 0, sorted.count - 1)
            state.selectedID = sorted[index].id
            if state.focus == .detail && state.selectedID != nil && oldIndex != nil {
                state.focus = .list   // the pod being read is gone
                state.message = Message("The pod you were viewing is gone", kind: .info, at: now)
            }
        }
        if case .confirmDelete(let id, _, _)? = state.overlay, !live.contains(id) { state.overlay = nil }
        clampScroll(&state)
    }

    static func clampScroll(_ state: inout AppState) {
        guard let index = state.selectedIndex else { state.scrollTop = 0; return }
        if index < state.scrollTop { state.scrollTop = index }
        if index >= state.scrollTop + state.pageSize { state.scrollTop = index - state.pageSize + 1 }
        state.scrollTop = max(0, min(state.scrollTop, max(0, state.pods.count - state.pageSize)))
    }

    // MARK: - Keys

    private static func reduceKey(_ state: inout AppState, _ key: Key) -> [Effect] {
        if key == .resize { return [] }
        switch state.overlay {
        case .help?:
            // Any key closes help; q still quits.
            state.overlay = nil
            if key == .char("q") || key == .ctrl("c") { state.shouldQuit = true }
            return []
        case .confirmDelete(let id, let name, let deleteFocused)?:
            switch key {
            case .char("y"), .char("Y"):
                state.overlay = nil
                return send(&state, .delete, id: id)
            case .char("n"), .char("N"), .escape, .char("q"):
                state.overlay = nil
                state.message = Message("Delete cancelled", kind: .info, at: state.now)
            case .enter:
                state.overlay = nil
                if deleteFocused { return send(&state, .delete, id: id) }
                state.message = Message("Delete cancelled", kind: .info, at: state.now)
            case .tab, .backTab, .left, .right, .char("h"), .char("l"):
                state.overlay = .confirmDelete(podID: id, name: name, deleteFocused: !deleteFocused)
            case .ctrl("c"):
                state.overlay = nil
                state.shouldQuit = true
            default:
                break
            }
            return []
        case nil:
            break
        }
        if state.form != nil {
            if key == .function(1) { state.overlay = .help; return [] }
            return FormReducer.reduceKey(&state, key)
        }
        guard let command = KeyBindings.command(for: key, focus: state.focus) else { return [] }
        return perform(&state, command)
    }

    private static func perform(_ state: inout AppState, _ command: Command) -> [Effect] {
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
            if let reason = KeyBindings.unavailableReason(command, state: state) {
                // Refused locally: explain, send nothing.
                state.message = Message(reason, kind: .error, at: state.now)
                return []
            }
            guard let pod = state.selectedPod else { return [] }
            if command == .delete {
                state.overlay = .confirmDelete(podID: pod.id, name: pod.name, deleteFocused: false)
                return []
            }
            return send(&state, command == .pause ? .pause : .resume, id: pod.id)
        }
        return []
    }

    private static func send(_ state: inout AppState, _ action: PodAction, id: Int64) -> [Effect] {
        guard state.pending[id] == nil else { return [] }
        state.pending[id] = action
        let name = state.pods.first { $0.id == id }?.name ?? PodID.short(id)
        state.message = Message("\(action.rawValue.capitalized) \(name)…", kind: .info, at: state.now)
        return [.perform(action, podID: id)]
    }

    private static func move(_ state: inout AppState, _ command: Command) {
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
