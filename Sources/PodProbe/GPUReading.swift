/// One GPU as a probe saw it. A field the tool printed as `N/A` (or not at all) is nil.
public struct GPUReading: Sendable, Equatable {
    /// The tool's index (`nvidia-smi`'s `index`, rocm-smi's `cardN`).
    public var index: Int
    /// Utilization, 0–100.
    public var utilization: Double?
    /// Memory in MiB.
    public var memoryUsedMiB: Double?
    public var memoryTotalMiB: Double?

    public init(index: Int, utilization: Double?, memoryUsedMiB: Double?, memoryTotalMiB: Double?) {
        self.index = index; self.utilization = utilization
        self.memoryUsedMiB = memoryUsedMiB; self.memoryTotalMiB = memoryTotalMiB
    }
}
