import FoundationEssentials
import PodAPI
import PodProbe

/// API metrics in the UI: which requests go out each second (within the budget kept by
/// `MetricsSchedule`), what an answer does (the list's figures, the idle clock from the
/// history, "disk full", the detail pane's history), and `:metrics`, `:window`, `w`/`W`.
enum MetricsReducer {
    /// How long a message the user's action produced keeps the line from a finding.
    static let yieldSeconds = 5.0

    /// The live GPU window: long enough to see a whole idle stretch at once (the idle time
    /// and ten minutes, at least an hour), at most the 3 hours a 30 s step allows.
    static func gpuWindow(_ state: AppState) -> Double {
        min(MetricStep.s30.widestWindow, max(3600, state.settings.probe.idleSeconds + 600))
    }

    /// After the pods changed: the RUNNING ones are the only ones asked; the others lose
    /// their figures (and the detail pane's history when it was theirs).
    static func podsChanged(_ state: inout AppState) {
        guard state.metricsOn else { return }
        var running: [Int64] = []
        var cpuOnly: Set<Int64> = []
        running.reserveCapacity(state.metrics.running.count)
        for pod in state.fleet.allPods where pod.status == .running {
            running.append(pod.id)
            if pod.isCPU { cpuOnly.insert(pod.id) }
        }
        state.metrics.cpuOnly = cpuOnly
        guard running != state.metrics.running else { return }
        let kept = Set(running)
        let idleBefore = state.metrics.pods.values.contains { $0.idle.idleSince != nil }
        state.metrics.running = running
        state.metrics.runningSet = kept
        state.metrics.pods = state.metrics.pods.filter { kept.contains($0.key) }
        let threshold = state.settings.probe.idlePercent
        state.metrics.idleGPUs = 0
        state.metrics.seenGPUs = 0
        for seen in state.metrics.pods.values {
            let tally = gpuTally(seen, under: threshold)
            state.metrics.idleGPUs += tally.idle
            state.metrics.seenGPUs += tally.total
        }
        if let detail = state.metrics.detail, !kept.contains(detail.pod) { state.metrics.detail = nil }
        state.metrics.schedule.keep(only: kept, detailOf: state.nav.selectedID)
        if idleBefore, state.fleet.filter.idle != nil { Reducer.refresh(&state) }
    }

    /// Once a second: the requests that are due, within the budget.
    static func tick(_ state: inout AppState) -> [Effect] {
        guard state.metricsOn, !state.metrics.running.isEmpty else { return [] }
        let wants = wanted(state)
        let jobs = state.metrics.schedule.start(now: state.now, wants: wants)
        guard !jobs.isEmpty else { return [] }
        // The fleet and disk windows move on past the furthest pod they started: the schedule
        // takes the longest-waiting first, so any pod before it was asked more recently. A row
        // on screen was asked by its own lane: it moves nothing (else the pods before it in
        // the window would be passed over).
        let onScreen = visibleRunning(state)
        state.metrics.fleetCursor = advance(state.metrics.fleetCursor,
                                            past: Set(jobs.filter { $0.window == nil && $0.kind == .gpu && !onScreen.contains($0.pod) }.map(\.pod)), state)
        state.metrics.diskCursor = advance(state.metrics.diskCursor, past: Set(jobs.filter { $0.window == nil && $0.kind == .storage }.map(\.pod)), state)
        return [.fetchMetrics(jobs.map { request(for: $0, state) })]
    }

    /// A lane's cursor moved past the furthest of `started` in its window.
    static func advance(_ cursor: Int, past started: Set<Int64>, _ state: AppState) -> Int {
        let all = state.metrics.running
        guard !all.isEmpty, !started.isEmpty else { return cursor }
        var furthest = -1
        for i in 0..<min(all.count, MetricsState.fleetWindow) where started.contains(all[(cursor + i) % all.count]) { furthest = i }
        return (cursor + furthest + 1) % all.count
    }

    /// The RUNNING pods on screen.
    static func visibleRunning(_ state: AppState) -> Set<Int64> {
        guard state.nav.view == .pods else { return [] }
        let top = max(0, state.nav.scrollTop)
        let bottom = min(state.fleet.pods.count, top + max(1, state.nav.pageSize))
        guard top < bottom else { return [] }
        let running = state.metrics.runningSet
        return Set((top..<bottom).map { state.fleet.pods[$0].id }.filter(running.contains))
    }

