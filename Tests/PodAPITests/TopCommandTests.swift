import Foundation
import Testing
import PodAPI
@testable import PodSim

/// `podtui pods top` from the metrics API (the default): the real binary against the
/// simulator over loopback, in its metrics dialects and faults.
@Suite("pods top from API metrics", .serialized)
struct TopCommandTests {
    struct Row: Decodable {
        var id: Int64
        var name: String?
        var status: String
        var source: String
        var utilization: Double?
        var memoryUsedMiB: Double?
        var memoryTotalMiB: Double?
        var gpus: [GPU]
        var cpuPercent: Double?
        var ramUsedBytes: Double?
        var ramTotalBytes: Double?
        var diskUsedBytes: Double?
        var diskTotalBytes: Double?
        var idleNow: Bool?
        var unavailable: [String: String]?
        var failed: [String: String]?
        var note: String?
        struct GPU: Decodable { var index: Int; var utilization: Double? }
    }

    func top(_ args: [String], _ sim: SimHarness) async throws -> CLITests.Result {
        try await CLITests().run(["pods", "top"] + args, sim: sim.server, environment: ["XDG_STATE_HOME": NSTemporaryDirectory() + "podtui-top-" + UUID().uuidString])
    }

    func rows(_ result: CLITests.Result) throws -> [Row] {
        try JSONDecoder().decode([Row].self, from: Data(result.out.utf8))
    }

    func metricRequests(_ sim: SimHarness) async -> [SimulatorState.RecordedRequest] {
        await sim.requests().filter { $0.path.hasPrefix("/v2/metrics/") }
    }

    @Test("every RUNNING pod's GPU%, VRAM, CPU%, MEM and DISK; nothing asked of other pods, no GPU route for a CPU pod")
    func figures() async throws {
        let sim = try await SimHarness.start()
        defer { Task { await sim.stop() } }
        let pods = await sim.server.state.currentPods()
        let running = pods.filter { $0.status == .running }
        let result = try await top(["-o", "json"], sim)
        #expect(result.status == 0, "\(result.err)")
        #expect(result.err.isEmpty, "\(result.err)")
        let rows = try rows(result)
        #expect(Set(rows.map(\.id)) == Set(running.map(\.id)))
        for row in rows {
            #expect(row.source == "api")
            #expect(row.cpuPercent != nil && row.ramUsedBytes != nil && row.diskUsedBytes != nil, "\(row.id)")
            #expect((row.diskUsedBytes ?? 0) <= (row.diskTotalBytes ?? 0))
            let pod = try #require(running.first { $0.id == row.id })
            if pod.isCPU {
                #expect(row.utilization == nil && row.memoryUsedMiB == nil && row.note == "CPU pod")
            } else {
                #expect((0...100).contains(row.utilization ?? -1), "\(row.id)")
                #expect(row.gpus.count == pod.gpuCount && row.idleNow != nil)
                // The VRAM total covers every GPU (8 × 80 GiB is 640 GiB, not 80).
                let used = try #require(row.memoryUsedMiB), total = try #require(row.memoryTotalMiB)
                #expect(used <= total, "\(pod.nameOrEmpty): \(used) of \(total) MiB")
            }
        }
        let asked = await metricRequests(sim)
        let askedPods = Set(asked.compactMap { Int64($0.path.split(separator: "/")[4]) })
        #expect(askedPods == Set(running.map(\.id)))
        let cpuPods = Set(running.filter(\.isCPU).map(\.id))
        #expect(!asked.contains { $0.path.hasPrefix("/v2/metrics/gpu/") && cpuPods.contains(Int64($0.path.split(separator: "/")[4]) ?? 0) })
        #expect(asked.count == 2 * (running.count - cpuPods.count) + 3 * running.count)
        // The table: every figure in its column.
        let table = try await top([], sim)
        #expect(table.status == 0 && table.out.hasPrefix("ID") && table.out.contains("CPU%") && table.out.contains("DISK"))
        #expect(table.out.contains("GiB") && table.out.contains("llama-ft-7"))
    }

    @Test("--details caps CPU%, MEM and DISK to the first pods and says so; GPU% and VRAM for all")
    func detailsCap() async throws {
        let sim = try await SimHarness.start(.many, pods: 40)
        defer { Task { await sim.stop() } }
        let running = await sim.server.state.currentPods().filter { $0.status == .running }
        #expect(running.count > 2)
        let result = try await top(["--details", "2"], sim)
        #expect(result.status == 0, "\(result.err)")
        #expect(result.err.contains("CPU%, MEM and DISK asked for the first 2 of \(running.count) running pods"))
        let asked = await metricRequests(sim)
        #expect(asked.filter { $0.path.hasPrefix("/v2/metrics/cpu/") }.count == 2)
        #expect(asked.filter { $0.path.hasPrefix("/v2/metrics/storage/") }.count == 2)
        #expect(asked.filter { $0.path.hasPrefix("/v2/metrics/gpu/") && !$0.path.hasSuffix("/memory") }.count == running.filter { !$0.isCPU }.count)
    }

