import FoundationEssentials
import PodAPI

/// Which metrics requests go out, and when (issue 26's request budget), as a value the
/// reducer owns: no clock, no I/O, the time comes in.
///
/// - **Budget**: a token bucket at `rate` requests per second (`metrics_requests_per_second`,
///   default 1) with a burst of `burst`, and at most `maxInFlight` requests out at once, so
///   podtui's metrics traffic averages at most `rate` whatever the fleet size.
/// - **Lanes**: the selected pod (every kind over the detail pane's window, while the detail
///   pane shows it), the visible rows (GPU%), the fleet (GPU% of every RUNNING pod, for idle
///   detection, and the slower figures of the visible rows: VRAM, and CPU, MEM and DISK when
///   those columns are shown) and the disks (every RUNNING pod's disk, for "disk full").
///   A job of the selected pod or a visible row that was never answered goes before anything
///   else (what the user looks at fills first). Otherwise, when several lanes have work,
///   tokens go to them by weight (3 : 1 : 3 : 0.5), so the fleet keeps much of the budget
///   however many rows are on screen; a lane with nothing due gives its share to the others.
/// - **Intervals**: a job is due its lane's interval after its last answer (30 s, the API's
///   finest step, for GPU%; longer for slow figures); in each lane the longest-waiting job goes
///   first. One request per pod and kind at a time, whatever the window.
/// - **Backoff**: "not available" for a pod and kind waits 5 min, doubling to 1 h; a 429 or
///   a 5xx stops every request for 5 s, doubling to 2 min (a Retry-After longer than that is
///   honoured up to 10 min).
///
/// At 1,000 running pods with 40 rows on screen and the detail pane closed, every pod's GPU%
/// is refreshed in about 25 minutes and its disk in a few hours, the rows on screen every
/// 3 minutes; `MetricsScheduleTests` measures it (README has the figures).
public struct MetricsSchedule: Sendable, Equatable {
    /// One request: a pod, a kind, and the window it looks back over (nil: the live figures
    /// the list and idle detection use; a window: the detail pane's history).
    public struct Job: Sendable, Hashable {
        public var pod: Int64
        public var kind: MetricKind
        public var window: MetricWindow?
        public init(pod: Int64, kind: MetricKind, window: MetricWindow? = nil) {
            self.pod = pod; self.kind = kind; self.window = window
        }

        /// What "one request at a time" is counted by: the pod and the kind.
        var slot: Slot { Slot(pod: pod, kind: kind) }
    }

    struct Slot: Sendable, Hashable { var pod: Int64; var kind: MetricKind }

    /// Why a job is wanted, which decides its lane.
    public enum Lane: Int, Sendable, CaseIterable, Comparable {
        case selected, visible, fleet, disk

        public static func < (a: Lane, b: Lane) -> Bool { a.rawValue < b.rawValue }

        /// The usual wait after an answer before a job is due again (a caller may ask for a
        /// longer one per job: slow figures, coarse detail windows).
        public var interval: Double {
            switch self {
            case .selected, .visible, .fleet: 30
            case .disk: 900
            }
        }

        /// Its share of the budget when lanes compete.
        var weight: Double {
            switch self {
            case .selected: 3
            case .visible: 1
            case .fleet: 3
            case .disk: 0.5
            }
        }
    }

    /// A job wanted now: in which lane, and how long after its last answer it is due.
    public struct Want: Sendable {
        public var job: Job
        public var lane: Lane
        public var interval: Double
        public init(_ job: Job, _ lane: Lane, every interval: Double? = nil) {
            self.job = job; self.lane = lane; self.interval = interval ?? lane.interval
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
    /// The pods and kinds with a request out (whatever its window).
    var busy: Set<Slot> = []
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
        start(now: now, wants: wanted.map { Want($0.0, $0.1) })
    }

