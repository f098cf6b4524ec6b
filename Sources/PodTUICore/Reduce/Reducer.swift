import FoundationEssentials
import PodAPI

/// The pure heart of the UI: applies an action to the state and returns the I/O to run.
/// No I/O, no clocks (time comes inside actions), no terminal. Keys are handled in
/// `Reducer+Keys.swift`, the form in `FormReducer`, the `/` and `:` line in `InputReducer`.
public enum Reducer {
    /// Poll interval while any pod is in a transition.
    public static let fastInterval = 1.0
    /// Longest wait between polls after failures.
    public static let maxBackoff = 60.0
    /// Ticks come about once a second (`Poller`, up to 0.1 s late): a poll due within a
    /// quarter second starts at this tick rather than a whole tick late. Without it a 2 s
    /// interval took three ticks whenever the tick two seconds on came a hair early.
    public static let tickSlack = 0.25
    /// Events kept for the events view.
    public static let maxEvents = 500
    /// Seconds after which a pod that disappeared is forgotten (timeline, name).
    public static let forgetGoneAfter = 3600.0

    /// Applies `action`. The time is stamped once, here: the action's own instant, else
    /// `clock` (the store passes its clock for every action, so results without a time of
    /// their own, such as loaded timers, never read a stale `state.now`).
    public static func reduce(_ state: inout AppState, _ action: Action, at clock: Date? = nil) -> [Effect] {
        state.version &+= 1
        if let now = action.time ?? clock { state.now = now }
        // Unfocused, frames are drawn at the clock of the last reply or input, so the clock
        // alone changes no cell (no "updated Ns ago" or ages redrawn for nobody to see).
        if !state.focused, action.movesHeldClock { state.drawnAt = state.now }
        switch action {
        case .tagged(let epoch, let result):
            // Started before a `:profile` switch: it belongs to the other account.
            guard epoch == state.epoch else { return [] }
            return reduce(&state, result, at: clock)
        case .start(let now):
            state.lastActivity = now
            var effects = startFetch(&state)
            if !state.spend.session.isEmpty { effects.append(.loadLedger) }
            if state.settings.templatesEnabled { effects.append(.loadTemplates) }
            return effects + TimerReducer.tick(&state)
        case .tick(let now):
            let storage = StorageReducer.tick(&state) + SpendReducer.tick(&state) + TimerReducer.tick(&state) + ProbeReducer.tick(&state)
                + MetricsReducer.tick(&state)
            if state.connection.fetching { return storage }   // never two list requests in flight
            if let due = state.connection.nextPoll, now < due.addingTimeInterval(-tickSlack) { return storage }
            // Unfocused: at most one request per `unfocused_interval`, whatever else asked
            // for one sooner (transitions, backoff, an action's result).
            if !state.focused, state.settings.unfocusedInterval > 0, let started = state.connection.fetchStartedAt,
               now < started.addingTimeInterval(state.settings.unfocusedInterval - tickSlack) {
                return storage
            }
            return storage + startFetch(&state)
        case .podsLoaded(let generation, let list, let now):
            guard generation == state.connection.generation else { return [] }   // stale reply
            // A steady fleet sends the same list every poll: then there is nothing to
            // re-index, re-filter or re-sort (a 10,000-pod refresh costs tens of ms).
            var effects: [Effect] = []
            if list.pods != state.fleet.allPods || state.connection.lastSuccess == nil || state.fleet.sort.column == .cost {
                applyPods(&state, list.pods, now: now)
                ProbeReducer.podsChanged(&state)
                MetricsReducer.podsChanged(&state)
                effects = SpendReducer.observe(&state, list.pods, now: now, complete: (state.connection.requestedQuery ?? ServerQuery()).isEmpty)
            }
            BudgetReducer.check(&state)
            state.fleet.skippedCount = list.skipped.count
            state.connection.fetching = false
            state.connection.lastSuccess = now
            state.connection.lastError = nil
            state.connection.failures = 0
            // The filter changed while this was out: ask again now with the new query.
            let queryChanged = state.connection.requestedQuery != serverQuery(state)
            state.connection.nextPoll = queryChanged ? now : nextPollAfterReply(state, now: now)
            return effects
        case .podsFailed(let generation, let error, let now):
            guard generation == state.connection.generation else { return [] }
            state.connection.fetching = false
            state.connection.lastError = error
            state.connection.failures += 1
            if case .rateLimited = error { state.lastRateLimit = now }
            state.connection.nextPoll = now.addingTimeInterval(backoff(failures: state.connection.failures, error: error, interval: state.settings.interval))
            return []
        case .actionFinished(let id, let podAction, let error, let now):
            state.fleet.pending[id] = nil
            let name = TextSafety.clean(state.fleet.names[id] ?? PodID.short(id))
            if let error {
                record(&state, id, "\(podAction.rawValue) \(name) failed: \(error.message)", .bad)
            } else {
                record(&state, id, "\(name): \(podAction.requested)", .good)
            }
            if state.bulk != nil {
                bulkFinished(&state, id: id, name: name, error: error)
            } else if let error {
                state.say("\(podAction.rawValue.firstUppercased) \(name) failed: \(error.message) (not retried)", .error)
            } else {
                state.say("\(name): \(podAction.requested)", .success)
            }
            guard error == nil else { return [] }
            // See the new state soon rather than after a full interval.
            if !state.connection.fetching { return startFetch(&state) }
            state.connection.nextPoll = now
            return []
        case .pageSize(let rows):
            state.nav.pageSize = max(1, rows)
            clampScroll(&state)
            return []
        case .key(.focusOut, _):
            state.focused = false
            state.drawnAt = state.now
            return []
        case .key(.focusIn, let now):
            // Back in front of the user: the data is refreshed at once, not at the next due poll.
            state.focused = true
            state.drawnAt = nil
            state.lastActivity = now
            if state.connection.fetching { return [] }
            return startFetch(&state)
        case .key(let key, let now):
            if key != .resize { state.lastActivity = now }
            return reduceKey(&state, key)
        case .mouse(let event, let now):
            state.lastActivity = now
            return reduceMouse(&state, event)
        case .gpuTypesLoaded(let result):
            switch result {
            case .success(let types): state.catalog.gpuTypes = .loaded(types)
            case .failure(let error):
                // Keep an older list rather than lose the picker to one failed refresh.
                if state.catalog.gpuTypes.value == nil { state.catalog.gpuTypes = .failed(error.shortReason) }
            }
            return []
        case .credentialsLoaded(let result):
            state.storage.listLoading = false
            switch result {
            case .success(let list): state.catalog.credentials = .loaded(list)
            case .failure(let error):
                if state.catalog.credentials.value == nil { state.catalog.credentials = .failed(error.shortReason) }
            }
            return []
        case .ledgerLoaded(let result):
            SpendReducer.loaded(&state, result)
            return []
        case .timersLoaded(let result):
            TimerReducer.loaded(&state, result)
            return []
        case .watcherSeen(let watcher):
            state.timers.watcher = watcher
            return []
        case .idleClocksLoaded(let records):
            ProbeReducer.idleLoaded(&state, records)
            return []
        case .probed(let id, let result, _):
            ProbeReducer.finished(&state, id, result)
            return TimerReducer.tick(&state)
        case .metricsLoaded(let request, let result, _):
            MetricsReducer.loaded(&state, request, result)
            return request.job.kind == .gpu ? TimerReducer.tick(&state) : []
        case .templatesLoaded(let names):
            state.templates = names
            return []
        case .templateLoaded(let name, let result):
            return TemplateReducer.loaded(&state, name, result)
        case .timersFired(let outcomes, _):
            return TimerReducer.fired(&state, outcomes)
        case .volumesLoaded(let result):
            StorageReducer.volumesLoaded(&state, result)
            return []
        case .storageFinished(let request, let result, _):
            return StorageReducer.finished(&state, request, result)
        case .podCreated(let pod, let now):
            record(&state, pod.id, "created \(TextSafety.clean(pod.label)) (id \(pod.id))", .good)
            _ = FormReducer.created(&state, pod)
            if !state.connection.fetching { return startFetch(&state) }
            state.connection.nextPoll = now
            return []
        case .rawLoaded(let id, let result):
            guard var raw = state.raw, raw.podID == id else { return [] }
            switch result {
            case .success(let body):
                raw.load(body, mask: !state.nav.revealEnv, redactor: state.settings.redactor)
            case .failure(let error):
                raw.error = error.message
            }
            state.raw = raw
            return []
        case .notice(let text, let isError, _):
            state.say(text, isError ? .error : .success)
            record(&state, nil, text, isError ? .bad : .info)
            return []
        case .settingsReloaded(let settings):
            reload(&state, settings)
            return []
        case .podCreatedWithoutID(let name, let now):
            FormReducer.createdWithoutID(&state, name: name)
            if !state.connection.fetching { return startFetch(&state) }
            state.connection.nextPoll = now
            return []
        case .createFailed(let error, _):
            record(&state, nil, "create failed: \(error.message)", .bad)
            FormReducer.createFailed(&state, error)
            return []
        case .screenSize(let size):
            state.nav.screenSize = size
            return []
        case .profileSwitched(let name, let endpoint, let readOnly, let secrets, _):
            for secret in secrets.secrets { state.settings.redactor.add(secret) }
            state.epoch += 1   // results of work started before now are dropped
            state.settings.endpoint = endpoint
            state.settings.readOnly = readOnly
            state.fleet.allPods = []
            state.fleet.marks = []
            state.fleet.pending = [:]
            state.fleet.history = [:]
            state.fleet.changedAt = [:]
            state.bulk = nil          // its results belong to the other account: they are dropped
            ProbeReducer.reset(&state) // so are probes in flight: their places in the cap are freed
            MetricsReducer.reset(&state)
            state.nav.overlay = nil
            state.catalog = Catalog()
            state.storage = StorageState()   // its requests belong to the other account
            let generation = state.connection.generation
            state.connection = ConnectionHealth()
            state.connection.generation = generation   // startFetch moves past it: old replies are dropped
            refresh(&state)
            record(&state, nil, "switched to profile \(TextSafety.clean(name)) (\(TextSafety.clean(endpoint)))", .info)
            state.say("Profile \(TextSafety.clean(name)): \(TextSafety.clean(endpoint))\(readOnly ? " (read-only)" : "")", .success)
            return startFetch(&state) + SpendReducer.endpointChanged(&state) + TimerReducer.endpointChanged(&state)
        case .profileFailed(let why, _):
            // Kept in :events too: the message line is gone after a few seconds.
            state.say(why, .error)
            record(&state, nil, why, .bad)
            return []
        case .forwardEvent(let id, let event, _):
            ForwardReducer.event(&state, id, event)
            return []
        case .pluginFinished(let id, let result, _):
            PluginReducer.finished(&state, id, result)
            return []
        case .externalFinished(let seq, let result, _):
            guard let request = state.io.external, request.seq == seq else { return [] }
            state.io.external = nil
            switch result {
            case .success(0): state.say("\(request.title): ended", .info)
            case .success(let code): state.say("\(request.title): exited with status \(code)", .error)
            case .failure(let why): state.say("\(request.title): could not start: \(why.reason)", .error)
            }
            return []
        }
    }

