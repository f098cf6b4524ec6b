import PodProbe

/// One probe the store is asked to run: a pod and where its ssh goes.
public struct ProbeJob: Sendable, Equatable {
    public var podID: Int64
    public var target: ProbeTarget
    public init(podID: Int64, target: ProbeTarget) { self.podID = podID; self.target = target }
}
