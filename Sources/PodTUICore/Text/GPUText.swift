import PodAPI
import PodProbe

/// How probe figures are written, in the list, the detail pane and `pods top`: utilization,
/// VRAM, and the detail pane's sparkline.
public enum GPUText {
    /// `41/80G`: used and total GiB over the pod's GPUs (one decimal under 10 GiB used).
    public static func vram(_ report: ProbeReport?) -> String {
        guard let memory = report?.memory else { return "-" }
        return gib(memory.usedMiB) + "/" + whole(memory.totalMiB / 1024) + "G"
    }

    /// MiB as GiB: `41`, `0.5`; `?` for a figure no GPU has (not finite, negative).
    public static func gib(_ mib: Double) -> String {
        let g = mib / 1024
        return g > 0 && g < 9.95 ? Format.oneDecimal(g) : whole(g)
    }

    /// A whole number, or `?` when the figure is not finite or negative (the probes clamp
    /// what they read, but a sum over GPUs or a future source may not).
    static func whole(_ value: Double) -> String {
        guard value.isFinite, value >= 0, let n = Int(checked: value.rounded()) else { return "?" }
        return String(n)
    }

    /// Used and total memory: `39/80 GiB`.
    public static func memory(usedMiB: Double, totalMiB: Double) -> String {
        gib(usedMiB) + "/" + gib(totalMiB) + " GiB"
    }

    /// A utilization, whole: `97%`.
    public static func percent(_ utilization: Double) -> String {
        whole(utilization) + "%"
    }

    static let blocks: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    /// One character per sample, 0–100 as ▁…█; a missing sample is a space.
    public static func sparkline(_ samples: [Double?]) -> String {
        String(samples.map { sample -> Character in
            guard let s = sample, s.isFinite else { return " " }
            let i = Int((min(100, max(0, s)) / 100 * Double(blocks.count - 1)).rounded())
            return blocks[i]
        })
    }
}