    /// Seconds to wait after `failures` failed polls: 2, 4, 8 … up to a minute, or what a 429 asked.
    public static func backoff(failures: Int, error: PodAPIError, interval: Double) -> Double {
        if case .rateLimited(let after?) = error { return min(max(after, interval), maxBackoff) }
        return min(maxBackoff, max(interval, Double(1 << min(max(failures, 0), 10))))
    }

    /// When the poll after a good reply is due: `pollInterval` counted from when the request
    /// was sent, so the period is the interval the user set and not the interval plus the
    /// reply's time rounded up to the next tick (a 2 s interval polled every 3 s). A reply
    /// slower than the interval is still followed by half an interval without requests.
    static func nextPollAfterReply(_ state: AppState, now: Date) -> Date {
        let interval = pollInterval(state)
        let fromRequest = (state.connection.fetchStartedAt ?? now).addingTimeInterval(interval)
        return max(fromRequest, now.addingTimeInterval(interval / 2))
    }

    /// Seconds until the next poll after a good one. Fast (1 s) while anything is changing;
    /// the configured interval while the user is active or the data moved in the last minute;
    /// then 2× and, after five quiet minutes, 4× (at most a minute, never under the
    /// configured floor); doubled for five minutes after a 429.
    public static func pollInterval(_ state: AppState) -> Double {
        let busy = state.fleet.allPods.contains { $0.status.isTransitional } || !state.fleet.pending.isEmpty
        if busy { return min(fastInterval, state.settings.interval) }
        var factor = 1.0
        if let last = state.lastActivity {
            let idle = state.now.timeIntervalSince(last)
            factor = idle > 300 ? 4 : idle > 60 ? 2 : 1
        }
        if let limited = state.lastRateLimit, state.now.timeIntervalSince(limited) < 300 { factor *= 2 }
        return max(state.settings.interval, min(state.settings.interval * factor, maxBackoff))
    }

