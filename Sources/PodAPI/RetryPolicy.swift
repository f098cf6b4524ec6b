import FoundationEssentials
import Libc

/// How GET requests are retried: on connection errors, timeouts, 5xx and 429, with capped
/// exponential backoff and full jitter; a 429's Retry-After is honoured (up to `maxDelay`).
/// Create, pause, resume and delete are never retried.
public struct RetryPolicy: Sendable, Equatable {
    /// Total tries including the first; 1 disables retries.
    public var maxAttempts: Int
    /// The delay before the first retry, before jitter.
    public var baseDelay: Double
    /// No single wait is longer than this.
    public var maxDelay: Double

    public init(maxAttempts: Int = 3, baseDelay: Double = 0.25, maxDelay: Double = 8) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    /// No retries at all.
    public static let none = RetryPolicy(maxAttempts: 1)

    /// The wait before retry number `attempt` (1 = first retry) after `error`.
    public func delay(beforeRetry attempt: Int, after error: PodAPIError, random: Double = Double.random(in: 0...1)) -> Double {
        if case .rateLimited(let after?) = error, after.isFinite { return min(max(after, 0), maxDelay) }
        let ceiling = min(maxDelay, baseDelay * pow(2, Double(attempt - 1)))
        // Full jitter, but never less than half the step, so retries do not hammer the server.
        return ceiling / 2 + ceiling / 2 * random
    }

    /// The longest wait a Retry-After header is believed for: a day. A server that means
    /// longer is asked again after a day; `inf` or a year-99999 date is not a wait.
    public static let longestRetryAfter = 86_400.0

    /// Parses a Retry-After header: delta-seconds (RFC 9110: digits only, so `inf`, `1e300`
    /// and `-1` are refused) or an HTTP date; at most `longestRetryAfter`.
    public static func parseRetryAfter(_ value: String?, now: Date = Date()) -> Double? {
        guard let value = value?.trimmed, !value.isEmpty else { return nil }
        if value.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) {
            // Twenty digits overflow Int64; anything that long is "a very long time".
            guard value.utf8.count <= 9, let seconds = Double(value) else { return longestRetryAfter }
            return min(seconds, longestRetryAfter)
        }
        guard let date = HTTPDate.parse(value) else { return nil }
        let wait = date.timeIntervalSince(now)
        guard wait.isFinite else { return nil }
        return min(max(0, wait), longestRetryAfter)
    }
}
