import FoundationEssentials
import PodAPI
import PodLocal

/// What the ledger says each pod spent, and this process's own observations.
public struct SpendState: Sendable, Equatable {
    /// This process's session in the ledger (random, set at start).
    public var session = ""
    /// Lines from the file at start, then this session's own.
    public var lines: [LedgerLine] = []
    /// The session id this process started with; a session resumed after a gap longer than
    /// the ledger's session timeout continues as `sessionBase-rN`.
    public var sessionBase = ""
    public var restarts = 0
    /// The last status this session recorded for each pod.
    public var lastStatus: [Int64: String] = [:]
    /// Edges this session wrote per pod, and when the last one was written: past a burst, a
    /// pod gets at most one edge per `SpendReducer.minEdgeGap` (a flapping API cannot grow
    /// the ledger without end); the status it held back meanwhile waits in `held`.
    public var edgeCount: [Int64: Int] = [:]
    public var lastEdgeAt: [Int64: Date] = [:]
    public var held: [Int64: HeldEdge] = [:]
    /// Pods first seen in this session after the allowance for new pods ran out: not
    /// written yet; a later reply that still shows one (after `SpendReducer.probation`)
    /// writes it, from its first sighting. Only the last reply's pods are kept.
    public var provisional: [Int64: Provisional] = [:]
    /// New pods that may be written at once: `newBurst`, refilled at
    /// `SpendReducer.newPerHour` (an API that invents ids every poll cannot fill the ledger).
    public var allowance = Double(Self.newBurst)
    /// The most new pods written at once (after the first reply, which writes the fleet).
    static let newBurst = 500
    public var allowanceAt: Date?
    /// A reply was recorded in this session: the first one's pods (the fleet as it is) are
    /// all written at once.
    public var replied = false
    /// The ledger's size as counted here (`LedgerLine.estimatedSize`): the history read and
    /// this process's appends.
    public var bytes = 0
    /// When the ledger reached its bound (`SpendReducer.maxBytes` or `maxLines`): nothing is
    /// recorded after that, and every spend is a lower bound (shown with ≥).
    public var fullSince: Date?
    /// When `total` and `today` were last computed, and whether lines came since (a big
    /// ledger is recomputed at most every `SpendReducer.recomputeGap`).
    public var computedAt: Date?
    public var stale = false
    /// Spend per pod over everything observed, and since the start of today (local time).
    public var total: [Int64: PodSpend] = [:]
    public var today: [Int64: PodSpend] = [:]
    /// `today` folded for the header, which draws every frame: finished cost, and for the
    /// open intervals Σ price and Σ price × start, so the sum at any instant costs nothing.
    public var todayClosed = 0.0
    public var todayOpenRate = 0.0
    public var todayOpenWeighted = 0.0
    /// The local midnight `today` counts from.
    public var dayStart: Date?
    /// Last heartbeat written.
    public var lastAlive: Date?
    /// Whether the file was read (its history is in `lines`), or why not.
    public var loaded = false
    public var problem: String?

    public init() {}

    /// A status change not yet written (see `edgeCount`).
    public struct HeldEdge: Sendable, Equatable {
        public var status: String
        public var name: String?
        public var price: Double?
        public var created: Int64?
    }

    /// A new pod held back (see `provisional`): when it was first seen, as what.
    public struct Provisional: Sendable, Equatable {
        public var firstSeen: Date
        public var first: HeldEdge
    }

    /// Dollars spent today by every pod, as of `now`.
    public func todaysSpend(at now: Date) -> Double {
        todayClosed + max(0, now.timeIntervalSince1970 * todayOpenRate - todayOpenWeighted) / 3600
    }

    /// Folds `today` into the three sums.
    mutating func foldToday() {
        todayClosed = 0; todayOpenRate = 0; todayOpenWeighted = 0
        for spend in today.values {
            todayClosed += spend.closedCost
            if let since = spend.openSince, let price = spend.openPrice {
                todayOpenRate += price
                todayOpenWeighted += price * since.timeIntervalSince1970
            }
        }
    }
}
