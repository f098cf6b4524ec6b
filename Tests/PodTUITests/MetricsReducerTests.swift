import Foundation
import Testing
import PodAPI
import PodProbe
@testable import PodLocal
@testable import PodTUICore

/// API metrics in the UI, pure: which requests go out (running pods only, the selected pod's
/// every kind over the window), what answers show (list, detail charts), idle from the
/// history at once, "disk full", backoff, the probe winning, and the switches.
@Suite("API metrics in the UI")
struct MetricsReducerTests {
    static let gib = 1024.0 * 1024 * 1024
    let t0 = Fixtures.now

    /// Three RUNNING 8-GPU pods (ids 1…3), a PAUSED one (4), a RUNNING CPU pod (5); metrics
    /// available as the runtime makes them.
    func fleet(metrics: Bool = true) -> AppState {
        var cpu = Fixtures.pod(5, "cpu-box", .running)
        cpu.gpuType = nil
        cpu.gpuCount = 0
        cpu.gpuDisplayName = nil
        cpu.resourceType = "CPU"
        let pods = (1...3).map { Fixtures.pod(Int64($0), "train-\($0)", .running, count: 8, price: 2.4) }
            + [Fixtures.pod(4, "parked", .paused), cpu]
        var settings = Settings()
        settings.metrics.enabled = metrics
        var state = AppState.initial(endpoint: "api.yottalabs.ai", interval: 3, readOnly: false, settings: settings, profiles: [], now: t0)
        state.settings.metricsAvailable = true
        state.settings.timersEnabled = true
        _ = Reducer.reduce(&state, .start(t0))
        _ = Reducer.reduce(&state, .podsLoaded(generation: 1, PodList(pods: pods), t0))
        return state
    }

    func requests(_ effects: [Effect]) -> [MetricsRequest] {
        effects.flatMap { effect -> [MetricsRequest] in if case .fetchMetrics(let r) = effect { return r } else { return [] } }
    }

    /// Ticks for `seconds`, answering every request with `answer`; returns every request sent.
    @discardableResult
    func run(_ state: inout AppState, from start: Date, seconds: Int,
             answer: (MetricsRequest) -> MetricsResult = { _ in .answer(.noData) }) -> [MetricsRequest] {
        var sent: [MetricsRequest] = []
        for s in 0..<seconds {
            let now = start.addingTimeInterval(Double(s))
            for request in requests(Reducer.reduce(&state, .tick(now))) {
                sent.append(request)
                _ = Reducer.reduce(&state, .metricsLoaded(request, answer(request), now))
            }
        }
        return sent
    }

    /// Answers the metrics requests among `effects` (a key's own tick starts some).
    func answerAll(_ state: inout AppState, _ effects: [Effect], at now: Date) -> [MetricsRequest] {
        let sent = requests(effects)
        for request in sent { _ = Reducer.reduce(&state, .metricsLoaded(request, answer(request), now)) }
        return sent
    }

    /// `gpus` series of utilization over the request's window, one point per 30 s, from `value(t)`.
    func gpuSeries(_ request: MetricsRequest, gpus: Int = 8, value: (Date, Int) -> Double?) -> PodMetrics {
        var series: [MetricSeries] = []
        for g in 0..<gpus {
            var points: [MetricPoint] = []
            var t = request.start
            while t <= request.end {
                points.append(MetricPoint(time: t, value: value(t, g)))
                t = t.addingTimeInterval(request.step.seconds)
            }
            series.append(MetricSeries(labels: ["gpu_show_index": String(g)], points: points))
        }
        return PodMetrics(name: "gpu_utilization", series: series)
    }

    func flat(_ request: MetricsRequest, value: Double, total: Double?) -> PodMetrics {
        PodMetrics(name: nil, series: [MetricSeries(labels: [:], points: [MetricPoint(time: request.end, value: value)], latestTotal: total)])
    }

