import FoundationEssentials
import PodAPI

/// One entry of a pod's status history as this session saw it: a status, or the pod gone
/// from an unfiltered reply.
public struct StatusChange: Sendable, Equatable {
    /// What was seen.
    public enum Seen: Sendable, Equatable {
        case status(PodStatus)
        /// An unfiltered reply no longer had the pod.
        case gone
    }

    public var seen: Seen
    /// When podtui saw it: the change itself when `observed`, else the first sighting.
    public var at: Date
    /// False for the status a pod already had when podtui first saw it: it began before,
    /// at a time podtui does not know, so no "for 5s" may be claimed of it.
    public var observed: Bool

    public init(_ seen: Seen, at: Date, observed: Bool) {
        self.seen = seen; self.at = at; self.observed = observed
    }

    /// The status, or nil for `gone`.
    public var status: PodStatus? {
        if case .status(let status) = seen { return status }
        return nil
    }

    /// At most this many entries are kept per pod (the oldest go first): a pod that flaps
    /// for days must not grow the session's memory.
    public static let keptPerPod = 32

    /// How long `status` has held, as podtui may claim it: `for 5m` when the change was
    /// seen; else `seen 5m` (or `since` the API's `updatedAt` when given and not later).
    public static func duration(of change: StatusChange, until end: Date, updatedAt: Date?, zone: ZoneOffsets) -> String {
        if change.observed { return "for " + Format.age(end.timeIntervalSince(change.at)) }
        if let updatedAt, updatedAt <= change.at {
            return "since " + Format.dateTime(updatedAt, in: zone)
        }
        return "seen " + Format.age(end.timeIntervalSince(change.at))
    }
}
