import Foundation
import Testing
import PodAPI
@testable import PodTUICore

/// The metrics request budget, simulated: a fleet of running pods, rows on screen, answers
/// after a second, for hours of virtual time.
@Suite("Metrics schedule")
struct MetricsScheduleTests {
    typealias Job = MetricsSchedule.Job

    /// Runs `seconds` of virtual time, one tick a second, every request answered a second
    /// later. Returns the requests sent and, per job, the times it was asked.
    func simulate(_ schedule: inout MetricsSchedule, seconds: Int, wanted: (Int) -> [(Job, MetricsSchedule.Lane)],
                  answer: (Job) -> String = { _ in "data" }) -> (sent: Int, asked: [Job: [Int]]) {
        let t0 = Date(timeIntervalSince1970: 1_800_000_000)
        var asked: [Job: [Int]] = [:]
        var pending: [(Int, Job)] = []
        var sent = 0
        for second in 0..<seconds {
            let now = t0.addingTimeInterval(Double(second))
            for (due, job) in pending where due <= second {
                switch answer(job) {
                case "unavailable": schedule.notAvailable(job, at: now)
                case "throttled": schedule.failed(job, at: now, retryAfter: 10)
                default: schedule.answered(job, at: now)
                }
            }
            pending.removeAll { $0.0 <= second }
            for job in schedule.start(now: now, wanted: wanted(second)) {
                sent += 1
                asked[job, default: []].append(second)
                pending.append((second + 1, job))
            }
        }
        return (sent, asked)
    }

    func fleet(_ count: Int, visible: Int, selected: Int64? = nil, disks: Bool = false) -> [(Job, MetricsSchedule.Lane)] {
        var wanted: [(Job, MetricsSchedule.Lane)] = []
        for i in 0..<count {
            let pod = Int64(i + 1)
            wanted.append((Job(pod: pod, kind: .gpu), .fleet))
            if disks { wanted.append((Job(pod: pod, kind: .storage), .disk)) }
            if i < visible {
                wanted.append((Job(pod: pod, kind: .gpu), .visible))
                wanted.append((Job(pod: pod, kind: .gpuMemory), .fleet))
            }
        }
        if let selected { for kind in MetricKind.allCases { wanted.append((Job(pod: selected, kind: kind), .selected)) } }
        return wanted
    }

    @Test("1,000 running pods, 40 rows on screen: at most 1 request a second, every pod within 26 minutes")
    func thousandPods() {
        var schedule = MetricsSchedule(rate: 1)
        let hours = 2
        let wanted = fleet(1_000, visible: 40, disks: true)
        let result = simulate(&schedule, seconds: hours * 3600, wanted: { _ in wanted })
        let rate = Double(result.sent) / Double(hours * 3600)
        #expect(rate <= 1.0 + 4.0 / Double(hours * 3600), "\(rate) requests a second")
        // Every pod's GPU% was asked, and in the second hour no pod waited more than 25 min.
        var longest = 0
        for pod in 1...1_000 {
            let times = result.asked[Job(pod: Int64(pod), kind: .gpu)] ?? []
            #expect(!times.isEmpty, "pod \(pod) never asked")
            let inSecondHour = [0] + times.filter { $0 >= 3600 }
            for (a, b) in zip(inSecondHour.dropFirst(), inSecondHour.dropFirst(2)) { longest = max(longest, b - a) }
        }
        #expect(longest <= 26 * 60, "a pod waited \(longest) s")
        print("1,000 pods: every GPU% within \(longest) s, \(rate) requests a second")
        // Rows on screen are fresher: each visible GPU% at least every 3 minutes.
        for pod in 1...40 {
            let times = (result.asked[Job(pod: Int64(pod), kind: .gpu)] ?? []).filter { $0 >= 3600 }
            for (a, b) in zip(times, times.dropFirst()) { #expect(b - a <= 180, "visible pod \(pod): \(b - a) s") }
        }
    }

    @Test("a small fleet is refreshed every 30 s and the selected pod's every kind too, never two at once for a job")
    func smallFleet() {
        var schedule = MetricsSchedule(rate: 1)
        let result = simulate(&schedule, seconds: 600, wanted: { _ in fleet(5, visible: 5, selected: 1) })
        for (job, times) in result.asked {
            for (a, b) in zip(times, times.dropFirst()) {
                #expect(b - a >= 31, "\(job) asked again \(b - a) s after")   // answered a second later, then 30 s
                #expect(b - a <= 60, "\(job) waited \(b - a) s")
            }
        }
        #expect(result.asked.keys.filter { $0.pod == 1 }.count == MetricKind.allCases.count)
    }

    @Test("'not available' backs off per pod and kind; a 429 pauses everything for its Retry-After")
    func backoff() {
        var schedule = MetricsSchedule(rate: 1)
        let result = simulate(&schedule, seconds: 1_800, wanted: { _ in fleet(3, visible: 3) },
                              answer: { $0.pod == 2 ? "unavailable" : "data" })
        let unavailable = result.asked[Job(pod: 2, kind: .gpu)] ?? []
        #expect(unavailable.count <= 4, "\(unavailable)")   // 5, 10, 20 minutes apart
        #expect((result.asked[Job(pod: 1, kind: .gpu)] ?? []).count >= 40)

        var throttled = MetricsSchedule(rate: 1)
        var calls = 0
        let t = simulate(&throttled, seconds: 60, wanted: { _ in fleet(3, visible: 0) }, answer: { _ in
            calls += 1
            return calls == 1 ? "throttled" : "data"
        })
        let first = t.asked.values.flatMap { $0 }.sorted()
        #expect(first.first == 0)
        #expect(!first.contains { $0 > 0 && $0 < 11 }, "\(first)")   // nothing during the Retry-After
    }

    @Test("pods that are gone are forgotten")
    func forgets() {
        var schedule = MetricsSchedule(rate: 10)
        _ = simulate(&schedule, seconds: 5, wanted: { _ in fleet(100, visible: 0) })
        schedule.keep(only: [1, 2])
        #expect(schedule.answeredAt.keys.allSatisfy { $0.pod <= 2 })
    }
}
