import FoundationEssentials

/// How long a pod's GPUs have been idle, from its probe samples: the clock starts at the
/// first idle sample and runs to the latest one; a busy sample stops it; a sample that says
/// neither (no figures) leaves it as it is. It counts only what samples showed: after a gap
/// longer than `maxGap` without one, it starts again, since nobody saw what happened then.
public struct IdleClock: Sendable, Equatable {
    public private(set) var idleSince: Date?
    public private(set) var lastIdleSample: Date?

    public init() {}

    /// A clock as it was saved (`gpu-idle.json`); the gap rule applies to the next sample.
    public init(idleSince: Date, lastIdleSample: Date) {
        self.idleSince = idleSince
        self.lastIdleSample = max(idleSince, lastIdleSample)
    }

    public mutating func record(_ load: ProbeReport.Load, at time: Date, maxGap: Double) {
        switch load {
        case .busy:
            idleSince = nil
            lastIdleSample = nil
        case .idle:
            if let last = lastIdleSample, time.timeIntervalSince(last) <= maxGap, idleSince != nil {
                lastIdleSample = time
            } else {
                idleSince = time
                lastIdleSample = time
            }
        case .unknown:
            break
        }
    }

    /// Seconds of idle seen in a row (0 when the last verdict was busy).
    public var idleFor: Double {
        guard let since = idleSince, let last = lastIdleSample else { return 0 }
        return max(0, last.timeIntervalSince(since))
    }

    /// Idle for at least `seconds`.
    public func isIdle(after seconds: Double) -> Bool { idleSince != nil && idleFor >= seconds }
}
