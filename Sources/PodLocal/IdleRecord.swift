import FoundationEssentials

/// How long a pod's GPUs had been idle, as a probing podtui last saw it.
public struct IdleRecord: Sendable, Equatable, Codable {
    public var idleSince: Date
    public var lastIdleSample: Date
    public init(idleSince: Date, lastIdleSample: Date) { self.idleSince = idleSince; self.lastIdleSample = lastIdleSample }
}