    /// The list query the filter asks the server for.
    static func serverQuery(_ state: AppState) -> ServerQuery {
        guard state.fleet.filter.terms.contains(where: { $0.field == .region || $0.field == .status }) else { return ServerQuery() }
        var regions = state.fleet.summary.regions
        for type in state.catalog.gpuTypes.value ?? [] { for r in type.regions { regions.insert(r.region) } }
        return state.fleet.filter.serverQuery(knownRegions: regions)
    }

    static func startFetch(_ state: inout AppState) -> [Effect] {
        state.connection.fetching = true
        state.connection.fetchStartedAt = state.now
        state.connection.generation += 1
        let query = serverQuery(state)
        state.connection.requestedQuery = query
        return [.fetchPods(generation: state.connection.generation, query)]
    }

    /// Adds a line to the events view.
    static func record(_ state: inout AppState, _ id: Int64?, _ text: String, _ kind: PodEvent.Kind) {
        state.events.append(PodEvent(at: state.now, podID: id, text: text, kind: kind))
        if state.events.count > maxEvents { state.events.removeFirst(state.events.count - maxEvents) }
    }

    /// Queues bytes for the terminal (bell, notification, clipboard).
    static func emit(_ state: inout AppState, _ kind: TerminalOutput.Kind) {
        state.io.sequence += 1
        state.io.outbox.append(TerminalOutput(seq: state.io.sequence, kind: kind))
        if state.io.outbox.count > 16 { state.io.outbox.removeFirst(state.io.outbox.count - 16) }
    }

