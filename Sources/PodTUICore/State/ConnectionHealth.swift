import FoundationEssentials
import PodAPI

/// How polling is going.
public struct ConnectionHealth: Sendable {
    public var lastSuccess: Date?
    /// The error of the last poll, cleared by a success.
    public var lastError: PodAPIError?
    /// Polls failed in a row.
    public var failures = 0
    /// A list request is in flight (never two).
    public var fetching = false
    /// Generation of the newest list request; replies from older ones are dropped.
    public var generation = 0
    /// What the newest list request asked the server to filter by.
    public var requestedQuery: ServerQuery?
    /// When the next poll is due.
    public var nextPoll: Date?
    /// When the list request in flight was sent.
    public var fetchStartedAt: Date?
    public init() {}

    /// Seconds the request in flight has gone unanswered, once that reaches max(5 s, the
    /// poll interval); nil otherwise. A reply that does not come makes the data stale at
    /// once, not when the request finally times out (15 s without a byte).
    public func overdueFor(now: Date, interval: Double) -> Double? {
        guard fetching, let started = fetchStartedAt else { return nil }
        let waited = now.timeIntervalSince(started)
        // Ticks come about once a second with up to 0.1 s leeway: a quarter second of slack
        // keeps the mark from slipping a whole tick past the limit.
        return waited >= max(5, interval) - 0.25 ? waited : nil
    }
}
