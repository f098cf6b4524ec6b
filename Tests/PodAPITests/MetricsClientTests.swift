import Foundation
import Testing
@testable import PodAPI
@testable import PodClient
@testable import PodSim

/// The metrics routes (API notes §6.5) against the simulator over loopback, in each of its
/// metrics dialects, and the lenient decoder against hostile series.
@Suite("Pod metrics")
struct MetricsClientTests {
    func running(_ sim: SimHarness, cpu: Bool = false) async throws -> Pod {
        let pods = try await sim.service.listPods().pods
        return try #require(pods.first { $0.status == .running && $0.isCPU == cpu })
    }

    @Test("every kind of a running pod over the last hour: series, labels per GPU, totals where a kind has one")
    func everyKind() async throws {
        let sim = try await SimHarness.start()
        defer { Task { await sim.stop() } }
        let pod = try await running(sim)
        let end = Date(), start = end.addingTimeInterval(-3600)
        for kind in MetricKind.allCases {
            let answer = try await sim.service.podMetrics(id: pod.id, kind: kind, start: start, end: end, step: .s30)
            guard case .data(let metrics) = answer else { Issue.record("\(kind): \(answer)"); continue }
            #expect(!metrics.series.isEmpty)
            if kind == .gpu || kind == .gpuMemory {
                #expect(metrics.series.compactMap(\.gpuIndex).sorted() == Array(0..<(pod.gpuCount ?? 1)), "\(kind)")
            }
            #expect((metrics.total != nil) == kind.hasCapacity, "\(kind)")
            for series in metrics.series {
                #expect(series.points.map(\.time) == series.points.map(\.time).sorted())
                #expect(series.points.count <= 121)
                if kind == .gpu { #expect(series.points.allSatisfy { ($0.value ?? -1) >= 0 && ($0.value ?? 101) <= 100 }) }
            }
        }
        let sent = await sim.requests().filter { $0.path.hasPrefix("/v2/metrics/") }
        #expect(sent.count == MetricKind.allCases.count)
        #expect(sent.allSatisfy { $0.query.contains("step=30s") && $0.query.contains("start=") && $0.query.contains("end=") })
    }

    @Test("the server's own rules: a window too wide for its step is refused (400 + 10001, its words kept); each window's step is accepted")
    func windowRules() async throws {
        let sim = try await SimHarness.start()
        defer { Task { await sim.stop() } }
        let pod = try await running(sim)
        let end = Date()
        // Straight to the server, so the client's own choice of step cannot hide its rule.
        let answer = try await sim.service.podMetrics(id: pod.id, kind: .cpu, start: end.addingTimeInterval(-4 * 3600), end: end, step: .s30)
        #expect(answer == .notAvailable("the server has no metrics for this pod (code 10001: step 30s allows a window of at most 3h)"))
        for window in MetricWindow.allCases {
            let got = try await sim.service.podMetrics(id: pod.id, kind: .cpu, start: end.addingTimeInterval(-window.seconds), end: end, step: window.step)
            if case .notAvailable(let why) = got { Issue.record("\(window): \(why)") }
        }
    }

    @Test("a paused pod has no data yet; a CPU pod's GPU routes and an unknown pod are 'not available'")
    func notAvailable() async throws {
        let sim = try await SimHarness.start()
        defer { Task { await sim.stop() } }
        let pods = try await sim.service.listPods().pods
        let paused = try #require(pods.first { $0.status == .paused })
        let end = Date(), start = end.addingTimeInterval(-3600)
        #expect(try await sim.service.podMetrics(id: paused.id, kind: .gpu, start: start, end: end, step: .s30) == .noData)
        let cpu = try await running(sim, cpu: true)
        if case .notAvailable = try await sim.service.podMetrics(id: cpu.id, kind: .gpu, start: start, end: end, step: .s30) {} else {
            Issue.record("a CPU pod's GPU metrics must be 'not available'")
        }
        if case .data = try await sim.service.podMetrics(id: cpu.id, kind: .cpu, start: start, end: end, step: .s30) {} else {
            Issue.record("a CPU pod has CPU metrics")
        }
        if case .notAvailable = try await sim.service.podMetrics(id: 999, kind: .cpu, start: start, end: end, step: .s30) {} else {
            Issue.record("an unknown pod has no metrics")
        }
    }

    @Test("every metrics dialect: missing routes, 10001, data null, strings, slow")
    func dialects() async throws {
        let sim = try await SimHarness.start()
        defer { Task { await sim.stop() } }
        let pod = try await running(sim)
        let end = Date(), start = end.addingTimeInterval(-3600)
        func ask() async throws -> MetricsAnswer {
            try await sim.service.podMetrics(id: pod.id, kind: .memory, start: start, end: end, step: .s30)
        }
        try await sim.setQuirks("metrics=missing")
        #expect(try await ask() == .notAvailable("the server has no metrics for this pod (HTTP 404)"))
        try await sim.setQuirks("metrics=10001")
        if case .notAvailable = try await ask() {} else { Issue.record("10001 is 'not available'") }
        try await sim.setQuirks("metrics=empty")
        #expect(try await ask() == .noData)
        try await sim.setQuirks("metrics=strings")
        guard case .data(let strings) = try await ask() else { Issue.record("strings"); return }
        #expect(strings.total != nil && strings.series.first?.latestTotal != nil)
        #expect(strings.series.first?.points.allSatisfy { $0.value != nil } == true)
        try await sim.setQuirks("metrics=normal")
        guard case .data(let numbers) = try await ask() else { Issue.record("normal"); return }
        #expect(numbers.total == strings.total)
        try await sim.setQuirks("metrics=slow")
        let started = ContinuousClock.now
        if case .data = try await ask() {} else { Issue.record("slow still answers") }
        #expect(ContinuousClock.now - started >= .seconds(1.9))
    }

    @Test("429 and 5xx are errors for the caller's backoff, not 'not available'")
    func throttled() async throws {
        let sim = try await SimHarness.start(retry: .none)
        defer { Task { await sim.stop() } }
        let pod = try await running(sim)
        let end = Date(), start = end.addingTimeInterval(-3600)
        await sim.fault(FaultRule(kind: .rateLimit, count: 1, path: "/v2/metrics", retryAfter: 7))
        #expect(await apiError { _ = try await sim.service.podMetrics(id: pod.id, kind: .cpu, start: start, end: end, step: .s30) }
                == .rateLimited(retryAfter: 7))
        await sim.fault(FaultRule(kind: .http503, count: 1, path: "/v2/metrics"))
        #expect(await apiError { _ = try await sim.service.podMetrics(id: pod.id, kind: .cpu, start: start, end: end, step: .s30) }?.isTransient == true)
    }

