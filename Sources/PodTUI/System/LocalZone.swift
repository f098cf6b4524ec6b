import FoundationEssentials
import Libc
import PodTUICore

/// The user's time zone (TZ, else /etc/localtime), as the C library knows it: no ICU.
public enum LocalZone {
    /// The local zone's offsets from 15 years before `now` to 2 years after (pods, their
    /// history and events all fall inside; beyond, the edge's offset holds).
    public static func current(now: Date = Date()) -> ZoneOffsets {
        tzset()
        let year = 365.25 * 86_400
        return ZoneOffsets.sampled(from: now.addingTimeInterval(-15 * year), to: now.addingTimeInterval(2 * year)) { t in
            var time = time_t(t)
            var parts = tm()
            guard localtime_r(&time, &parts) != nil else { return 0 }
            return Int(parts.tm_gmtoff)
        }
    }
}
