/// A state-changing action on one pod, with the statuses it applies to.
///
/// The API does not document which action is allowed in which state; this table is the
/// behaviour chosen in the API notes (§4), and the simulator enforces the same table.
public enum PodAction: String, Sendable, Hashable, CaseIterable {
    case pause, resume, delete

    /// The statuses from which the action is accepted.
    public var allowedFrom: [PodStatus] {
        switch self {
        case .pause: [.running]
        case .resume: [.paused, .failed]
        case .delete: [.initializing, .running, .pausing, .paused, .failed]
        }
    }

    /// Nil when the action applies to a pod in `status`; otherwise the reason, in words,
    /// e.g. "Pod is PAUSED; pause needs RUNNING".
    public func refusal(for status: PodStatus) -> String? {
        if allowedFrom.contains(status) { return nil }
        if case .unknown = status { return nil }   // let the server decide
        let needs = allowedFrom.map(\.wireName)
        let list = needs.count == 1 ? needs[0] : needs.dropLast().joined(separator: ", ") + " or " + needs[needs.count - 1]
        return "Pod is \(status.wireName); \(rawValue) needs \(list)"
    }

    /// What an accepted request means, for result messages: "pause requested" (the API
    /// accepts the request; the pod gets there later).
    public var requested: String { "\(rawValue) requested" }

    /// The past participle, for sentences such as "cannot be paused".
    public var pastParticiple: String {
        switch self {
        case .pause: "paused"
        case .resume: "resumed"
        case .delete: "deleted"
        }
    }
}
