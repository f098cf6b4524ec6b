import FoundationEssentials
import PodAPI
import PodProbe
import PodTUICore

/// `pods top` from Yotta's metrics API: which requests a run makes, making them (at most
/// `concurrency` at once, stopping when the server pushes back), and the figures of one pod.
enum TopMetrics {
    /// One request: a kind of one pod.
    struct Job: Sendable, Hashable {
        var pod: Int64
        var kind: MetricKind
    }

    /// What one request gave.
    enum Outcome: Sendable, Equatable {
        case answer(MetricsAnswer)
        /// 429, 5xx, a timeout, a reply that could not be read: the figure is `?`.
        case failed(String)
        /// Not sent: the run stopped asking after the server pushed back (`?` too).
        case skipped
    }

    /// CPU%, MEM and DISK are asked for this many pods by default (the first in the table):
    /// GPU% and VRAM for every running pod, so 1,000 pods cost 2,060 requests, not 5,000.
    static let defaultDetails = 20
    /// Requests in flight at once.
    static let concurrency = 4
    /// After this many failures other than 429 (5xx, timeouts), nothing more is sent: an
    /// outage must not cost one timeout per remaining request.
    static let failuresBeforeStopping = 3
    /// The GPU history asked: an hour, so IDLE can say how long every GPU has been idle.
    static let gpuWindow = 3600.0
    /// The other kinds: a quarter of an hour is enough for the newest sample.
    static let latestWindow = 900.0

    /// The requests of a run: GPU and GPU memory for every running pod with GPUs, in table
    /// order; then CPU, memory and disk for the first `details` running pods.
    static func plan(_ pods: [Pod], details: Int) -> [Job] {
        let running = pods.filter { $0.status == .running }
        var jobs: [Job] = []
        for pod in running where !pod.isCPU {
            jobs.append(Job(pod: pod.id, kind: .gpu))
            jobs.append(Job(pod: pod.id, kind: .gpuMemory))
        }
        for pod in running.prefix(max(0, details)) {
            jobs += [.cpu, .memory, .storage].map { Job(pod: pod.id, kind: $0) }
        }
        return jobs
    }

    /// Runs `jobs`, at most `concurrency` at once. A 429 (after the client's own retries,
    /// which honour Retry-After) stops the run from starting more; so do
    /// `failuresBeforeStopping` other failures. Returns every job's outcome and, when it
    /// stopped early, why.
    static func fetch(_ jobs: [Job], concurrency: Int = TopMetrics.concurrency,
                      ask: @escaping @Sendable (Job) async throws -> MetricsAnswer) async -> (outcomes: [Job: Outcome], stoppedBecause: String?) {
        var outcomes: [Job: Outcome] = [:]
        var stopped: String?
        var failures = 0
        await withTaskGroup(of: (Job, Outcome).self) { group in
            var next = 0
            func add() {
                guard stopped == nil, next < jobs.count else { return }
                let job = jobs[next]
                next += 1
                group.addTask {
                    do { return (job, .answer(try await ask(job))) } catch let error as PodAPIError {
                        return (job, .failed(error.shortReason))
                    } catch {
                        return (job, .failed("\(error)"))
                    }
                }
            }
            for _ in 0..<max(1, concurrency) { add() }
            for await (job, outcome) in group {
                outcomes[job] = outcome
                if case .failed(let reason) = outcome {
                    failures += 1
                    if reason == "HTTP 429" {
                        stopped = stopped ?? "the server rate limited (HTTP 429)"
                    } else if failures >= failuresBeforeStopping {
                        stopped = stopped ?? "\(failures) requests failed"
                    }
                }
                add()
            }
        }
        for job in jobs where outcomes[job] == nil { outcomes[job] = .skipped }
        return (outcomes, stopped)
    }

    /// The one stderr line for figures that could not be fetched, or nil when all were.
    static func failureLine(_ outcomes: [Job: Outcome], stoppedBecause: String?) -> String? {
        var reasons: [String: Int] = [:]
        var skipped = 0
        for outcome in outcomes.values {
            switch outcome {
            case .failed(let reason): reasons[reason, default: 0] += 1
            case .skipped: skipped += 1
            case .answer: break
            }
        }
        let failed = reasons.values.reduce(0, +)
        guard failed + skipped > 0 else { return nil }
        let counts = reasons.sorted { $0.value == $1.value ? $0.key < $1.key : $0.value > $1.value }
            .map { "\($0.key) ×\($0.value)" }.joined(separator: ", ")
        var line = "metrics: \(failed + skipped) of \(outcomes.count) figures shown as ?"
        if failed > 0 { line += ": \(failed) failed (\(counts))" }
        if skipped > 0 { line += "; \(skipped) not asked after \(stoppedBecause ?? "failures")" }
        return line
    }

    /// The newest value of each series (series without one left out), in GPU order.
    static func newest(_ metrics: PodMetrics) -> [(gpu: Int?, value: Double, total: Double?)] {
        metrics.series
            .sorted { ($0.gpuIndex ?? Int.max) < ($1.gpuIndex ?? Int.max) }
            .compactMap { series in
                guard let value = series.latest?.value, value.isFinite else { return nil }
                return (series.gpuIndex, value, series.latestTotal.flatMap { $0.isFinite && $0 > 0 ? $0 : nil })
            }
    }

    /// Used and total bytes over all series: a `latest_total` beside `series` covers them all;
    /// totals in each series add up (when every series has one).
    static func usedAndTotal(_ metrics: PodMetrics) -> (used: Double, total: Double?)? {
        let values = newest(metrics)
        guard !values.isEmpty else { return nil }
        let used = values.reduce(0) { $0 + max(0, $1.value) }
        let perSeries = values.compactMap(\.total)
        let total = metrics.latestTotal.flatMap { $0.isFinite && $0 > 0 ? $0 : nil }
            ?? (perSeries.count == values.count ? perSeries.reduce(0, +) : nil)
        return (used, total)
    }

    /// How long every GPU has been under `threshold` percent, from the GPU history: nil when
    /// there is no sample, 0 when the newest instant is busy. A gap of more than `maxGap`
    /// without samples starts the count again (as the probes' idle clock does).
    static func idleSeconds(_ metrics: PodMetrics, under threshold: Double, maxGap: Double = 120) -> Double? {
        var byTime: [Date: Bool] = [:]   // instant → busy
        for series in metrics.series {
            for point in series.points {
                guard let value = point.value, value.isFinite else { continue }
                byTime[point.time] = (byTime[point.time] ?? false) || value >= threshold
            }
        }
        guard !byTime.isEmpty else { return nil }
        var clock = IdleClock()
        for (time, busy) in byTime.sorted(by: { $0.key < $1.key }) {
            clock.record(busy ? .busy : .idle, at: time, maxGap: maxGap)
        }
        return clock.idleFor
    }

    /// Bytes as MiB (the unit `--ssh` reports VRAM in, so both JSON shapes agree).
    static func mib(_ bytes: Double) -> Double { bytes / (1024 * 1024) }

    /// `used/total GiB`, or `used GiB` without a total.
    static func bytes(used: Double, total: Double?) -> String {
        guard let total else { return MetricText.gib(used) + " GiB" }
        return GPUText.memory(usedMiB: mib(used), totalMiB: mib(total))
    }
}
