import FoundationEssentials
import PodAPI
import PodLocal

/// Pause timers in the UI: `t` asks "pause in", `:timers` (`T`) lists them, the clock fires
/// the due ones through the store (which claims each in the shared file first, so a timer is
/// fired by one process only).
enum TimerReducer {
    /// How often the shared file is read again.
    static let reloadEvery = 5.0

    static func tick(_ state: inout AppState) -> [Effect] {
        guard state.settings.timersEnabled else { return [] }
        var effects: [Effect] = []
        if !state.timers.loading, state.timers.lastLoad.map({ state.now.timeIntervalSince($0) >= reloadEvery }) ?? true {
            state.timers.loading = true
            state.timers.lastLoad = state.now
            effects.append(.loadTimers)
        }
        guard !state.timers.firing, !state.settings.readOnly else { return effects }
        let idle = idleSeconds(state)
        // A due pending timer, or a claim whose process died (it would show as firing for
        // good otherwise): the store's claim takes either over.
        if state.timers.timers.contains(where: { ($0.state == .pending && $0.isDue(now: state.now, idle: idle) && !leftToWatcher($0, state)) || $0.isStaleClaim(now: state.now) }) {
            state.timers.firing = true
            effects.append(.fireDueTimers(idle: idle))
        }
        return effects
    }

    /// A due clock timer this TUI leaves to the profile's watcher (`podtui watch`), which fires
    /// it within its poll; unless it is `WatcherSeen.graceSeconds` late, when this TUI takes it
    /// (the claim in the file still lets only one of them send the pause). "When idle" timers
    /// are fired by whichever sees the pod idle first: the TUI's probes may see it sooner.
    static func leftToWatcher(_ timer: PauseTimer, _ state: AppState) -> Bool {
        guard state.timers.watcher != nil, let due = timer.trigger.date else { return false }
        let since = max(due, timer.retryAfter ?? due)
        return state.now.timeIntervalSince(since) < WatcherSeen.graceSeconds
    }

    /// `:profile` switched: the timers shown and fired are the new endpoint's and profile's
    /// (the store filters the file by its owner), read again at once. A load or a firing
    /// still out belongs to the old account: its result is dropped, so its flags go too.
    static func endpointChanged(_ state: inout AppState) -> [Effect] {
        state.timers = TimerState()
        return tick(&state)
    }

    /// Seconds each pod's GPUs have been idle, for "when idle" timers: by the probe where it
    /// speaks for the pod, else by the API's metrics.
    static func idleSeconds(_ state: AppState) -> [Int64: Double] {
        guard state.settings.probe.enabled || state.metricsOn,
              state.timers.timers.contains(where: { $0.trigger.idleMinutes != nil && $0.state == .pending }) else { return [:] }
        var idle: [Int64: Double] = [:]
        for timer in state.timers.timers where timer.trigger.idleMinutes != nil && timer.state == .pending {
            if let clock = state.idleClock(timer.podID), clock.idleSince != nil { idle[timer.podID] = clock.idleFor }
        }
        return idle
    }

    static func loaded(_ state: inout AppState, _ result: Result<[PauseTimer], ExternalFailure>) {
        state.timers.loading = false
        switch result {
        case .success(let timers):
            state.timers.timers = timers
            state.timers.loaded = true
            state.timers.problem = nil
            // A timer that came due while no podtui ran: say so before it fires.
            for timer in timers where timer.state == .pending && timer.isLate(now: state.now, margin: 5)
                && !state.timers.announcedLate.contains(timer.podID) {
                let due = timer.trigger.date ?? state.now
                state.timers.announcedLate.insert(timer.podID)
                let text = "Timer for \(TextSafety.clean(timer.label)) came due at \(Format.time(due, in: state.settings.timeZone)) while podtui was closed: pausing it now"
                Reducer.record(&state, timer.podID, text, .info)
                state.say(text, .info)
            }
        case .failure(let failure):
            state.timers.problem = failure.reason
        }
    }

    static func fired(_ state: inout AppState, _ outcomes: [TimerOutcome]) -> [Effect] {
        state.timers.firing = false
        for outcome in outcomes {
            let text = "Timer: \(outcome.text)"
            Reducer.record(&state, outcome.timer.podID, text, outcome.paused ? .good : .info)
            Reducer.announce(&state, text, bad: false)
            if outcome.paused { state.fleet.pending[outcome.timer.podID] = nil }
        }
        state.timers.lastLoad = nil   // read the file again now
        guard !outcomes.isEmpty else { return [] }
        if !state.connection.fetching { return Reducer.startFetch(&state) }
        state.connection.nextPoll = state.now
        return []
    }

    /// `t`: the selected RUNNING pod, or the marked ones.
    static func ask(_ state: inout AppState) {
        // The one rule the footer and the key handler ask too.
        if let refusal = Availability.refusal(.pauseTimer, in: Mode.of(state), state) {
            state.say(refusal.reason, refusal.kind)
            return
        }
        let ids = targets(state).map(\.id)
        state.nav.input = InputLine(kind: .timer(ids))
    }