    /// A server: busy GPUs on pod 1, idle on 2 and 3; pod 3's disk 95 % full.
    func answer(_ request: MetricsRequest) -> MetricsResult {
        let pod = request.job.pod
        switch request.job.kind {
        case .gpu: return .answer(.data(gpuSeries(request) { _, g in pod == 1 ? 90 + Double(g) : 1 }))
        case .gpuMemory:
            return .answer(.data(PodMetrics(name: nil, series: (0..<8).map { g in
                MetricSeries(labels: ["gpu_show_index": String(g)], points: [MetricPoint(time: request.end, value: 40 * Self.gib)], latestTotal: 80 * Self.gib)
            })))
        case .cpu: return .answer(.data(flat(request, value: 1.4, total: nil)))
        case .memory: return .answer(.data(flat(request, value: 16 * Self.gib, total: 64 * Self.gib)))
        case .storage: return .answer(.data(flat(request, value: (pod == 3 ? 95 : 40) * Self.gib, total: 100 * Self.gib)))
        }
    }

    func screen(_ state: AppState, width: Int = 160, height: Int = 40) -> String {
        Render.render(state, size: Size(width: width, height: height)).text
    }
    func row(_ state: AppState, _ name: String) -> String {
        screen(state).split(separator: "\n").first { $0.contains(name) }.map(String.init) ?? ""
    }

    @Test("without any setting every RUNNING pod is asked, never a PAUSED one, and a CPU pod never on the GPU routes")
    func whoIsAsked() {
        var state = fleet()
        let sent = run(&state, from: t0, seconds: 20)
        let gpuPods = Set(sent.filter { $0.job.kind == .gpu }.map(\.job.pod))
        #expect(gpuPods == [1, 2, 3])
        #expect(!sent.contains { $0.job.pod == 4 })
        #expect(!sent.contains { $0.job.pod == 5 && ($0.job.kind == .gpu || $0.job.kind == .gpuMemory) })
        #expect(sent.contains { $0.job.pod == 5 && $0.job.kind == .storage })
        // The live GPU request looks back far enough to see a whole idle stretch, at 30 s.
        let gpu = sent.first { $0.job.kind == .gpu }
        #expect(gpu?.step == .s30)
        #expect(gpu.map { $0.end.timeIntervalSince($0.start) } == 3600)
        #expect(screen(state).contains("GPU%") && screen(state).contains("VRAM"))
    }

    @Test("answers fill GPU% and VRAM; CPU%, MEM and DISK come with the columns setting")
    func listFigures() {
        var state = fleet()
        run(&state, from: t0, seconds: 30, answer: answer)
        #expect(row(state, "train-1").contains("94%"))         // mean of 90…97
        #expect(row(state, "train-1").contains("320/640G"))    // 8 × 40 of 8 × 80 GiB
        let big = MetricFigure(values: Array(repeating: 128 * Self.gib, count: 8), gpus: Array(0..<8), total: 8 * 192 * Self.gib, sampledAt: t0, receivedAt: t0)
        #expect(ListView.bytes(big) == "1.0/1.5T")   // eight MI300X fit the 8-wide column
        #expect(row(state, "parked").contains(" - "))
        state.settings.columns = ["STATUS", "GPU%", "CPU%", "MEM", "DISK"]
        run(&state, from: t0.addingTimeInterval(30), seconds: 40, answer: answer)
        let line = row(state, "train-1")
        #expect(line.contains("140%") && line.contains("16/64G") && line.contains("40%"), "\(line)")
    }

    @Test("a pod idle for the last hour is flagged as soon as its history arrives: badge, one announcement, idle:yes")
    func idleFromHistory() {
        var state = fleet()
        state.settings.notifications = true
        run(&state, from: t0, seconds: 10, answer: answer)
        #expect(row(state, "train-2").contains("idle 1h"))
        #expect(screen(state).contains("16/24 GPUs idle"))   // train-2 and train-3 idle, train-1 busy
        #expect(!row(state, "train-1").contains("idle"))
        let announced = state.events.filter { $0.text.contains("been under 5%") }
        #expect(Set(announced.compactMap(\.podID)) == [2, 3])
        // Later answers do not announce the same stretch again.
        run(&state, from: t0.addingTimeInterval(60), seconds: 120, answer: answer)
        #expect(state.events.filter { $0.text.contains("been under 5%") }.count == 2)
        // The filter sees it.
        _ = Reducer.reduce(&state, .key(.char("/"), t0))
        for c in "idle:yes" { _ = Reducer.reduce(&state, .key(.char(c), t0)) }
        #expect(Set(state.fleet.pods.map(\.id)) == [2, 3])
    }

