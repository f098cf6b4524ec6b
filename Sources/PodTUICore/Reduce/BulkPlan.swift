import FoundationEssentials
import PodAPI

/// What a bulk action would do to the marked pods.
public struct BulkPlan: Sendable, Equatable {
    /// Marked pods the action applies to, in list order.
    public var applicable: [Pod]
    /// Marked pods it does not apply to (wrong status, or already busy), with why.
    public var skipped: [(pod: Pod, reason: String)]
    /// $/h no longer paid once it is done (pause and delete of running pods).
    public var savingsPerHour: Double

    public static func == (a: BulkPlan, b: BulkPlan) -> Bool {
        a.applicable == b.applicable && a.skipped.map(\.pod) == b.skipped.map(\.pod) && a.savingsPerHour == b.savingsPerHour
    }

    public init(action: PodAction, state: AppState) {
        let marked = state.fleet.sort.sorted(state.fleet.allPods.filter { state.fleet.marks.contains($0.id) }, now: state.now)
        var applicable: [Pod] = []
        var skipped: [(Pod, String)] = []
        for pod in marked {
            if let pending = state.fleet.pending[pod.id] {
                skipped.append((pod, "\(pending.rawValue) in progress"))
            } else if let refusal = action.refusal(for: pod.status) {
                skipped.append((pod, refusal))
            } else {
                applicable.append(pod)
            }
        }
        self.applicable = applicable
        self.skipped = skipped
        savingsPerHour = action == .resume ? 0 : applicable.reduce(0) { $0 + ($1.status == .running ? ($1.pricePerHour ?? 0) : 0) }
    }
}