    static func targets(_ state: AppState) -> [TimerTarget] {
        let marked = state.fleet.allPods.filter { state.fleet.marks.contains($0.id) && $0.status == .running }
        if !state.fleet.marks.isEmpty { return marked.map { TimerTarget(id: $0.id, name: $0.name) } }
        return state.selectedPod.map { [TimerTarget(id: $0.id, name: $0.name)] } ?? []
    }

    /// The prompt's Enter: a duration, a clock time, or `idle [DURATION]`.
    static func accept(_ state: inout AppState, ids: [Int64], text: String) -> [Effect] {
        let zone = state.settings.timeZone
        if let idle = TimerWhen.parseIdle(text) {
            return acceptIdle(&state, ids: ids, minutes: idle ?? state.settings.probe.idleMinutes)
        }
        guard let due = TimerWhen.parse(text, now: state.now, zoneOffset: { zone.offset(at: $0) }) else {
            state.say("Not a time: \"\(TextSafety.clean(text))\" (try 45m, 2h, 1h30m or 18:30)", .error)
            state.nav.input = InputLine(kind: .timer(ids), text: text)   // keep what was typed
            return []
        }
        let targets = ids.map { id in TimerTarget(id: id, name: state.fleet.allPods.first { $0.id == id }?.name ?? state.fleet.names[id]) }
        let names = targets.map { TextSafety.clean($0.name ?? "pod \($0.id)") }.joined(separator: ", ")
        state.say("Pause \(names) at \(Format.time(due, in: zone)) (in \(Format.age(due.timeIntervalSince(state.now))))", .success)
        // Shown at once; the file is the truth from the next reload.
        for target in targets {
            state.timers.timers.removeAll { $0.podID == target.id && $0.state == .pending }
            state.timers.timers.append(PauseTimer(podID: target.id, name: target.name, trigger: .at(due), created: state.now))
        }
        state.fleet.marks = []
        return [.addTimers(targets, .at(due))]
    }

    /// "Pause when idle for N minutes": fires when podtui has seen the pod's GPUs under the
    /// idle threshold that long, by the API's metrics or the probes.
    static func acceptIdle(_ state: inout AppState, ids: [Int64], minutes: Double) -> [Effect] {
        let targets = ids.map { id in TimerTarget(id: id, name: state.fleet.allPods.first { $0.id == id }?.name ?? state.fleet.names[id]) }
        let names = targets.map { TextSafety.clean($0.name ?? "pod \($0.id)") }.joined(separator: ", ")
        let when = "when its GPUs have been under \(Format.percent(state.settings.probe.idlePercent)) for \(Format.age(minutes * 60))"
        if state.settings.probe.enabled || state.metricsOn {
            state.say("Pause \(names) \(when)", .success)
        } else {
            state.say("Pause \(names) \(when): it acts only while API metrics or GPU probes are on (:metrics on, :probe on)", .info)
        }
        for target in targets {
            state.timers.timers.removeAll { $0.podID == target.id && $0.state == .pending }
            state.timers.timers.append(PauseTimer(podID: target.id, name: target.name, trigger: .whenIdle(minutes: minutes), created: state.now))
        }
        state.fleet.marks = []
        return [.addTimers(targets, .whenIdle(minutes: minutes))]
    }

    /// Tab in the prompt: the next preset.
    static func nextPreset(_ text: String) -> String {
        TimerPresets.next(after: text)
    }

    // MARK: - :timers

    static func open(_ state: inout AppState) -> [Effect] {
        state.nav.view = .timers
        state.timers.selected = 0
        state.timers.lastLoad = nil
        return tick(&state)
    }

    static func perform(_ state: inout AppState, _ command: Command) -> [Effect] {
        let count = state.timers.active.count
        switch command {
        case .back: state.nav.view = .pods
        case .moveUp: state.timers.selected = max(0, state.timers.selected - 1)
        case .moveDown: state.timers.selected = min(max(0, count - 1), state.timers.selected + 1)
        case .first: state.timers.selected = 0
        case .last: state.timers.selected = max(0, count - 1)
        case .command: state.nav.input = InputLine(kind: .command)
        case .help: state.nav.overlay = .help
        case .quit: state.shouldQuit = true
        case .cancelTimer:
            let active = state.timers.active
            guard active.indices.contains(state.timers.selected) else {
                state.say("No timer selected", .info)
                return []
            }
            let timer = active[state.timers.selected]
            if let i = state.timers.timers.firstIndex(where: { $0.id == timer.id }) { state.timers.timers[i].state = .cancelled }
            state.timers.selected = max(0, min(state.timers.selected, state.timers.active.count - 1))
            state.say("Timer for \(TextSafety.clean(timer.label)) cancelled", .success)
            return [.cancelTimers([timer.podID])]
        default: break
        }
        return []
    }
}
