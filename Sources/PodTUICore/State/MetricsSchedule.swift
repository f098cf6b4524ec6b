import FoundationEssentials
import PodAPI

/// Which metrics requests go out, and when (issue 26's request budget), as a value the
/// reducer owns: no clock, no I/O, the time comes in.
///
/// - **Budget**: a token bucket at `rate` requests per second (`metrics_requests_per_second`,
///   default 1) with a burst of `burst`, and at most `maxInFlight` requests out at once, so
///   podtui's metrics traffic averages at most `rate` whatever the fleet size.
/// - **Lanes**: the selected pod (every kind, while the detail pane shows it), the visible
///   rows (GPU%) and the fleet (GPU% of every RUNNING pod, for idle detection, and the VRAM
///   of the visible rows, which changes slowly).
///   When several lanes have work, tokens go to them by weight (1 : 1 : 3), so the fleet
///   keeps three fifths of the budget however many rows are on screen; a lane with nothing
///   due gives its share to the others.
/// - **Intervals**: a job is due 30 s after its last answer (the API's finest step); in each
///   lane the longest-waiting job goes first. One request per pod and kind at a time.
/// - **Backoff**: "not available" for a pod and kind waits 5 min, doubling to 1 h; a 429 or
///   a 5xx stops every request for 5 s, doubling to 2 min (a Retry-After longer than that is
///   honoured up to 10 min).
///
/// At 1,000 running pods with 40 rows on screen and the detail pane closed, the fleet lane's
/// three quarters of a request a second refresh every pod in about 23 minutes and the rows
/// on screen every 160 s; `MetricsScheduleTests` measures it.
public struct MetricsSchedule: Sendable, Equatable {
    /// One request: a pod and a kind.
    public struct Job: Sendable, Hashable {
        public var pod: Int64
        public var kind: MetricKind
        public init(pod: Int64, kind: MetricKind) { self.pod = pod; self.kind = kind }
    }

    /// Why a job is wanted, which decides its lane.
    public enum Lane: Int, Sendable, CaseIterable, Comparable {
        case selected, visible, fleet

        public static func < (a: Lane, b: Lane) -> Bool { a.rawValue < b.rawValue }

        /// The wait after an answer before the job is due again.
        public var interval: Double {
            switch self {
            case .selected, .visible, .fleet: 30
            }
        }

        /// Its share of the budget when lanes compete.
        var weight: Double {
            switch self {
            case .selected, .visible: 1
            case .fleet: 3
            }
        }
    }

    public var rate: Double
    public var burst: Double
    public var maxInFlight: Int
    var tokens: Double
    var refilledAt: Date?
    /// Tokens spent per lane, for the weighted share (decayed so old history fades).
    var spent: [Lane: Double] = [:]
    /// When each job last got an answer (or a failure that was not "not available").
    public private(set) var answeredAt: [Job: Date] = [:]
    public private(set) var inFlight: Set<Job> = []
    /// "Not available" jobs: not asked again before `until`.
    var unavailable: [Job: Backoff] = [:]
    /// After a 429 or 5xx: nothing is asked before `until`.
    var pausedUntil: Date?
    var pauseStep: Double = 0

    struct Backoff: Sendable, Equatable { var until: Date; var step: Double }

    public init(rate: Double = 1, burst: Double = 4, maxInFlight: Int = 4) {
        self.rate = rate.isFinite && rate > 0 ? min(rate, 100) : 1
        self.burst = max(1, burst)
        self.maxInFlight = max(1, maxInFlight)
        tokens = self.burst
    }

