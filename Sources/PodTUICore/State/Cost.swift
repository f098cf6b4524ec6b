import FoundationEssentials
import PodAPI

/// Money arithmetic for the list, header and detail.
public enum Cost {
    /// Dollars a pod has cost since it was created, when the API gives a price and a start:
    /// price per hour × hours. Only a RUNNING pod is billed at the GPU price, so for others
    /// this is nil rather than a guess.
    public static func sinceStart(_ pod: Pod, now: Date) -> Double? {
        guard pod.status == .running, let price = pod.pricePerHour, let start = pod.createdAt else { return nil }
        return price * max(0, now.timeIntervalSince(start)) / 3600
    }
}
