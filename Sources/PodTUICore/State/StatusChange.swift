import FoundationEssentials
import PodAPI

/// One status change seen for a pod.
public struct StatusChange: Sendable, Equatable {
    public var status: PodStatus
    public var at: Date
}
