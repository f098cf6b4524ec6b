import PodAPI

/// How API metrics are written, in the CLI's tables and (later) the list and detail pane:
/// utilization as `97%`, CPU as a share of the requested cores (`140%`), bytes as GiB.
public enum MetricText {
    /// One value of `kind`; `-` for a gap. Figures from outside are checked, never trusted:
    /// the decoder already dropped non-finite ones, and this clamps what a chart cannot show.
    public static func value(_ value: Double?, kind: MetricKind) -> String {
        guard let value, value.isFinite else { return "-" }
        switch kind {
        case .gpu: return Format.oneDecimal(value) + "%"
        case .cpu: return Format.oneDecimal(value * 100) + "%"
        case .gpuMemory, .memory, .storage: return gib(value) + " GiB"
        }
    }

    /// Bytes as GiB with one decimal under 100 GiB: `0.5`, `12.3`, `640`.
    public static func gib(_ bytes: Double) -> String {
        let g = bytes / (1024 * 1024 * 1024)
        guard g.isFinite else { return "?" }
        return abs(g) < 100 ? Format.oneDecimal(g) : Format.oneDecimal(g.rounded())
    }

    /// A series' column title: `GPU 0` for a per-GPU series, else the kind's short name, with
    /// the label values when several series have no GPU index (cleaned for the terminal).
    public static func title(_ series: MetricSeries, kind: MetricKind, among count: Int) -> String {
        if let gpu = series.gpuIndex { return "GPU \(gpu)" }
        let base: String
        switch kind {
        case .gpu: base = "GPU%"
        case .gpuMemory: base = "VRAM"
        case .cpu: base = "CPU"
        case .memory: base = "MEM"
        case .storage: base = "DISK"
        }
        guard count > 1 else { return base }
        let labels = series.labels.filter { $0.key != "pod_id" }.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        return TextSafety.clean(([base] + labels).joined(separator: " "))
    }
}
