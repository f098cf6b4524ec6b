import FoundationEssentials
import PodAPI
import Libc

/// Everything `HTTPPodService` needs to reach the API.
public struct ClientConfiguration: Sendable {
    /// The API root, e.g. `https://api.yottalabs.ai`. Plain http is allowed only for loopback.
    public var baseURL: URL
    public var apiKey: APIKey
    /// Seconds to establish a connection.
    public var connectTimeout: Double
    /// Seconds for a whole create, pause, resume or delete, connect to last byte.
    public var requestTimeout: Double
    /// Seconds a read (GET) may go without receiving a byte before it is given up. Reads
    /// have no short whole-request deadline, so a big reply on a slow link still finishes
    /// while a dead connection ends (`readDeadline` bounds a reply that trickles forever).
    public var readIdleTimeout: Double
    /// Upper bound for a whole read, however steadily its bytes arrive.
    public var readDeadline: Double
    public var retry: RetryPolicy
    /// Sent as `User-Agent`.
    public var userAgent: String
    /// The profile this connection was resolved from (nil: none named), so what podtui
    /// keeps per account (pause timers) knows whose it is.
    public var profile: String?

    public init(baseURL: URL, apiKey: APIKey, connectTimeout: Double = 10, requestTimeout: Double = 30,
                readIdleTimeout: Double = 15, readDeadline: Double = 600,
                retry: RetryPolicy = RetryPolicy(), userAgent: String = "podtui/\(PodTUIVersion.current)") {
        self.readIdleTimeout = readIdleTimeout
        self.readDeadline = readDeadline
        self.baseURL = baseURL
        self.apiKey = apiKey
        self.connectTimeout = connectTimeout
        self.requestTimeout = requestTimeout
        self.retry = retry
        self.userAgent = userAgent
    }
}