    @Test("metrics=missing and metrics=10001: '-' in every cell, no error, exit 0", arguments: ["metrics=missing", "metrics=10001", "metrics=empty"])
    func notAvailable(quirks: String) async throws {
        let sim = try await SimHarness.start(quirks: quirks)
        defer { Task { await sim.stop() } }
        let table = try await top([], sim)
        #expect(table.status == 0 && table.err.isEmpty, "\(table.err)")
        #expect(!table.out.contains("?") && table.out.contains(" -"))
        let rows = try rows(try await top(["-o", "json"], sim))
        #expect(!rows.isEmpty && rows.allSatisfy { $0.utilization == nil && $0.cpuPercent == nil && $0.failed == nil })
        if quirks != "metrics=empty" { #expect(rows.allSatisfy { $0.unavailable?["cpu"] != nil }) }
    }

    @Test("metrics=strings reads as numbers")
    func strings() async throws {
        let sim = try await SimHarness.start(quirks: "metrics=strings")
        defer { Task { await sim.stop() } }
        let rows = try rows(try await top(["-o", "json"], sim))
        #expect(!rows.isEmpty)
        for row in rows where row.note != "CPU pod" {
            #expect((0...100).contains(row.utilization ?? -1) && (row.memoryUsedMiB ?? 0) > 0 && (row.memoryTotalMiB ?? 0) >= (row.memoryUsedMiB ?? 0))
        }
        #expect(rows.allSatisfy { $0.cpuPercent != nil && ($0.ramTotalBytes ?? 0) > 0 })
    }

    @Test("429: the figures are '?', one line on stderr, no more requests after it, exit 1")
    func rateLimited() async throws {
        let sim = try await SimHarness.start()
        defer { Task { await sim.stop() } }
        await sim.fault(FaultRule(kind: .rateLimit, count: 1000, path: "/v2/metrics", retryAfter: 1))
        let result = try await top([], sim)
        #expect(result.status == 1)
        let lines = result.err.split(separator: "\n")
        #expect(lines.count == 1 && lines.first?.contains("HTTP 429") == true, "\(result.err)")
        #expect(result.out.contains("?") && result.out.contains("llama-ft-7"))
        // The first four (in flight together) with the client's own retries; nothing after.
        #expect(await metricRequests(sim).count <= 4 * 3)
        // The pod list itself was not touched by the metrics outage.
        #expect(result.out.hasPrefix("ID"))
    }

    @Test("5xx on one kind: only those figures are '?'")
    func serverError() async throws {
        let sim = try await SimHarness.start()
        defer { Task { await sim.stop() } }
        // One CPU request (--details 1), so the three attempts the client makes all meet the fault.
        await sim.fault(FaultRule(kind: .http503, count: 3, path: "/v2/metrics/cpu/"))
        let result = try await top(["--details", "1", "-o", "json"], sim)
        #expect(result.status == 1)
        #expect(result.err.split(separator: "\n").count == 1 && result.err.contains("HTTP 503"), "\(result.err)")
        let rows = try rows(result)
        let first = try #require(rows.first)
        #expect(first.failed?["cpu"] != nil && first.cpuPercent == nil && first.diskUsedBytes != nil && first.ramUsedBytes != nil)
        #expect(rows.filter { $0.failed != nil }.count == 1)
        #expect(rows.filter { $0.note != "CPU pod" }.allSatisfy { $0.utilization != nil && $0.memoryUsedMiB != nil })
        #expect(await metricRequests(sim).filter { $0.path.hasPrefix("/v2/metrics/cpu/") }.count == 3)
        let table = try await top(["--details", "1"], sim)   // the fault is spent: a clean run
        #expect(table.status == 0 && !table.out.contains("?"))
    }

    @Test("a pod named that is not RUNNING is listed, never asked")
    func notRunning() async throws {
        let sim = try await SimHarness.start()
        defer { Task { await sim.stop() } }
        let paused = try #require(await sim.server.state.currentPods().first { $0.status == .paused })
        let result = try await top([String(paused.id), "-o", "json"], sim)
        #expect(result.status == 0, "\(result.err)")
        let row = try #require(try rows(result).first)
        #expect(row.id == paused.id && row.note == "not asked: it is PAUSED" && row.utilization == nil)
        #expect(await metricRequests(sim).isEmpty)
    }

    @Test("at most four requests at once")
    func concurrency() async throws {
        let sim = try await SimHarness.start(quirks: "metrics=slow")   // each metrics reply after 2 s
        defer { Task { await sim.stop() } }
        let result = try await top(["--details", "0", "-o", "json"], sim)
        #expect(result.status == 0, "\(result.err)")
        let times = await metricRequests(sim).map(\.time).sorted()
        #expect(times.count > 4)
        // Replies take 2 s, so requests within 1 s of each other were in flight together.
        let most = times.map { t in times.filter { $0 >= t && $0 < t.addingTimeInterval(1) }.count }.max() ?? 0
        #expect(most <= 4 && most >= 2, "\(most) requests within a second")
    }
}
