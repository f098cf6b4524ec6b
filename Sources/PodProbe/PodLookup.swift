import PodAPI

/// A pod named on the command line by id or by name (`podtui forward`, `cp`, `exec`).
public enum PodLookup {
    /// The pod `text` names among `pods`: the one with that id, else the one with that name.
    /// No pod, or several with that name, is an error that says so (listing their ids, so the
    /// user can give one).
    public static func find(_ text: String, in pods: [Pod]) -> Result<Pod, ProbeFailure> {
        if let id = PodID.parse(text), let pod = pods.first(where: { $0.id == id }) { return .success(pod) }
        let named = pods.filter { $0.name == text }.sorted { $0.id < $1.id }
        switch named.count {
        case 0:
            return .failure(ProbeFailure(.noTarget, "no pod has the id or name \(ProbeTarget.shown(text))"))
        case 1:
            return .success(named[0])
        default:
            return .failure(ProbeFailure(.noTarget, "\(named.count) pods are named \(ProbeTarget.shown(text)); give one of their ids: "
                + named.map { String($0.id) }.joined(separator: ", ")))
        }
    }

    /// How podtui reaches `pod` over ssh, or why not: it must be RUNNING (another state's
    /// `sshCmd` points at nothing) and its `sshCmd` must pass the rules of `s`.
    public static func invocation(for pod: Pod) -> Result<SSHInvocation, ProbeFailure> {
        guard pod.status == .running else {
            return .failure(ProbeFailure(.noTarget, "pod \(pod.id) is \(pod.status.wireName); ssh needs a RUNNING pod"))
        }
        return SSHInvocation.forPod(sshCmd: pod.sshCmd)
    }
}