    /// Every job podtui would like answered now, in its lane (see `MetricsSchedule`).
    static func wanted(_ state: AppState) -> [MetricsSchedule.Want] {
        let running = state.metrics.runningSet
        var wants: [MetricsSchedule.Want] = []
        wants.reserveCapacity(state.metrics.running.count * 2 + 64)
        let cpuOnly = state.metrics.cpuOnly
        // A CPU pod's GPU routes have nothing to say: not asked.
        func hasGPUs(_ id: Int64) -> Bool { !cpuOnly.contains(id) }
        // The selected pod, every kind over the window, while its detail or metrics show.
        if state.nav.view == .pods, state.nav.focus == .detail, let id = state.nav.selectedID, running.contains(id) {
            let window = state.settings.metrics.window
            let every = max(30, min(300, window.step.seconds))
            for kind in MetricKind.allCases where hasGPUs(id) || (kind != .gpu && kind != .gpuMemory) {
                wants.append(.init(.init(pod: id, kind: kind, window: window), .selected, every: every))
            }
        }
        // The rows on screen: GPU% first; their slower figures go with the fleet.
        let columns = Set(ListLayout.configured(state).map(\.title))
        let top = max(0, state.nav.scrollTop)
        let bottom = min(state.fleet.pods.count, top + max(1, state.nav.pageSize))
        if state.nav.view == .pods, top < bottom {
            for row in top..<bottom {
                let id = state.fleet.pods[row].id
                guard running.contains(id) else { continue }
                let gpu = hasGPUs(id)
                if gpu && columns.contains("GPU%") { wants.append(.init(.init(pod: id, kind: .gpu), .visible)) }
                if gpu && columns.contains("VRAM") { wants.append(.init(.init(pod: id, kind: .gpuMemory), .fleet, every: 60)) }
                if columns.contains("CPU%") { wants.append(.init(.init(pod: id, kind: .cpu), .fleet, every: 60)) }
                if columns.contains("MEM") { wants.append(.init(.init(pod: id, kind: .memory), .fleet, every: 60)) }
                if columns.contains("DISK") { wants.append(.init(.init(pod: id, kind: .storage), .fleet, every: 60)) }
            }
        }
        // Every RUNNING pod, a window at a time: GPU% for idle detection, the disk for "disk
        // full". The schedule takes the longest-waiting of what it is offered.
        let all = state.metrics.running
        let span = min(all.count, MetricsState.fleetWindow)
        for i in 0..<span {
            let id = all[(state.metrics.fleetCursor + i) % all.count]
            if hasGPUs(id) { wants.append(.init(.init(pod: id, kind: .gpu), .fleet)) }
        }
        for i in 0..<span {
            wants.append(.init(.init(pod: all[(state.metrics.diskCursor + i) % all.count], kind: .storage), .disk))
        }
        return wants
    }

    /// The window and step a job asks for.
    static func request(for job: MetricsSchedule.Job, _ state: AppState) -> MetricsRequest {
        let end = state.now
        if let window = job.window {
            return MetricsRequest(job: job, start: end.addingTimeInterval(-window.seconds), end: end, step: window.step)
        }
        let span: Double = switch job.kind {
        case .gpu: gpuWindow(state)
        case .storage: 1800
        case .gpuMemory, .cpu, .memory: 600
        }
        return MetricsRequest(job: job, start: end.addingTimeInterval(-span), end: end, step: .s30)
    }