    /// Installs a new pod list: records status changes (timeline, events, announcements,
    /// highlights), then refilters and resorts, keeping the selection on the same pod (or
    /// its neighbour when it vanished).
    static func applyPods(_ state: inout AppState, _ newPods: [Pod], now: Date) {
        let firstLoad = state.connection.lastSuccess == nil && state.fleet.allPods.isEmpty
        // Under a server-side filter, or when its query changed, a pod missing from the reply
        // (or new in it) may only have left (or entered) the filter: compare statuses of pods
        // in both replies, but say "appeared"/"gone" only for unfiltered replies of one query.
        let query = state.connection.requestedQuery ?? ServerQuery()
        let sameQuery = query == state.fleet.lastReplyQuery && query.isEmpty
        state.fleet.lastReplyQuery = query
        let oldPods = state.fleet.allPods
        // The usual reply of a watched fleet: the same pods in the same order, a pod or two
        // changed. Only those are looked at (no pod appeared or went, so there is nothing to
        // match up by id), which keeps a reply of 10,000 pods from hashing 10,000 ids.
        if !firstLoad, sameQuery, newPods.count == oldPods.count, zip(oldPods, newPods).allSatisfy({ $0.id == $1.id }) {
            var changed = false
            for i in newPods.indices where newPods[i] != oldPods[i] {
                changed = observe(&state, newPods[i], before: oldPods[i], firstLoad: false, sameQuery: true, now: now) || changed
            }
            if state.fleet.history.count > newPods.count { forgetGone(&state, now: now) }
            if changed { state.lastActivity = now }
            state.fleet.changedAt = state.fleet.changedAt.filter { now.timeIntervalSince($0.value) < AppState.highlightSeconds }
            state.fleet.allPods = newPods
            refresh(&state, resort: true)
            return
        }
        // Where each pod was in the last reply (indices, not copies of 10,000 pods).
        let old = Dictionary(oldPods.indices.map { (oldPods[$0].id, $0) }, uniquingKeysWith: { a, _ in a })
        let live = Set(newPods.map(\.id))
        var changed = false
        // Room for every pod at once: grown an insert at a time, the tables of a first reply
        // of 10,000 pods were rehashed a dozen times each.
        state.fleet.names.reserveCapacity(newPods.count)
        state.fleet.history.reserveCapacity(newPods.count)
        for pod in newPods {
            changed = observe(&state, pod, before: old[pod.id].map { oldPods[$0] }, firstLoad: firstLoad, sameQuery: sameQuery, now: now) || changed
        }
        for (id, at) in old where !live.contains(id) && sameQuery {
            let pod = oldPods[at]
            changed = true
            state.fleet.changedAt[id] = nil
            record(&state, id, "\(TextSafety.clean(pod.label)): gone", .info)
            announce(&state, "\(TextSafety.clean(pod.label)) is gone", bad: false, yielding: 5)
        }
        for id in state.fleet.history.keys where !live.contains(id) && sameQuery {
            if state.fleet.history[id]?.last?.seen != .gone {
                state.fleet.history[id]?.append(StatusChange(.gone, at: now, observed: true))
            }
        }
        if sameQuery { forgetGone(&state, now: now) }
        forgetBeyondBound(&state, live: live)
        if changed { state.lastActivity = now }
        state.fleet.changedAt = state.fleet.changedAt.filter { now.timeIntervalSince($0.value) < AppState.highlightSeconds }
        state.fleet.allPods = newPods
        state.fleet.marks = state.fleet.marks.intersection(live)
        if case .confirmDelete(let id, _, _)? = state.nav.overlay, !live.contains(id) { state.nav.overlay = nil }
        refresh(&state, resort: true)
    }

