import PodAPI
import PodProbe

/// How probe figures are written: the list's `VRAM` cell, the detail pane's table and its
/// sparkline.
public enum GPUText {
    /// `41/80G`: used and total GiB over the pod's GPUs (one decimal under 10 GiB used).
    public static func vram(_ report: ProbeReport?) -> String {
        guard let memory = report?.memory else { return "-" }
        return gib(memory.usedMiB) + "/" + String(Int((memory.totalMiB / 1024).rounded())) + "G"
    }

    /// MiB as GiB: `41`, `0.5`.
    public static func gib(_ mib: Double) -> String {
        let g = mib / 1024
        if g > 0 && g < 9.95 {
            let text = NumberText.fixed(g, 1)
            return text.hasSuffix(".0") ? String(text.dropLast(2)) : text
        }
        return String(Int(g.rounded()))
    }

    static let blocks: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    /// One character per sample, 0–100 as ▁…█; a missing sample is a space.
    public static func sparkline(_ samples: [Double?]) -> String {
        String(samples.map { sample -> Character in
            guard let s = sample else { return " " }
            let i = Int((min(100, max(0, s)) / 100 * Double(blocks.count - 1)).rounded())
            return blocks[i]
        })
    }
}
