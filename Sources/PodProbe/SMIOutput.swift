import PodAPI

/// Reads what the probe's remote command printed: a marker line naming the tool it found
/// (`#podtui nvidia`, `#podtui rocm`, `#podtui none`), then that tool's CSV.
///
/// nvidia-smi (`--query-gpu=index,utilization.gpu,memory.used,memory.total
/// --format=csv,noheader,nounits`) prints `0, 97, 40211, 81559` per GPU; a figure it cannot
/// read is `[N/A]` or `[Not Supported]`. rocm-smi (`--showuse --showmeminfo vram --csv`)
/// prints a header (`device,GPU use (%),VRAM Total Memory (B),VRAM Total Used Memory (B)`,
/// columns vary by version) and a `cardN,…` line per GPU, sometimes after warnings.
public enum SMIOutput {
    /// The remote command: POSIX sh, fixed text (nothing from the API goes into it).
    public static let remoteCommand =
        "if command -v nvidia-smi >/dev/null 2>&1; then echo '#podtui nvidia'; "
        + "nvidia-smi --query-gpu=index,utilization.gpu,memory.used,memory.total --format=csv,noheader,nounits; "
        + "elif command -v rocm-smi >/dev/null 2>&1; then echo '#podtui rocm'; rocm-smi --showuse --showmeminfo vram --csv; "
        + "else echo '#podtui none'; fi"

    /// The report in `output`, or why there is none. `status` is the remote command's exit
    /// status (the tool's, after the marker).
    public static func parse(_ output: String, status: Int32) -> Result<ProbeReport, ProbeFailure> {
        let lines = output.split(whereSeparator: \.isNewline).map { String($0).trimmed }
        guard let markerAt = lines.firstIndex(where: { $0.hasPrefix("#podtui ") }) else {
            return .failure(ProbeFailure(.toolFailed, "the pod's shell printed something unexpected: " + firstLine(lines)))
        }
        let rest = Array(lines[(markerAt + 1)...]).filter { !$0.isEmpty }
        switch lines[markerAt].dropFirst("#podtui ".count) {
        case "nvidia":
            let gpus = Array(rest.lazy.compactMap(nvidiaLine).prefix(mostGPUs))
            if gpus.isEmpty {
                let said = rest.first.map { ": " + $0 } ?? (status == 0 ? ": it printed no GPUs" : " (exit status \(status))")
                return .failure(ProbeFailure(.toolFailed, "nvidia-smi failed" + said))
            }
            return .success(ProbeReport(tool: .nvidia, gpus: gpus))
        case "rocm":
            if let gpus = rocm(rest), !gpus.isEmpty { return .success(ProbeReport(tool: .rocm, gpus: gpus)) }
            let said = rest.first.map { ": " + $0 } ?? " (exit status \(status))"
            return .failure(ProbeFailure(.toolFailed, "rocm-smi printed no GPU figures" + said))
        case "none":
            return .failure(ProbeFailure(.noTool, "no nvidia-smi or rocm-smi on the pod"))
        default:
            return .failure(ProbeFailure(.toolFailed, "the pod's shell printed something unexpected: " + lines[markerAt]))
        }
    }

    /// One `index, util, used, total` line; nil for anything else (a warning, an error).
    static func nvidiaLine(_ line: String) -> GPUReading? {
        let fields = line.split(separator: ",", omittingEmptySubsequences: false).map { String($0).trimmed }
        guard fields.count >= 4, let index = Int(fields[0]), index >= 0 else { return nil }
        let util = number(fields[1]), used = number(fields[2]), total = number(fields[3])
        // A line of four fields none of which is a figure or N/A is not a GPU line.
        guard [fields[1], fields[2], fields[3]].allSatisfy({ number($0) != nil || isNotAvailable($0) }) else { return nil }
        return GPUReading(index: index, utilization: util.map(percent), memoryUsedMiB: mib(used), memoryTotalMiB: mib(total))
    }

    /// rocm-smi's CSV: columns found by their header names.
    static func rocm(_ lines: [String]) -> [GPUReading]? {
        guard let headerAt = lines.firstIndex(where: { $0.lowercased().hasPrefix("device,") }) else { return nil }
        let header = lines[headerAt].lowercased().split(separator: ",", omittingEmptySubsequences: false).map { String($0).trimmed }
        func column(_ test: (String) -> Bool) -> Int? { header.firstIndex(where: test) }
        let use = column { $0.hasPrefix("gpu use") }
        let total = column { $0.contains("vram total memory") }
        let used = column { $0.contains("vram total used memory") }
        var gpus: [GPUReading] = []
        for line in lines[(headerAt + 1)...] {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map { String($0).trimmed }
            guard let name = fields.first, name.lowercased().hasPrefix("card"), let index = Int(name.dropFirst(4)) else { continue }
            func value(_ i: Int?) -> Double? { i.flatMap { $0 < fields.count ? number(fields[$0]) : nil } }
            let mib = 1024.0 * 1024.0
            gpus.append(GPUReading(index: index, utilization: value(use).map(percent),
                                   memoryUsedMiB: Self.mib(value(used).map { $0 / mib }),
                                   memoryTotalMiB: Self.mib(value(total).map { $0 / mib })))
            if gpus.count >= mostGPUs { break }
        }
        return gpus
    }

    /// A plain non-negative decimal figure of at most 20 characters; nil for `N/A` and
    /// anything else (whatever is first in the pod's PATH may print 300 digits).
    static func number(_ text: String) -> Double? {
        var t = Substring(text)
        if t.hasSuffix("%") { t = t.dropLast() }
        if t.hasSuffix(" MiB") { t = t.dropLast(4) }
        guard !t.isEmpty, t.utf8.count <= 20, t.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
              t.filter({ $0 == "." }).count <= 1, let value = Double(t), value.isFinite else { return nil }
        return value
    }

    /// The most memory one GPU is believed to have: 16 TiB, in MiB. A larger figure is
    /// unknown, not a number for the VRAM column to add up.
    static let largestMiB = 16.0 * 1024 * 1024

    /// Memory in MiB, or nil beyond `largestMiB`.
    static func mib(_ value: Double?) -> Double? {
        value.flatMap { $0 <= largestMiB ? $0 : nil }
    }

    /// At most this many GPU lines are read: no machine has more, and the list must not grow
    /// with whatever a hostile tool prints.
    static let mostGPUs = 64

    static func isNotAvailable(_ text: String) -> Bool {
        let t = text.lowercased().trimmingBrackets
        return t == "n/a" || t == "not supported" || t == "unknown error" || t.isEmpty
    }

    /// Utilization is a percentage; a tool printing 250 is clamped, not believed.
    static func percent(_ value: Double) -> Double { min(100, max(0, value)) }

    static func firstLine(_ lines: [String]) -> String {
        guard let line = lines.first(where: { !$0.isEmpty }) else { return "(nothing)" }
        return line.count > 120 ? String(line.prefix(120)) + "…" : line
    }
}

extension String {
    /// `[N/A]` as `n/a`.
    var trimmingBrackets: String {
        hasPrefix("[") && hasSuffix("]") && count >= 2 ? String(dropFirst().dropLast()) : self
    }
}
