import FoundationEssentials
import PodAPI
import PodLocal

/// Money arithmetic for the list, header and detail.
public enum Cost {
    /// Dollars a pod has cost since it was created, when the API gives a price and a start:
    /// price per hour × hours. Only a RUNNING pod is billed at the GPU price, so for others
    /// this is nil rather than a guess.
    public static func sinceStart(_ pod: Pod, now: Date) -> Double? {
        guard pod.status == .running, let price = pod.pricePerHour, let start = pod.createdAt else { return nil }
        return price * max(0, now.timeIntervalSince(start)) / 3600
    }

    /// What the ledger saw the pod spend (RUNNING time podtui observed × its price), and
    /// whether that is all of it; nil when the ledger has not seen the pod.
    public static func observed(_ id: Int64, in spend: [Int64: PodSpend], now: Date) -> (cost: Double, complete: Bool)? {
        spend[id].map { ($0.cost(at: now), $0.complete) }
    }

    /// `$12.34`, or `≥$12.34` when the pod ran before podtui saw it; `-` when never seen.
    public static func text(_ id: Int64, in spend: [Int64: PodSpend], now: Date) -> String {
        guard let seen = observed(id, in: spend, now: now) else { return "-" }
        return (seen.complete ? "$" : "≥$") + Format.price(seen.cost)
    }
}