    // MARK: Decoding hostile series

    func decode(_ data: String) throws -> MetricsAnswer {
        try HTTPPodService.metricsAnswer(status: 200, body: Data(#"{"code":10000,"message":"ok","data":\#(data)}"#.utf8))
    }

    @Test("gaps, NaN, unsorted and duplicate timestamps, seconds or ms, strings, escapes in labels")
    func hostileSeries() throws {
        let answer = try decode(#"""
        {"metric_name":"gpu_utilization","series":[
          {"labels":{"gpu_show_index":"1","evil":"\u001b]52;c;eA==\u0007"},"data_points":[
            {"timestamp":1764000060000,"value":50},{"timestamp":1764000000,"value":"NaN"},
            {"timestamp":"1764000030000","value":"12.5"},{"timestamp":1764000060000,"value":70},
            {"timestamp":1e300,"value":1},{"timestamp":1764000090000,"value":-5},{"timestamp":1764000120000,"value":250},
            {"timestamp":1764000150000,"value":1e300},{"timestamp":1764000180000},[1764000210000,"33"],"garbage"]},
          {"labels":{"gpu_show_index":0},"data_points":null},
          "not a series"]}
        """#)
        guard case .data(let metrics) = answer else { Issue.record("\(answer)"); return }
        #expect(metrics.series.count == 2)
        let first = metrics.series[0]
        #expect(first.gpuIndex == 1 && metrics.series[1].gpuIndex == 0)
        #expect(first.points.map { $0.time.timeIntervalSince1970 } == [1_764_000_000, 1_764_000_030, 1_764_000_060, 1_764_000_090,
                                                                         1_764_000_120, 1_764_000_150, 1_764_000_180, 1_764_000_210])
        #expect(first.points.map(\.value) == [nil, 12.5, 70, -5, 250, nil, nil, 33])   // the last of two at :60 wins
        #expect(first.labels["evil"]?.contains("\u{1b}") == true)   // kept as sent; the screen cleans it
    }

    @Test("data null, no series, empty series and an empty body: no data or not available, never an error")
    func emptyForms() throws {
        #expect(try decode("null") == .noData)
        #expect(try decode(#"{"series":[]}"#) == .noData)
        #expect(try decode(#"{"series":[{"labels":{},"data_points":[]}]}"#) == .noData)
        #expect(try decode(#"{}"#) == .noData)
        #expect(try HTTPPodService.metricsAnswer(status: 200, body: Data()) == .notAvailable("the server sent an empty reply"))
        #expect(throws: PodAPIError.self) { try HTTPPodService.metricsAnswer(status: 200, body: Data("{".utf8)) }
    }

    @Test("a million points are cut to the newest 20,000 and the cut is counted")
    func millionPoints() throws {
        var text = #"{"series":[{"labels":{},"data_points":["#
        let count = 1_000_000
        text.reserveCapacity(count * 40)
        for i in 0..<count {
            if i > 0 { text += "," }
            text += #"{"timestamp":\#(1_764_000_000_000 + i * 1000),"value":\#(i % 100)}"#
        }
        text += "]}]}"
        guard case .data(let metrics) = try decode(text) else { Issue.record("no data"); return }
        #expect(metrics.series[0].points.count == PodMetrics.mostPoints)
        #expect(metrics.droppedPoints == count - PodMetrics.mostPoints)
        #expect(metrics.series[0].points.last?.time == Date(timeIntervalSince1970: 1_764_000_000 + Double(count - 1)))
    }

    @Test("windows take the finest step the API allows for them")
    func steps() {
        #expect(MetricWindow.allCases.map(\.step) == [.s30, .s30, .m5, .m15, .h1, .h4, .d1])
        #expect(MetricStep.finest(for: 91 * 86_400) == nil)
        #expect(MetricKind(parsing: "VRAM") == .gpuMemory && MetricKind(parsing: "disk") == .storage && MetricKind(parsing: "x") == nil)
    }
}