    /// One pod of a reply against what the last reply said of it (`before`, nil when it
    /// was not in it): its label, its status timeline, and the events, announcements and
    /// highlights a change earns. True when the user would see something change.
    private static func observe(_ state: inout AppState, _ pod: Pod, before: Pod?, firstLoad: Bool, sameQuery: Bool, now: Date) -> Bool {
        // A pod of the last reply under the same name has its label here already (making a
        // label trims the name).
        if before?.name != pod.name || state.fleet.names[pod.id] == nil {
            let label = pod.label
            if state.fleet.names[pod.id] != label { state.fleet.names[pod.id] = label }
        }
        // The last status seen, filtered or not: a change made while the pod was outside a
        // filter still shows when it comes back.
        let previous = state.fleet.history[pod.id]?.last { $0.seen != .gone }?.status
        if state.fleet.history[pod.id]?.last?.seen != .status(pod.status) {
            // A pod's first entry was not seen to begin (it is what the pod was doing when
            // podtui started, or when it came into the filter). A pod new in an unfiltered
            // reply after the first was seen to appear.
            let observed = !firstLoad && (previous != nil || sameQuery)
            var entries = state.fleet.history[pod.id, default: []]
            entries.append(StatusChange(.status(pod.status), at: now, observed: observed))
            if entries.count > StatusChange.keptPerPod { entries.removeFirst(entries.count - StatusChange.keptPerPod) }
            state.fleet.history[pod.id] = entries
        }
        guard !firstLoad else { return false }
        // Made only for the events that say it.
        var name: String { TextSafety.clean(pod.label) }
        if let previous, previous != pod.status {
            state.fleet.changedAt[pod.id] = now
            let kind: PodEvent.Kind = pod.status == .failed ? .bad : pod.status == .running ? .good : .info
            record(&state, pod.id, "\(name): \(previous.wireName) → \(pod.status.wireName)", kind)
            if pod.status == .running || pod.status == .failed { announce(&state, "\(name) is now \(pod.status.wireName)", bad: pod.status == .failed, yielding: 5) }
            return true
        }
        if let before {
            guard before.pricePerHour != pod.pricePerHour || before.gpuCount != pod.gpuCount || before.name != pod.name else { return false }
            state.fleet.changedAt[pod.id] = now
            return true
        }
        if previous == nil && sameQuery {
            state.fleet.changedAt[pod.id] = now
            record(&state, pod.id, "\(name): appeared (\(pod.status.wireName))", .info)
            return true
        }
        return false
    }

    /// Forgets pods gone for an hour, so a session open for days does not grow with every
    /// pod that ever came and went (one with an action still unanswered stays).
    private static func forgetGone(_ state: inout AppState, now: Date) {
        let expired = state.fleet.history.compactMap { id, entries -> Int64? in
            guard let last = entries.last, last.seen == .gone, now.timeIntervalSince(last.at) > forgetGoneAfter,
                  state.fleet.pending[id] == nil else { return nil }
            return id
        }
        for id in expired {
            state.fleet.history[id] = nil
            state.fleet.names[id] = nil
        }
    }

    /// Pods no longer in the reply are remembered (history, names) for at most this many
    /// beyond the live ones: under a filter "gone" is never said, and an API that invents
    /// new ids every poll must not grow the session without end.
    static let rememberedBeyondLive = 5_000