    @Test("a busy sample inside the window starts the idle clock after it; a history of busy GPUs is not idle")
    func idleAfterBusy() {
        var state = fleet()
        let busyUntil = t0.addingTimeInterval(-10 * 60)
        run(&state, from: t0, seconds: 5) { request in
            guard request.job.kind == .gpu else { return .answer(.noData) }
            return .answer(.data(gpuSeries(request) { t, _ in t <= busyUntil ? 80 : 2 }))
        }
        let clock = state.metrics.pods[1]?.idle
        #expect(clock.map { $0.idleFor } ?? 0 < 10 * 60)
        #expect(clock?.idleSince != nil)
        #expect(!state.isIdle(1))   // 10 minutes is under the 15 that flag a pod
    }

    @Test("a disk at 90 % or more gets a badge, an event and one announcement; under 85 % it is re-armed")
    func diskFull() {
        var state = fleet()
        run(&state, from: t0, seconds: 20, answer: answer)
        #expect(row(state, "train-3").contains("disk 95%"))
        #expect(state.events.filter { $0.text.contains("disk 95% full") && $0.podID == 3 }.count == 1)
        #expect(state.message?.text.contains("full") == true || state.events.contains { $0.text.contains("full") })
        // The disk is asked again later (its own lane), and says nothing new while full.
        run(&state, from: t0.addingTimeInterval(901), seconds: 30, answer: answer)
        #expect(state.events.filter { $0.text.contains("% full") && $0.podID == 3 }.count == 1)
        run(&state, from: t0.addingTimeInterval(1802), seconds: 30) { request in
            request.job.kind == .storage ? .answer(.data(flat(request, value: 50 * Self.gib, total: 100 * Self.gib))) : answer(request)
        }
        #expect(!row(state, "train-3").contains("disk"))
        #expect(state.metrics.pods[3]?.diskFull == false)
    }

    @Test("'not available' shows - and is not asked again for 5 minutes; a 429 stops every request for its Retry-After")
    func backoff() {
        var state = fleet()
        var asked = 0
        run(&state, from: t0, seconds: 200) { request in
            if request.job.pod == 1 && request.job.kind == .gpu { asked += 1; return .answer(.notAvailable("HTTP 404")) }
            return answer(request)
        }
        #expect(asked == 1)
        #expect(row(state, "train-1").contains(" - "))

        var throttled = fleet()
        var first = true
        let sent = run(&throttled, from: t0, seconds: 60) { request in
            if first { first = false; return .failed("HTTP 429", retryAfter: 40) }
            return answer(request)
        }
        let times = sent.map(\.end).sorted()
        #expect(!times.contains { $0 > t0.addingTimeInterval(1) && $0 < t0.addingTimeInterval(40) }, "\(times)")
        // A metrics outage is not a list outage: the connection's health is untouched.
        #expect(throttled.connection.lastError == nil && throttled.connection.failures == 0)
    }

    @Test("with probes on, a probed figure wins, and the detail pane says which source each came from")
    func probeWins() {
        var state = fleet()
        state.settings.probesAvailable = true
        _ = Reducer.reduce(&state, .key(.char(":"), t0))
        for c in "probe on" { _ = Reducer.reduce(&state, .key(.char(c), t0)) }
        _ = Reducer.reduce(&state, .key(.enter, t0))
        run(&state, from: t0, seconds: 10, answer: answer)
        #expect(row(state, "train-1").contains("94%"))
        let report = ProbeReport(tool: .nvidia, gpus: (0..<8).map { GPUReading(index: $0, utilization: 12, memoryUsedMiB: 1000, memoryTotalMiB: 81_559) })
        _ = Reducer.reduce(&state, .probed(podID: 1, .success(report), t0.addingTimeInterval(11)))
        #expect(row(state, "train-1").contains("12%"))
        #expect(state.idleSource(1) == .probe)
        #expect(state.idleSource(2) == .api)
        state.nav.selectedID = 1
        _ = Reducer.reduce(&state, .key(.enter, t0.addingTimeInterval(12)))
        let text = screen(state, height: 80)
        #expect(text.contains("probe (ssh) 1s ago") && text.contains("API ") && text.contains("(the probe's are shown)"), "\(text)")
    }