    /// The jobs to start now, out of `wanted` (each job once, in its most urgent lane).
    public mutating func start(now: Date, wanted: [(Job, Lane)]) -> [Job] {
        refill(now)
        if let until = pausedUntil, until > now { return [] }
        var best: [Job: Lane] = [:]
        for (job, lane) in wanted { best[job] = min(best[job] ?? lane, lane) }
        // At most `room` jobs start now, so each lane keeps only its `room` longest-waiting
        // candidates (one pass over the fleet, not a sort of it: this runs every second).
        let room = min(Int(saturating: tokens.rounded(.down)), maxInFlight - inFlight.count)
        guard room > 0 else { return [] }
        var queues: [Lane: [(Job, Double)]] = [:]
        func before(_ a: (Job, Double), _ b: (Job, Double)) -> Bool {
            // The longest-waiting first; never asked counts as longest; then by pod id.
            a.1 != b.1 ? a.1 > b.1 : (a.0.pod, a.0.kind.rawValue) < (b.0.pod, b.0.kind.rawValue)
        }
        for (job, lane) in best where !inFlight.contains(job) {
            if let wait = unavailable[job], wait.until > now { continue }
            let waited = answeredAt[job].map { now.timeIntervalSince($0) } ?? .infinity
            guard waited >= lane.interval else { continue }
            var queue = queues[lane, default: []]
            let candidate = (job, waited)
            if queue.count < room || before(candidate, queue[queue.count - 1]) {
                let at = queue.firstIndex { before(candidate, $0) } ?? queue.count
                queue.insert(candidate, at: at)
                if queue.count > room { queue.removeLast() }
                queues[lane] = queue
            }
        }
        var started: [Job] = []
        while tokens >= 1, inFlight.count < maxInFlight {
            // The lane furthest below its share goes next.
            let open = Lane.allCases.filter { !(queues[$0]?.isEmpty ?? true) }
            guard let lane = open.min(by: { (spent[$0] ?? 0) / $0.weight < (spent[$1] ?? 0) / $1.weight }),
                  var queue = queues[lane], !queue.isEmpty else { break }
            let job = queue.removeFirst()
            queues[lane] = queue
            tokens -= 1
            spent[lane, default: 0] += 1
            inFlight.insert(job.0)
            started.append(job.0)
        }
        return started
    }

    /// An answer (data or no data yet) came for `job`.
    public mutating func answered(_ job: Job, at now: Date) {
        inFlight.remove(job)
        answeredAt[job] = now
        unavailable[job] = nil
        pauseStep = 0
    }

    /// The server has no such metric for the pod: ask again after a while.
    public mutating func notAvailable(_ job: Job, at now: Date) {
        inFlight.remove(job)
        answeredAt[job] = now
        let step = min(3600, max(300, (unavailable[job]?.step ?? 150) * 2))
        unavailable[job] = Backoff(until: now.addingTimeInterval(step), step: step)
    }

    /// A 429, a 5xx or a connection failure: every request waits (`retryAfter` when sent).
    public mutating func failed(_ job: Job, at now: Date, retryAfter: Double? = nil) {
        inFlight.remove(job)
        pauseStep = min(120, max(5, pauseStep * 2))
        let wait = retryAfter.flatMap { $0.isFinite ? min(max($0, pauseStep), 600) : nil } ?? pauseStep
        pausedUntil = now.addingTimeInterval(wait)
    }

    /// Forgets pods no longer wanted (gone, paused), so the maps stay the size of the fleet.
    public mutating func keep(only pods: Set<Int64>) {
        answeredAt = answeredAt.filter { pods.contains($0.key.pod) }
        unavailable = unavailable.filter { pods.contains($0.key.pod) }
    }

    /// Whether `job` is known to have no metrics now.
    public func isUnavailable(_ job: Job, now: Date) -> Bool {
        unavailable[job].map { $0.until > now } ?? false
    }

    private mutating func refill(_ now: Date) {
        if let last = refilledAt {
            let elapsed = max(0, now.timeIntervalSince(last))
            tokens = min(burst, tokens + elapsed * rate)
            // Shares fade over about a minute, so a lane idle for a while does not bank a
            // claim on the budget it did not use.
            let fade = elapsed >= 60 ? 0 : 1 - elapsed / 60
            for lane in spent.keys { spent[lane] = (spent[lane] ?? 0) * fade }
        }
        refilledAt = now
    }
}
