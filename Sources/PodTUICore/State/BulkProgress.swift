import FoundationEssentials
import PodAPI

/// Progress of a bulk pause/resume/delete.
public struct BulkProgress: Sendable, Equatable {
    public var action: PodAction
    public var total: Int
    public var done = 0
    public var failed: [String] = []
    public var skipped: Int
    /// Pods still waiting for their reply.
    public var waiting: Set<Int64>
}