    @Test("the detail pane asks every kind over its window and charts each; w and :window change the window and step")
    func detailCharts() {
        var state = fleet()
        state.nav.selectedID = 1
        _ = Reducer.reduce(&state, .key(.enter, t0))
        let sent = run(&state, from: t0, seconds: 10, answer: answer)
        let detail = sent.filter { $0.job.window == .h1 && $0.job.pod == 1 }
        #expect(Set(detail.map(\.job.kind)) == Set(MetricKind.allCases))
        let text = screen(state, height: 80)
        for key in ["gpu util", "vram", "cpu", "memory", "disk"] { #expect(text.contains(key), "no \(key)") }
        #expect(text.contains("GPU 7"))
        #expect(text.contains("140% of its cores"))
        #expect(text.contains("16 of 64 GiB (25%)"))
        #expect(text.contains("█") || text.contains("▇"))
        // The axis is in the local zone the state carries: 1_800_000_000 is 08:00 UTC.
        #expect(text.contains("07:00") && text.contains("08:00"))
        var wider = answerAll(&state, Reducer.reduce(&state, .key(.char("w"), t0.addingTimeInterval(11))), at: t0.addingTimeInterval(11))
        #expect(state.settings.metrics.window == .h3)
        wider = (wider + run(&state, from: t0.addingTimeInterval(11), seconds: 10, answer: answer)).filter { $0.job.window == .h3 }
        #expect(wider.count == MetricKind.allCases.count)
        #expect(wider.allSatisfy { $0.step == .s30 && $0.end.timeIntervalSince($0.start) == 3 * 3600 })
        _ = Reducer.reduce(&state, .key(.char(":"), t0))
        for c in "window 7d" { _ = Reducer.reduce(&state, .key(.char(c), t0)) }
        let typed = answerAll(&state, Reducer.reduce(&state, .key(.enter, t0.addingTimeInterval(21))), at: t0.addingTimeInterval(21))
        let week = (typed + run(&state, from: t0.addingTimeInterval(21), seconds: 10, answer: answer)).filter { $0.job.window == .d7 }
        #expect(!week.isEmpty && week.allSatisfy { $0.step == .h1 })
        #expect(screen(state, height: 80).contains("last 7d (a point every 1h)"))
    }

    @Test("M shows every metric full screen; Esc goes back to the list")
    func fullScreen() {
        var state = fleet()
        state.nav.selectedID = 1
        _ = Reducer.reduce(&state, .key(.char("M"), t0))
        #expect(state.nav.focus == .detail && state.nav.metricsOnly)
        run(&state, from: t0, seconds: 10, answer: answer)
        let text = screen(state, height: 50)
        #expect(text.contains("Metrics of train-1"))
        #expect(!text.contains("image"))
        _ = Reducer.reduce(&state, .key(.escape, t0))
        #expect(state.nav.focus == .list && !state.nav.metricsOnly)
    }

    @Test("hostile series: NaN, negative, over 100 %, duplicate and unsorted times, escape codes in labels: drawn, clamped, said")
    func hostileSeries() {
        var state = fleet()
        state.nav.selectedID = 1
        _ = Reducer.reduce(&state, .key(.enter, t0))
        run(&state, from: t0, seconds: 10) { request in
            guard request.job.kind == .gpu || request.job.kind == .cpu else { return .answer(.noData) }
            // Through the decoder, as a server would send it: unsorted, duplicated, gaps,
            // strings, NaN, negative, absurd, and labels full of escape codes.
            let end = Int64(request.end.timeIntervalSince1970 * 1000), start = Int64(request.start.timeIntervalSince1970 * 1000)
            let points = #"[{"timestamp":\#(end),"value":1e17},{"timestamp":\#(start),"value":-50},{"timestamp":\#(end - 600_000),"value":"NaN"},"#
                + #"{"timestamp":"\#(end - 60_000)","value":"250"},{"timestamp":\#(end - 60_000),"value":null},{"timestamp":\#(end / 1000 - 120),"value":40}]"#
            let json = #"{"series":[{"labels":{"gpu_show_index":"0"},"data_points":\#(points)},"#
                + #"{"labels":{"evil":"\u001b]52;c;aGk=\u0007\u001b[2J","n":"\u202ex"},"data_points":\#(points)}]}"#
            guard let metrics = try? JSONDecoder().decode(PodMetrics.self, from: Data(json.utf8)) else { return .failed("undecodable", retryAfter: nil) }
            return .answer(.data(metrics))
        }
        let text = screen(state, height: 80)
        #expect(!text.contains("\u{1b}") && !text.contains("\u{07}") && !text.contains("\u{202e}"))
        #expect(text.contains("drawn at the edge"))
        #expect(ListView.utilization(state.fleet.allPods[0], state) == "999%")   // 1e17 %, clamped
        #expect(state.metrics.detail?.kinds[.gpu] != nil)
    }

    @Test("a 'pause when idle' timer fires from the API's idle clock, no probes needed")
    func whenIdleTimer() {
        var state = fleet()
        state.timers.timers = [PauseTimer(podID: 2, name: "train-2", trigger: .whenIdle(minutes: 30), created: t0)]
        var fired: [Int64: Double] = [:]
        for s in 0..<10 {
            let now = t0.addingTimeInterval(Double(s))
            for effect in Reducer.reduce(&state, .tick(now)) {
                if case .fireDueTimers(let idle) = effect { fired = idle }
                if case .fetchMetrics(let requests) = effect {
                    for request in requests {
                        for effect in Reducer.reduce(&state, .metricsLoaded(request, answer(request), now)) {
                            if case .fireDueTimers(let idle) = effect { fired = idle }
                        }
                    }
                }
            }
        }
        #expect((fired[2] ?? 0) >= 30 * 60, "\(fired)")
    }

    @Test("metrics: false (or --no-metrics) asks nothing and shows no GPU columns; :metrics on turns them on")
    func off() {
        var state = fleet(metrics: false)
        #expect(run(&state, from: t0, seconds: 20).isEmpty)
        #expect(!screen(state).contains("GPU%"))
        _ = Reducer.reduce(&state, .key(.char(":"), t0))
        for c in "metrics on" { _ = Reducer.reduce(&state, .key(.char(c), t0)) }
        let effects = Reducer.reduce(&state, .key(.enter, t0.addingTimeInterval(21)))
        #expect(!requests(effects).isEmpty)
        #expect(screen(state).contains("GPU%"))
    }

    @Test("the ui: settings: metrics and metrics_requests_per_second, checked")
    func settings() throws {
        let config = try ConfigFile.parse("ui:\n  metrics: false\n  metrics_requests_per_second: 2.5\n", path: "config.yaml").config
        let s = Settings.from(config)
        #expect(s.metrics.enabled == false && s.metrics.requestsPerSecond == 2.5 && s.problems.isEmpty)
        let bad = Settings.from(try ConfigFile.parse("ui:\n  metrics_requests_per_second: 0\n", path: "config.yaml").config)
        #expect(bad.metrics.requestsPerSecond == 1 && bad.problems.first?.contains("from 0.05 to 20") == true)
        var state = AppState.initial(endpoint: "x", interval: 3, readOnly: false, settings: s, profiles: [], now: t0)
        state.settings.metricsAvailable = true
        #expect(state.metrics.schedule.rate == 2.5)
    }
}

/// The budget through the reducer itself: a fleet of 1,000 RUNNING pods, every answer at once.
@Suite("API metrics budget at 1,000 pods")
struct MetricsBudgetTests {
    @Test("1,000 running pods for 50 minutes: at most one request a second, rows on screen first, every pod's GPU% within 26 minutes")
    func thousand() {
        let t0 = Fixtures.now
        let pods = (1...1_000).map { Fixtures.pod(Int64($0), String(format: "p%04d", $0), .running, count: 8) }
        var state = AppState.initial(endpoint: "x", interval: 3, readOnly: false, settings: Settings(), profiles: [], now: t0)
        state.settings.metricsAvailable = true
        _ = Reducer.reduce(&state, .start(t0))
        _ = Reducer.reduce(&state, .podsLoaded(generation: 1, PodList(pods: pods), t0))
        state.nav.pageSize = 40
        var sent: [MetricsRequest] = []
        let seconds = 3_000
        var times: [Int64: [Int]] = [:]
        for s in 0..<seconds {
            let now = t0.addingTimeInterval(Double(s))
            for effect in Reducer.reduce(&state, .tick(now)) {
                guard case .fetchMetrics(let requests) = effect else { continue }
                for request in requests {
                    sent.append(request)
                    if request.job.kind == .gpu { times[request.job.pod, default: []].append(s) }
                    _ = Reducer.reduce(&state, .metricsLoaded(request, .answer(.noData), now))
                }
            }
        }
        #expect(Double(sent.count) <= Double(seconds) + 4, "\(sent.count) requests in \(seconds) s")
        // The rows on screen (p0001…p0040 in name order) were asked in the first minute.
        let early = Set(sent.prefix(60).filter { $0.job.kind == .gpu }.map(\.job.pod))
        #expect((1...40).allSatisfy { early.contains(Int64($0)) }, "\(early.sorted())")
        // The fleet lane goes round: every pod's GPU% is asked, and again within 26 minutes
        // (README's figure: about 25 minutes at the default one request a second).
        #expect(times.count == 1_000, "\(times.count) pods asked")
        var longest = 0
        for id in 1...1_000 {
            let asked = [0] + (times[Int64(id)] ?? [])
            for (a, b) in zip(asked, asked.dropFirst()) { longest = max(longest, b - a) }
            if let last = asked.last { longest = max(longest, min(seconds - last, 1_560)) }
        }
        #expect(longest <= 1_560, "a pod waited \(longest) s")
        print("1,000 running pods: each pod's GPU% within \(longest) s; \(Double(sent.count) / Double(seconds)) requests a second")
        #expect(sent.contains { $0.job.kind == .storage })
    }
}

/// The two sources of idle together, and findings that must not wipe what the user just did.
@Suite("API metrics beside probes and the user")
struct MetricsTogetherTests {
    @Test("a pod the API announced idle is not announced again when the probe takes over, and keeps its idle time")
    func oneAnnouncementAcrossSources() {
        let suite = MetricsReducerTests()
        var state = suite.fleet()
        state.settings.probesAvailable = true
        suite.run(&state, from: Fixtures.now, seconds: 10, answer: suite.answer)
        #expect(state.events.filter { $0.podID == 2 && $0.text.contains("been under 5%") }.count == 1)
        _ = Reducer.reduce(&state, .key(.char(":"), Fixtures.now))
        for c in "probe on" { _ = Reducer.reduce(&state, .key(.char(c), Fixtures.now)) }
        _ = Reducer.reduce(&state, .key(.enter, Fixtures.now.addingTimeInterval(10)))
        let report = ProbeReport(tool: .nvidia, gpus: (0..<8).map { GPUReading(index: $0, utilization: 1, memoryUsedMiB: 10, memoryTotalMiB: 81_559) })
        _ = Reducer.reduce(&state, .probed(podID: 2, .success(report), Fixtures.now.addingTimeInterval(12)))
        #expect(state.idleSource(2) == .probe)
        #expect((state.idleClock(2)?.idleFor ?? 0) >= 3000, "the probe continued the API's clock")
        #expect(state.events.filter { $0.podID == 2 && $0.text.contains("been under 5%") }.count == 1)
    }

    @Test("an idle or full-disk finding leaves the message line to the user's action of the last seconds")
    func findingsYield() {
        let suite = MetricsReducerTests()
        var state = suite.fleet()
        state.say("Copied: ssh -p 30003 -l root -- h", .success)
        suite.run(&state, from: Fixtures.now, seconds: 3, answer: suite.answer)
        #expect(state.message?.text.hasPrefix("Copied:") == true)
        #expect(state.events.contains { $0.text.contains("been under 5%") })   // said, in :events
        // Once the user's message is older, the next finding takes the line.
        suite.run(&state, from: Fixtures.now.addingTimeInterval(10), seconds: 30, answer: suite.answer)
        #expect(state.message?.text.hasPrefix("Copied:") == false)
    }
}