    /// A request's answer.
    static func loaded(_ state: inout AppState, _ request: MetricsRequest, _ result: MetricsResult) {
        let job = request.job
        switch result {
        case .failed(let why, let retryAfter):
            state.metrics.schedule.failed(job, at: state.now, retryAfter: retryAfter)
            state.metrics.lastFailure = why
            state.metrics.lastFailureAt = state.now
            if job.window != nil, job.window == state.settings.metrics.window, job.pod == state.nav.selectedID {
                var history = history(&state, job)
                if history.kinds[job.kind] == nil { history.kinds[job.kind] = .failed(why) }
                state.metrics.detail = history
            }
            return
        case .answer(.notAvailable):
            state.metrics.schedule.notAvailable(job, at: state.now)
        case .answer:
            state.metrics.schedule.answered(job, at: state.now)
            state.metrics.lastFailure = nil
        }
        guard state.metricsOn, state.metrics.runningSet.contains(job.pod) else { return }
        guard case .answer(let answer) = result else { return }
        // The detail pane's history, while it is still the pod and window shown.
        if let window = job.window, window == state.settings.metrics.window, job.pod == state.nav.selectedID {
            var history = history(&state, job)
            switch answer {
            case .data(let metrics): history.kinds[job.kind] = .data(metrics, at: state.now)
            case .noData: history.kinds[job.kind] = .noData(at: state.now)
            case .notAvailable(let reason): history.kinds[job.kind] = .notAvailable(reason)
            }
            state.metrics.detail = history
        }
        // The live figures: from live requests, and from detail ones at the finest step.
        guard job.window == nil || request.step == .s30 else { return }
        var seen = state.metrics.pods[job.pod] ?? PodMetricsSeen()
        let wasIdle = isIdle(seen, state)
        let before = gpuTally(seen, under: state.settings.probe.idlePercent)
        switch answer {
        case .notAvailable(let reason):
            seen.unavailable[job.kind] = TextSafety.clean(reason)
            seen.figures[job.kind] = nil
            seen.noData.remove(job.kind)
        case .noData:
            seen.unavailable[job.kind] = nil
            seen.figures[job.kind] = nil
            seen.noData.insert(job.kind)
        case .data(let metrics):
            seen.unavailable[job.kind] = nil
            seen.noData.remove(job.kind)
            if let figure = MetricFigure.newest(of: metrics, at: state.now) {
                if job.kind == .gpu {
                    let probe = state.settings.probe
                    seen.idle = MetricsIdle.clock(after: seen.idle, series: metrics.series, under: probe.idlePercent,
                                                  maxGap: 3 * request.step.seconds + 60)
                }
                seen.figures[job.kind] = figure
            } else {
                seen.figures[job.kind] = nil
                seen.noData.insert(job.kind)
            }
        }
        if job.kind == .gpu, seen.idle.idleSince == nil { seen.idleAnnounced = false }
        state.metrics.pods[job.pod] = seen
        let after = gpuTally(seen, under: state.settings.probe.idlePercent)
        state.metrics.idleGPUs += after.idle - before.idle
        state.metrics.seenGPUs += after.total - before.total
        if job.kind == .gpu { idleChanged(&state, job.pod, wasIdle: wasIdle) }
        if job.kind == .storage { diskChecked(&state, job.pod) }
    }

    /// The history for `job`'s pod and window, a fresh one when the pane showed another.
    private static func history(_ state: inout AppState, _ job: MetricsSchedule.Job) -> MetricsHistory {
        if let detail = state.metrics.detail, detail.pod == job.pod, detail.window == job.window { return detail }
        return MetricsHistory(pod: job.pod, window: job.window ?? state.settings.metrics.window)
    }

    /// A pod's GPUs under `threshold` in its newest API figure, and its GPUs with a figure.
    static func gpuTally(_ seen: PodMetricsSeen, under threshold: Double) -> (idle: Int, total: Int) {
        guard let values = seen.figures[.gpu]?.values else { return (0, 0) }
        return (values.filter { $0 < threshold }.count, values.count)
    }

    /// Idle by the API's figures, unless the probes speak for the pod.
    static func isIdle(_ seen: PodMetricsSeen, _ state: AppState) -> Bool {
        seen.idle.isIdle(after: state.settings.probe.idleSeconds)
    }

    /// The one announcement per idle stretch (when the probes do not already speak for the
    /// pod), and the `idle:` filter's refresh.
    static func idleChanged(_ state: inout AppState, _ id: Int64, wasIdle: Bool) {
        guard let seen = state.metrics.pods[id] else { return }
        let idle = isIdle(seen, state)
        if idle, !seen.idleAnnounced, state.idleSource(id) == .api {
            state.metrics.pods[id]?.idleAnnounced = true
            let pod = state.pod(id)
            let name = TextSafety.clean(pod?.label ?? state.fleet.names[id] ?? PodID.short(id))
            let count = seen.figures[.gpu]?.values.count ?? 0
            let gpus = count == 1 ? "its GPU has" : count > 1 ? "its \(count) GPUs have" : "its GPUs have"
            let price = pod?.pricePerHour.map { ", still billing $\(Format.price($0))/h" } ?? ""
            let text = "\(name): \(gpus) been under \(Format.percent(state.settings.probe.idlePercent)) for \(Format.age(seen.idle.idleFor))\(price)"
            Reducer.record(&state, id, text, .bad)
            Reducer.announce(&state, text, bad: true, yielding: MetricsReducer.yieldSeconds)
        }
        if idle != wasIdle, state.fleet.filter.idle != nil { Reducer.refresh(&state) }
    }

