import FoundationEssentials

/// Events not yet delivered to every target that wants them, in order per target: a target's
/// next event is tried only once the one before it was delivered or given up, so a receiver
/// that was down gets them in the order they happened. Pure; the journal keeps it on disk
/// (written before a delivery is tried and after it ends, so none is lost to a crash: one
/// being sent when the watcher died is sent again).
public struct Outbox: Sendable, Codable, Equatable {
    /// One event owed to one target.
    public struct Delivery: Sendable, Codable, Equatable {
        public var target: String
        public var seq: Int64
        /// Tries that failed so far, the first one's time, and when to try again.
        public var failures: Int = 0
        public var firstFailure: Date?
        public var nextTry: Date?
        /// The last failure, in words (never a URL).
        public var lastError: String?

        public init(target: String, seq: Int64) { self.target = target; self.seq = seq }
    }

    /// Events some target still wants, by sequence number order.
    public private(set) var events: [WatchEvent] = []
    /// Deliveries owed, oldest first.
    public private(set) var owed: [Delivery] = []

    public init() {}

    /// A webhook that has failed for this long is given up (with a log line).
    public static let giveUpAfter: Double = 86_400
    /// At most this many events wait; beyond it the oldest are dropped (and said so), so a
    /// receiver down for long on a fleet that churns cannot fill the disk.
    public static let maxEvents = 10_000
    /// At most this many deliveries are owed (an event owed to several targets counts once
    /// per target); beyond it the oldest events go too. Bounding events alone let 10,000
    /// events times 32 targets make a journal larger than the journal's read limit, which
    /// the next watcher then refused to start on.
    public static let maxDeliveries = 10_000

    /// What happened to the owed deliveries when events were added or a try ended.
    public enum Outcome: Sendable, Equatable {
        case delivered
        /// Tried again at this time.
        case retry(at: Date)
        /// Not tried again: failing for a day, too many tries, or a refusal that will not change.
        case gaveUp(String)
    }

    /// Queues each event for every target that wants it; returns how many old events were
    /// dropped to stay within `maxEvents` and `maxDeliveries`.
    @discardableResult
    public mutating func add(_ new: [WatchEvent], targets: [WatchTarget]) -> Int {
        for event in new {
            let wanting = targets.filter { $0.wants(event.kind) }
            guard !wanting.isEmpty else { continue }
            events.append(event)
            owed.append(contentsOf: wanting.map { Delivery(target: $0.id, seq: event.seq) })
        }
        guard events.count > Self.maxEvents || owed.count > Self.maxDeliveries else { return 0 }
        var perEvent: [Int64: Int] = [:]
        for delivery in owed { perEvent[delivery.seq, default: 0] += 1 }
        // Oldest first (events are in sequence order) until both bounds hold.
        var drop = 0
        var owedLeft = owed.count
        while drop < events.count, events.count - drop > Self.maxEvents || owedLeft > Self.maxDeliveries {
            owedLeft -= perEvent[events[drop].seq] ?? 0
            drop += 1
        }
        guard drop > 0 else { return 0 }
        let cut = events[drop - 1].seq
        events.removeFirst(drop)
        owed.removeAll { $0.seq <= cut }
        return drop
    }

    /// The next delivery of `target` and its event, when its head is due at `now`.
    public func next(for target: String, now: Date) -> (Delivery, WatchEvent)? {
        guard let head = owed.first(where: { $0.target == target }) else { return nil }
        // A retry time further ahead than the longest backoff was set before the clock went
        // back: due now, not after the jump's length.
        if let next = head.nextTry, next > now, next.timeIntervalSince(now) <= Self.maxBackoff { return nil }
        guard let event = events.first(where: { $0.seq == head.seq }) else { return nil }
        return (head, event)
    }

    /// When `target`'s head is due next (nil: nothing owed).
    public func nextTry(for target: String, now: Date) -> Date? {
        guard let head = owed.first(where: { $0.target == target }) else { return nil }
        guard let next = head.nextTry, next.timeIntervalSince(now) <= Self.maxBackoff else { return now }
        return next
    }

    /// Deliveries owed to `target`.
    public func owedCount(for target: String) -> Int { owed.reduce(0) { $0 + ($1.target == target ? 1 : 0) } }

    /// Every delivery owed.
    public var count: Int { owed.count }

    /// Records a try of `target`'s delivery of `seq`: delivered, or failed with `error`
    /// (`permanent` for an answer that trying again cannot change). Failures are tried again
    /// after 2 s doubling to 5 min; a webhook is given up a day after its first failure, a
    /// target with `maxAttempts` after that many.
    public mutating func record(target: WatchTarget, seq: Int64, error: String?, permanent: Bool = false, now: Date) -> Outcome {
        guard let at = owed.firstIndex(where: { $0.target == target.id && $0.seq == seq }) else { return .delivered }
        guard let error else {
            remove(at)
            return .delivered
        }
        var delivery = owed[at]
        delivery.failures += 1
        delivery.firstFailure = delivery.firstFailure ?? now
        delivery.lastError = error
        let failingFor = now.timeIntervalSince(delivery.firstFailure ?? now)
        if permanent || failingFor >= Self.giveUpAfter || (target.maxAttempts.map { delivery.failures >= $0 } ?? false) {
            remove(at)
            let why = permanent ? error : "\(error); failing for \(Int(saturating: failingFor.rounded()))s over \(delivery.failures) tries"
            return .gaveUp(why)
        }
        let wait = Self.backoff(failures: delivery.failures)
        delivery.nextTry = now.addingTimeInterval(wait)
        owed[at] = delivery
        return .retry(at: now.addingTimeInterval(wait))
    }

    /// Forgets the deliveries of targets that are no longer configured; returns how many.
    @discardableResult
    public mutating func forget(targetsNotIn ids: Set<String>) -> Int {
        let before = owed.count
        owed.removeAll { !ids.contains($0.target) }
        prune()
        return before - owed.count
    }

    /// 2 s, 4 s, 8 s … at most `maxBackoff`.
    public static func backoff(failures: Int) -> Double {
        min(maxBackoff, 2 * Double(1 << min(max(failures - 1, 0), 16)))
    }

    /// The longest wait between two tries: 5 minutes.
    public static let maxBackoff: Double = 300

    private mutating func remove(_ at: Int) {
        owed.remove(at: at)
        prune()
    }

    /// Drops events no delivery is owed for.
    private mutating func prune() {
        let wanted = Set(owed.map(\.seq))
        if wanted.count != events.count { events.removeAll { !wanted.contains($0.seq) } }
    }
}
