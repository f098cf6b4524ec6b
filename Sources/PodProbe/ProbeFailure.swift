/// Why a probe found no figures, in words a person can act on.
public struct ProbeFailure: Error, Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable {
        /// The pod has no usable ssh command (none, or one podtui refuses to run).
        case noTarget
        /// ssh would not log in without a password (BatchMode).
        case authRefused
        case timeout
        case unreachable
        case hostKey
        /// No nvidia-smi or rocm-smi on the pod.
        case noTool
        /// The tool ran but failed or printed nothing podtui can read.
        case toolFailed
        /// ssh itself could not be started here.
        case noSSH
        case other
    }

    public var kind: Kind
    /// The reason, one line.
    public var reason: String

    public init(_ kind: Kind, _ reason: String) { self.kind = kind; self.reason = reason }
}
