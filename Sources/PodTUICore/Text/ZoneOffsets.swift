import FoundationEssentials
import PodAPI

/// A time zone as podtui shows times in it: the offset from UTC in force at any instant.
/// A plain value (Sendable, Equatable) so views stay pure: the runtime samples the system's
/// zone once (`sampled`) and puts the result in the state. FoundationEssentials knows no
/// named zones without ICU, which the UI process does not link.
public struct ZoneOffsets: Sendable, Equatable {
    /// One change of offset: from `at` (seconds since 1970, UTC) on, `offset` seconds east of UTC.
    public struct Transition: Sendable, Equatable {
        public var at: Int64
        public var offset: Int
        public init(at: Int64, offset: Int) { self.at = at; self.offset = offset }
    }

    /// The offset before the first transition (always, when there is none).
    public var initial: Int
    /// Changes of offset, in time order.
    public var transitions: [Transition]

    public init(initial: Int, transitions: [Transition] = []) {
        self.initial = initial
        self.transitions = transitions
    }

    /// UTC.
    public static let utc = ZoneOffsets(initial: 0)

    /// A zone that is always `seconds` east of UTC.
    public static func fixed(_ seconds: Int) -> ZoneOffsets { ZoneOffsets(initial: seconds) }

    /// Seconds east of UTC at `date`.
    public func offset(at date: Date) -> Int {
        // Saturating: a date from outside may be anything, and only its order against the
        // transitions matters here.
        let t = Int64(saturating: date.timeIntervalSince1970.rounded(.down))
        var low = 0, high = transitions.count   // first transition after t
        while low < high {
            let mid = (low + high) / 2
            if transitions[mid].at <= t { low = mid + 1 } else { high = mid }
        }
        return low == 0 ? initial : transitions[low - 1].offset
    }

    /// The zone that `offset` describes between `start` and `end`: sampled once a day, and
    /// each change found to the second by bisection (about 6,000 calls for 16 years).
    /// Outside the span the nearest edge's offset holds.
    public static func sampled(from start: Date, to end: Date, offset: (Int64) -> Int) -> ZoneOffsets {
        var t = Int64(saturating: start.timeIntervalSince1970.rounded(.down))
        let stop = Int64(saturating: end.timeIntervalSince1970.rounded(.up))
        let first = offset(t)
        var zone = ZoneOffsets(initial: first)
        var current = first
        while t < stop {
            let next = min(t + 86_400, stop)
            let there = offset(next)
            if there != current {
                var low = t, high = next   // offset(low) == current, offset(high) != current
                while high - low > 1 {
                    let mid = low + (high - low) / 2
                    if offset(mid) == current { low = mid } else { high = mid }
                }
                current = offset(high)
                zone.transitions.append(Transition(at: high, offset: current))
                t = high   // go on from the change: a second one may follow within the day
                continue
            }
            t = next
        }
        return zone
    }
}