    /// Forgets the pods not in the reply whose last entry is oldest, past the bound.
    static func forgetBeyondBound(_ state: inout AppState, live: Set<Int64>) {
        let excess = state.fleet.history.count - live.count - rememberedBeyondLive
        guard excess > 0 else { return }
        let stale = state.fleet.history.filter { !live.contains($0.key) && state.fleet.pending[$0.key] == nil }
            .map { (id: $0.key, at: $0.value.last?.at ?? .distantPast) }
            .sorted { $0.at < $1.at }
            .prefix(excess)
        for entry in stale {
            state.fleet.history[entry.id] = nil
            state.fleet.names[entry.id] = nil
        }
    }

    /// A change worth telling the user about: the message line, plus bell and desktop
    /// notification when enabled.
    /// `yielding`: a finding of the background (API metrics' idle or full disk) leaves the
    /// message line to what the user's own action said less than that many seconds ago, so
    /// a start that finds five idle pods does not wipe "Copied: …" (the event and the bell
    /// still come).
    static func announce(_ state: inout AppState, _ text: String, bad: Bool, yielding: Double = 0) {
        let fresh = state.message.map { !$0.background && state.now.timeIntervalSince($0.at) < yielding } ?? false
        if !fresh {
            state.say(text, bad ? .error : .success)
            if yielding > 0 { state.message?.background = true }
        }
        guard state.settings.notifications else { return }
        emit(&state, .bell)
        emit(&state, .notify("podtui", text))
    }

    /// Recomputes the visible list from `allPods`, the filter and the sort, keeping the
    /// selection where it can.
    static func refresh(_ state: inout AppState, resort: Bool = false) {
        let oldIndex = state.selectedIndex
        let count = state.fleet.allPods.count
        // A reply re-places the pods it changed in the kept order (FleetState.reindex), so a
        // sort is made whole only for a new sort, a new list, or a sort by the clock.
        if resort || state.fleet.sortedIndices.count != count {
            let sort = state.fleet.sort
            if state.fleet.sortedFor != sort || sort.dependsOnTime || state.fleet.sortedIndices.count != count {
                state.fleet.sortedIndices = sort.sortedIndices(state.fleet.allPods, index: state.fleet.search, nameRank: state.fleet.nameRank,
                                                               now: state.now, spend: state.spend.total)
                state.fleet.sortedFor = sort
            }
        }
        let filter = state.fleet.filter
        var order = state.fleet.sortedIndices
        if !filter.terms.isEmpty {
            let hits = state.fleet.filterHits()
            order = order.filter { hits[$0] }
        }
        if let wanted = filter.idle {
            let all = state.fleet.allPods, snapshot = state
            order = order.filter { snapshot.isIdle(all[$0].id) == wanted }
        }
        state.fleet.pods = PodView(all: state.fleet.allPods, ids: state.fleet.ids, order: order)
        if let id = state.nav.selectedID, state.fleet.pods.firstIndex(ofID: id) != nil {
            // Same pod stays selected.
        } else if state.fleet.pods.isEmpty {
            state.nav.selectedID = nil
        } else {
            let index = min(oldIndex ?? 0, state.fleet.pods.count - 1)
            state.nav.selectedID = state.fleet.pods[index].id
            if state.nav.focus == .detail && oldIndex != nil {
                state.nav.focus = .list   // the pod being read is gone
                state.say("The pod you were viewing is gone", .info)
            }
        }
        clampScroll(&state)
    }

    static func clampScroll(_ state: inout AppState) {
        guard let index = state.selectedIndex else { state.nav.scrollTop = 0; return }
        if index < state.nav.scrollTop { state.nav.scrollTop = index }
        if index >= state.nav.scrollTop + state.nav.pageSize { state.nav.scrollTop = index - state.nav.pageSize + 1 }
        state.nav.scrollTop = max(0, min(state.nav.scrollTop, max(0, state.fleet.pods.count - state.nav.pageSize)))
    }

    /// New settings for a running process (the watcher's SIGHUP): what can change without
    /// a restart. The budget's crossing is judged again at once against the new one.
    static func reload(_ state: inout AppState, _ settings: Settings) {
        if let interval = settings.interval, interval >= 1 { state.settings.interval = interval }
        state.settings.budgetPerHour = settings.budgetPerHour
        state.settings.probe.idlePercent = settings.probe.idlePercent
        state.settings.probe.idleMinutes = settings.probe.idleMinutes
        state.settings.metrics.requestsPerSecond = settings.metrics.requestsPerSecond
        state.metrics.schedule.rate = settings.metrics.requestsPerSecond
        BudgetReducer.check(&state)
    }
}