    /// The jobs to start now, out of `wants` (each job once, in its most urgent lane, due
    /// after the shortest interval asked for it).
    public mutating func start(now: Date, wants: [Want]) -> [Job] {
        refill(now)
        if let until = pausedUntil, until > now { return [] }
        var best: [Job: (lane: Lane, interval: Double)] = [:]
        for want in wants {
            if let known = best[want.job] {
                best[want.job] = (min(known.lane, want.lane), min(known.interval, want.interval))
            } else {
                best[want.job] = (want.lane, want.interval)
            }
        }
        // At most `room` jobs start now, so each lane keeps only its `room` longest-waiting
        // candidates (one pass over the fleet, not a sort of it: this runs every second).
        let room = min(Int(saturating: tokens.rounded(.down)), maxInFlight - inFlight.count)
        guard room > 0 else { return [] }
        var queues: [Lane: [(Job, Double)]] = [:]
        func before(_ a: (Job, Double), _ b: (Job, Double)) -> Bool {
            // The longest-waiting first; never asked counts as longest; then by pod id.
            a.1 != b.1 ? a.1 > b.1 : (a.0.pod, a.0.kind.rawValue) < (b.0.pod, b.0.kind.rawValue)
        }
        for (job, want) in best where !busy.contains(job.slot) {
            let lane = want.lane
            if let wait = unavailable[job], wait.until > now { continue }
            let waited = answeredAt[job].map { now.timeIntervalSince($0) } ?? .infinity
            guard waited >= want.interval else { continue }
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
            let open = Lane.allCases.filter { !(queues[$0]?.isEmpty ?? true) }
            // What the user looks at and has never seen goes first (the selected pod, then the
            // rows on screen); after that, the lane furthest below its share.
            let firstLook = open.first { $0 <= .visible && queues[$0]?.first?.1 == .infinity }
            guard let lane = firstLook ?? open.min(by: { (spent[$0] ?? 0) / $0.weight < (spent[$1] ?? 0) / $1.weight }),
                  var queue = queues[lane], !queue.isEmpty else { break }
            let job = queue.removeFirst()
            queues[lane] = queue
            // Two lanes may hold the same pod and kind over different windows: one goes.
            guard !busy.contains(job.0.slot) else { continue }
            tokens -= 1
            spent[lane, default: 0] += 1
            inFlight.insert(job.0)
            busy.insert(job.0.slot)
            started.append(job.0)
        }
        return started
    }

    /// An answer (data or no data yet) came for `job`.
    public mutating func answered(_ job: Job, at now: Date) {
        finish(job)
        answeredAt[job] = now
        unavailable[job] = nil
        pauseStep = 0
    }

    /// The server has no such metric for the pod: ask again after a while.
    public mutating func notAvailable(_ job: Job, at now: Date) {
        finish(job)
        answeredAt[job] = now
        let step = min(3600, max(300, (unavailable[job]?.step ?? 150) * 2))
        unavailable[job] = Backoff(until: now.addingTimeInterval(step), step: step)
    }

    /// A 429, a 5xx or a connection failure: every request waits (`retryAfter` when sent).
    public mutating func failed(_ job: Job, at now: Date, retryAfter: Double? = nil) {
        finish(job)
        pauseStep = min(120, max(5, pauseStep * 2))
        let wait = retryAfter.flatMap { $0.isFinite ? min(max($0, pauseStep), 600) : nil } ?? pauseStep
        pausedUntil = now.addingTimeInterval(wait)
    }

    private mutating func finish(_ job: Job) {
        if inFlight.remove(job) != nil { busy.remove(job.slot) }
    }

    /// Forgets pods no longer wanted (gone, paused), and the detail windows of every pod but
    /// `detailOf`, so the maps stay the size of the fleet.
    public mutating func keep(only pods: Set<Int64>, detailOf selected: Int64? = nil) {
        func kept(_ job: Job) -> Bool { pods.contains(job.pod) && (job.window == nil || job.pod == selected) }
        answeredAt = answeredAt.filter { kept($0.key) }
        unavailable = unavailable.filter { kept($0.key) }
    }

    /// Whether a request is out for `job`.
    public func isAsking(_ job: Job) -> Bool { inFlight.contains(job) }

    /// When `job` last got an answer.
    public func lastAnswer(_ job: Job) -> Date? { answeredAt[job] }

    /// When requests may go out again after a 429 or 5xx (nil: they may now).
    public func pausedUntil(now: Date) -> Date? { pausedUntil.flatMap { $0 > now ? $0 : nil } }

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
