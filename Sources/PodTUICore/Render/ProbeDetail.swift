import FoundationEssentials
import PodAPI
import PodProbe

/// The detail pane's GPU lines: the probe's figures per GPU with a sparkline of the last
/// samples, the idle clock and what the idle time cost, or why there are no figures.
enum ProbeDetail {
    static func lines(_ pod: Pod, state: AppState) -> [(String, String, Style)] {
        guard pod.status == .running else { return [] }
        let muted = Style(color: .muted)
        guard state.settings.probe.enabled else {
            // With API metrics on, their lines say it all; the probe is the opt-in finer source.
            if state.metricsOn { return [] }
            return [("gpu use", "not probed (:probe on shows it, through your ssh)", muted)]
        }
        guard let target = state.probe.targets[pod.id] else { return [("gpu use", "probing…", muted)] }
        if case .failure(let why) = target { return [("gpu use", "not probed: " + why.reason, muted)] }
        guard let probed = state.probe.pods[pod.id] else { return [("gpu use", "probing…", muted)] }
        var out: [(String, String, Style)] = []
        if let failure = probed.failure {
            let ago = probed.failedAt.map { " " + Format.age(state.now.timeIntervalSince($0)) + " ago" } ?? ""
            let retry = state.probe.schedule.slots[pod.id]?.nextDue.map { "; next try in " + Format.age(max(0, $0.timeIntervalSince(state.now))) } ?? ""
            out.append(("gpu use", "? probe failed\(ago): \(failure.reason)\(retry)", Style(color: .warn, bold: true)))
        }
        if let report = probed.report {
            let age = probed.reportAt.map { Format.age(state.now.timeIntervalSince($0)) + " ago" } ?? ""
            let mean = report.meanUtilization.map { "mean " + GPUText.percent($0) } ?? "utilization n/a"
            let vram = report.memory.map { " · VRAM " + GPUText.memory(usedMiB: $0.usedMiB, totalMiB: $0.totalMiB) } ?? ""
            out.append((probed.failure == nil ? "gpu use" : "last seen", "\(mean)\(vram) · \(report.tool.rawValue), \(age)", .plain))
            for gpu in report.gpus {
                let util = gpu.utilization.map { DisplayWidth.pad(GPUText.percent($0), to: 4, alignRight: true) } ?? " n/a"
                let memory = gpu.memoryUsedMiB.flatMap { u in gpu.memoryTotalMiB.map { GPUText.memory(usedMiB: u, totalMiB: $0) } } ?? "VRAM n/a"
                let spark = GPUText.sparkline(probed.history[gpu.index] ?? [])
                let style: Style = (gpu.utilization ?? 100) < state.settings.probe.idlePercent ? muted : .plain
                out.append(("", "GPU \(gpu.index)  \(util)  \(DisplayWidth.pad(memory, to: 15))  \(spark)", style))
            }
        }
        let idle = probed.idle.idleFor
        if idle > 0 {
            let cost = pod.pricePerHour.map { " · $\(Format.price($0 * idle / 3600)) while idle" } ?? ""
            let flagged = probed.isIdle(state.settings.probe)
            let text = "every GPU under \(Format.percent(state.settings.probe.idlePercent)) for \(Format.age(idle))\(cost)"
                + (flagged ? "" : " (flagged at \(Format.age(state.settings.probe.idleSeconds)))")
            out.append(("idle", text, flagged ? Style(color: .bad, bold: true) : muted))
        }
        return out
    }
}
