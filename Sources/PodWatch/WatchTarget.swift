import FoundationEssentials
import PodAPI
import PodTUICore

/// Where events go: a webhook (POST JSON) or a program run per event, each with the events
/// it wants. Its `id` names its queue in the journal and never holds the URL: it is made from
/// a hash of it, so the journal, the log and `/metrics` carry no secret.
public struct WatchTarget: Sendable, Equatable {
    /// What delivering means.
    public enum Kind: Sendable, Equatable {
        /// POST the event as JSON to this URL (a secret: Slack's and Mattermost's carry the key).
        case webhook(url: String)
        /// Run this program with these arguments (no shell), the event in its environment,
        /// killed after `timeout` seconds.
        case exec(arguments: [String], timeout: Double)
    }

    public var kind: Kind
    /// The events it wants, or nil for all.
    public var events: Set<WatchEventKind>?

    public init(kind: Kind, events: Set<WatchEventKind>? = nil) { self.kind = kind; self.events = events }

    /// Stable across restarts for the same URL or program and arguments, whatever the order
    /// the targets are given in: `webhook-` or `exec-` and 12 hex digits of a hash.
    public var id: String {
        switch kind {
        case .webhook(let url): return "webhook-" + Self.hash([url])
        case .exec(let arguments, _): return "exec-" + Self.hash(arguments)
        }
    }

    /// How the log and the screen name it: a webhook by its scheme and host only (the path
    /// is the secret), a program by its name.
    public var display: String {
        switch kind {
        case .webhook(let url):
            let parsed = URL(string: url)
            return "webhook \(parsed?.scheme ?? "?")://\(parsed?.host ?? "?")/… (\(id))"
        case .exec(let arguments, _):
            return "exec \(arguments.first.map(TextSafety.clean) ?? "?") (\(id))"
        }
    }

    /// Whether it wants events of this kind.
    public func wants(_ kind: WatchEventKind) -> Bool { events?.contains(kind) ?? true }

    /// Ends the number of tries for a program (local: failing five times is the program's
    /// fault, not a receiver that is down); a webhook is tried for `Outbox.giveUpAfter`.
    public var maxAttempts: Int? {
        if case .exec = kind { return 5 }
        return nil
    }

    /// FNV-1a, 64 bits: a name, not a protection (the URL's secret part is long and random).
    static func hash(_ parts: [String]) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for part in parts {
            for byte in part.utf8 { h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
            h = (h ^ 0xff) &* 0x0000_0100_0000_01b3
        }
        let hex = String(h, radix: 16)
        return String((String(repeating: "0", count: max(0, 16 - hex.count)) + hex).prefix(12))
    }
}
