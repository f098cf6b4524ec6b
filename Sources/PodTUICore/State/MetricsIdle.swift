import FoundationEssentials
import PodAPI
import PodProbe

/// Idle detection from the GPU history the metrics API returns: the pod is idle at an
/// instant when every GPU with a sample then is under the threshold, busy when one is at or
/// over it. A pod idle for the whole window asked is flagged as soon as that window
/// arrives, not after podtui has watched it for the idle time.
enum MetricsIdle {
    /// The clock after a GPU answer: the answer's samples replayed in time order (gaps longer
    /// than `maxGap` start the clock again, as for probes), joined to the clock before when
    /// the answer is idle from its first sample and follows on from it.
    static func clock(after old: IdleClock, series: [MetricSeries], under threshold: Double, maxGap: Double) -> IdleClock {
        // Per instant: whether any GPU was busy, and whether any had a figure.
        var busy: [Date: Bool] = [:]
        for one in series {
            for point in one.points {
                guard let value = point.value, value.isFinite else { continue }
                busy[point.time] = (busy[point.time] ?? false) || value >= threshold
            }
        }
        let times = busy.keys.sorted()
        guard let first = times.first else { return old }
        var clock = IdleClock()
        for time in times {
            clock.record(busy[time] == true ? .busy : .idle, at: time, maxGap: maxGap)
        }
        guard let since = clock.idleSince, let last = clock.lastIdleSample else { return clock }
        if since == first, let oldSince = old.idleSince, let oldLast = old.lastIdleSample,
           oldSince < since, since.timeIntervalSince(oldLast) <= maxGap {
            return IdleClock(idleSince: oldSince, lastIdleSample: last)
        }
        return clock
    }
}