    /// "Disk full" when the disk crosses `diskFullShare`: a badge, an event and an
    /// announcement, once until it drops under `diskClearShare`.
    static func diskChecked(_ state: inout AppState, _ id: Int64) {
        guard var seen = state.metrics.pods[id], let figure = seen.figures[.storage], let share = figure.share else { return }
        let pod = state.pod(id)
        let name = TextSafety.clean(pod?.label ?? state.fleet.names[id] ?? PodID.short(id))
        if share >= MetricsState.diskFullShare, !seen.diskFull {
            seen.diskFull = true
            state.metrics.pods[id] = seen
            let used = figure.sum.map(MetricText.gib) ?? "?", total = figure.total.map(MetricText.gib) ?? "?"
            let text = "\(name): disk \(Format.percent(min(share, 9.99) * 100)) full (\(used) of \(total) GiB); a full disk stops most jobs"
            Reducer.record(&state, id, text, .bad)
            Reducer.announce(&state, text, bad: true, yielding: MetricsReducer.yieldSeconds)
        } else if share < MetricsState.diskClearShare, seen.diskFull {
            seen.diskFull = false
            state.metrics.pods[id] = seen
            Reducer.record(&state, id, "\(name): disk back under \(Format.percent(MetricsState.diskClearShare * 100))", .good)
        }
    }

    /// The detail pane's window, one step wider (`w`) or narrower (`W`).
    static func stepWindow(_ state: inout AppState, by offset: Int) {
        let all = MetricWindow.allCases
        let index = all.firstIndex(of: state.settings.metrics.window) ?? 0
        let next = min(all.count - 1, max(0, index + offset))
        setWindow(&state, all[next])
    }

    static func setWindow(_ state: inout AppState, _ window: MetricWindow) {
        state.settings.metrics.window = window
        if state.metrics.detail?.window != window { state.metrics.detail = nil }
        state.say("Metrics over the last \(window.rawValue) (a point every \(window.step.rawValue); w wider, W narrower)", .info)
    }

    /// `:window 1h|3h|12h|2d|7d|30d|90d`.
    static func windowCommand(_ state: inout AppState, _ argument: String) -> [Effect] {
        let word = argument.trimmed.lowercased()
        guard !word.isEmpty else {
            let w = state.settings.metrics.window
            state.say("Metrics window: \(w.rawValue) (\(MetricWindow.allCases.map(\.rawValue).joined(separator: "|")))", .info)
            return []
        }
        guard let window = MetricWindow(rawValue: word) else {
            state.say("Usage: :window \(MetricWindow.allCases.map(\.rawValue).joined(separator: "|"))", .error)
            return []
        }
        setWindow(&state, window)
        return tick(&state)
    }

    /// `:metrics` (every metric of the selected pod, full screen), `:metrics on|off`.
    static func command(_ state: inout AppState, _ argument: String) -> [Effect] {
        switch argument.trimmed.lowercased() {
        case "on", "yes", "true", "1":
            guard state.settings.metricsAvailable else {
                state.say("API metrics are not available here", .error)
                return []
            }
            state.settings.metrics.enabled = true
            podsChanged(&state)
            state.say("API metrics on: GPU%, VRAM and the detail pane's charts for \(state.metrics.running.count) running pod\(state.metrics.running.count == 1 ? "" : "s"), at most \(Format.oneDecimal(state.settings.metrics.requestsPerSecond)) request/s", .success)
            return tick(&state)
        case "off", "no", "false", "0":
            state.settings.metrics.enabled = false
            reset(&state)
            if state.fleet.filter.idle != nil { Reducer.refresh(&state) }
            state.say("API metrics off", .info)
            return []
        case "":
            return openView(&state)
        default:
            state.say("Usage: :metrics (the selected pod's charts), :metrics on|off", .error)
            return []
        }
    }

    /// The selected pod's every metric, full screen (the detail pane in its metrics mode).
    static func openView(_ state: inout AppState) -> [Effect] {
        guard let pod = state.selectedPod else {
            state.say("No pod selected", .error)
            return []
        }
        state.nav.view = .pods
        state.nav.focus = .detail
        state.nav.metricsOnly = true
        state.nav.detailScroll = .top
        if !state.metricsOn {
            state.say(state.settings.metricsAvailable ? "API metrics are off (:metrics on)" : "API metrics are not available here", .error)
        } else if pod.status != .running {
            state.say("\(TextSafety.clean(pod.label)) is \(StatusLabel.of(pod.status)): only RUNNING pods have metrics", .info)
        }
        return tick(&state)
    }

    /// Forgets every figure and request (metrics off, or another account: answers still out
    /// are dropped).
    static func reset(_ state: inout AppState) {
        state.metrics = MetricsState()
        state.metrics.schedule = MetricsSchedule(rate: state.settings.metrics.requestsPerSecond)
    }
}
