import FoundationEssentials
import PodAPI

/// What the header shows about the whole fleet, computed once per reply.
public struct FleetSummary: Sendable, Equatable {
    public var counts: [PodStatus: Int] = [:]
    public var runningCostPerHour = 0.0
    /// Every region a pod is in (the filter sends exact region names to the server).
    public var regions: Set<String> = []

    public init(_ pods: [Pod]) {
        for pod in pods {
            if let region = pod.region { regions.insert(region) }
            counts[pod.status, default: 0] += 1
            if pod.status == .running, let price = pod.pricePerHour { runningCostPerHour += price }
        }
    }
}
