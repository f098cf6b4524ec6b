import FoundationEssentials
import Libc

/// The lifecycle state of a pod.
///
/// The API's vocabulary is not settled (see the API notes, open question 1): responses may use
/// the v1/SDK names (`INITIALIZE`, `PAUSING`, `PAUSED`), the docs' aliases (`INITIALIZING`,
/// `STOPPING`, `STOPPED`), any letter case, or the integer codes 0–6. Decoding accepts all of
/// them and keeps anything else as `.unknown(raw)` so one odd value never loses a pod.
public enum PodStatus: Sendable, Hashable, Codable, CustomStringConvertible {
    case initializing
    case running
    case pausing
    case paused
    case terminating
    case terminated
    case failed
    /// A value this client does not know, kept verbatim.
    case unknown(String)

    /// Every known status, in lifecycle order.
    public static let known: [PodStatus] = [.initializing, .running, .pausing, .paused, .terminating, .terminated, .failed]

    /// The integer code the `statusList` filter uses (0–6), or nil for `.unknown`.
    public var code: Int? {
        switch self {
        case .initializing: 0
        case .running: 1
        case .pausing: 2
        case .paused: 3
        case .terminating: 4
        case .terminated: 5
        case .failed: 6
        case .unknown: nil
        }
    }

    /// The name the simulator and the CLI print (the v1/SDK enum names).
    public var wireName: String {
        switch self {
        case .initializing: "INITIALIZE"
        case .running: "RUNNING"
        case .pausing: "PAUSING"
        case .paused: "PAUSED"
        case .terminating: "TERMINATING"
        case .terminated: "TERMINATED"
        case .failed: "FAILED"
        case .unknown(let raw): raw
        }
    }

    public var description: String { wireName }

    /// True while the pod is moving between two steady states; pollers speed up then.
    public var isTransitional: Bool {
        switch self {
        case .initializing, .pausing, .terminating: true
        default: false
        }
    }

    /// Parses a status name, alias or integer code, in any case. Never fails.
    public init(parsing raw: String) {
        let trimmed = raw.trimmed
        if let code = Int(trimmed), let status = PodStatus(code: code) {
            self = status
            return
        }
        switch trimmed.uppercased() {
        case "INITIALIZE", "INITIALIZING", "INIT", "PENDING": self = .initializing
        case "RUNNING": self = .running
        case "PAUSING", "STOPPING": self = .pausing
        case "PAUSED", "STOPPED": self = .paused
        case "TERMINATING", "DELETING": self = .terminating
        case "TERMINATED", "DELETED": self = .terminated
        case "FAILED", "ERROR": self = .failed
        default: self = .unknown(raw)
        }
    }

    /// The status for an integer code 0–6, or nil.
    public init?(code: Int) {
        guard code >= 0, code < PodStatus.known.count else { return nil }
        self = PodStatus.known[code]
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        // Names are the usual form: try them first (a failed attempt throws, which is costly
        // once per pod in a 10,000-pod list).
        if let text = try? container.decode(String.self) {
            self = PodStatus(parsing: text)
        } else {
            let code = try container.decode(Int.self)
            self = PodStatus(code: code) ?? .unknown(String(code))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(wireName)
    }
}
