/// What one successful probe of a pod found: its GPUs, and which tool reported them.
public struct ProbeReport: Sendable, Equatable {
    public enum Tool: String, Sendable, Equatable {
        case nvidia = "nvidia-smi"
        case rocm = "rocm-smi"
    }

    public var tool: Tool
    public var gpus: [GPUReading]

    public init(tool: Tool, gpus: [GPUReading]) { self.tool = tool; self.gpus = gpus }

    /// Mean utilization over the GPUs that reported one; nil when none did.
    public var meanUtilization: Double? {
        let known = gpus.compactMap(\.utilization)
        return known.isEmpty ? nil : known.reduce(0, +) / Double(known.count)
    }

    /// Memory in use and in all, summed over the GPUs that reported both.
    public var memory: (usedMiB: Double, totalMiB: Double)? {
        let pairs = gpus.compactMap { g in g.memoryUsedMiB.flatMap { u in g.memoryTotalMiB.map { (u, $0) } } }
        guard !pairs.isEmpty else { return nil }
        return (pairs.reduce(0) { $0 + $1.0 }, pairs.reduce(0) { $0 + $1.1 })
    }

    /// What the sample says about idleness under `threshold` percent: idle when every GPU
    /// reported a figure under it, busy when any GPU is at or over it, unknown otherwise
    /// (no GPUs, or `N/A` figures only).
    public func load(under threshold: Double) -> Load {
        guard !gpus.isEmpty else { return .unknown }
        if gpus.contains(where: { ($0.utilization ?? -1) >= threshold }) { return .busy }
        return gpus.allSatisfy({ $0.utilization != nil }) ? .idle : .unknown
    }

    /// A sample's verdict for the idle clock.
    public enum Load: Sendable, Equatable { case idle, busy, unknown }
}
