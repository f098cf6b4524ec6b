import PodAPI
import PodProbe

/// One port-forward `F` started: `ssh -N -L 127.0.0.1:LOCAL:localhost:REMOTE` to a pod,
/// run by the runtime as a background child until `x` in `:forwards` or quit.
public struct Forward: Sendable, Equatable {
    public enum Phase: Sendable, Equatable {
        /// ssh started; its listener is not up yet.
        case starting
        /// ssh listens on the local port.
        case ready
        /// `x` was pressed: waiting for ssh to end.
        case stopping
    }

    /// Numbered by the reducer, so the runtime's reports find it.
    public var id: Int
    public var podID: Int64
    public var podLabel: String
    /// The pod's port, the local one asked for (or the same), and whether the user named it.
    public var ports: ForwardPorts
    public var phase: Phase

    public init(id: Int, podID: Int64, podLabel: String, ports: ForwardPorts, phase: Phase = .starting) {
        self.id = id; self.podID = podID; self.podLabel = podLabel; self.ports = ports; self.phase = phase
    }

    /// The pod's exposed ports, in order, each once: what the `F` line offers first.
    public static func exposedPorts(_ pod: Pod) -> [Int] {
        var seen = Set<Int>()
        return (pod.expose ?? []).map(\.port).filter { (1...65_535).contains($0) && seen.insert($0).inserted }
    }
}

/// What the runtime needs to start a forward: ssh's argv is built there, once the local
/// port is chosen (which only the runtime can try).
public struct ForwardRequest: Sendable, Equatable {
    public var id: Int
    public var invocation: SSHInvocation
    public var ports: ForwardPorts

    public init(id: Int, invocation: SSHInvocation, ports: ForwardPorts) { self.id = id; self.invocation = invocation; self.ports = ports }
}

/// What the runtime reports about a forward.
public enum ForwardEvent: Sendable, Equatable {
    /// ssh started; `local` is the port chosen (another when the one asked for was taken
    /// and the user had not named it).
    case started(local: Int)
    /// Its listener is up.
    case ready
    /// It never started, or ssh ended: why, in words.
    case ended(String)
}

/// The active forwards (`:forwards`).
public struct ForwardState: Sendable {
    public var items: [Forward] = []
    public var selected = 0
    public var nextID = 1

    public init() {}

    /// The index of forward `id`.
    public func index(_ id: Int) -> Int? { items.firstIndex { $0.id == id } }
}
