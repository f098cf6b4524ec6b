import FoundationEssentials
import PodAPI

/// The detail pane's metrics (and, taller, the full-screen metrics view): per-GPU
/// utilization and memory, CPU, memory and disk, each with a block chart of the window
/// (`w`/`W`, `:window`) and a time axis in the local zone; which source the list's figures
/// came from and how old they are; the idle clock from the API's history.
enum MetricsDetail {
    typealias Line = (String, String, Style)

    /// The lines for `pod`, charts `chartHeight` rows tall, fitted to a pane `width` wide.
    static func lines(_ pod: Pod, state: AppState, chartHeight: Int, width: Int? = nil) -> [Line] {
        let muted = Style(color: .muted)
        // The glyphs carry the shape; the colour only helps (none in mono, the same in 8 colours).
        let chartStyle = Style(color: .accent)
        guard state.settings.metricsAvailable else { return [] }
        guard state.settings.metrics.enabled else { return [("metrics", "off (:metrics on shows GPU, CPU, memory and disk from the API)", muted)] }
        guard pod.status == .running else { return [("metrics", "only RUNNING pods have metrics", muted)] }
        let w = width ?? state.nav.screenSize.width
        let keyWidth = w >= 60 ? 12 : 9
        // The value column: after " KEY " and before the right edge.
        let room = max(10, w - keyWidth - 3)
        let window = state.settings.metrics.window
        var out: [Line] = []
        out.append(("metrics", "API, last \(window.rawValue) (a point every \(window.step.rawValue)) · w wider, W narrower"
                    + (state.nav.metricsOnly ? " · M all details" : " · M full screen"), Style(bold: true)))
        if let why = state.metrics.lastFailure, let at = state.metrics.lastFailureAt {
            let until = state.metrics.schedule.pausedUntil(now: state.now).map { "; asking again in " + Format.age($0.timeIntervalSince(state.now)) } ?? ""
            out.append(("", "? the metrics API failed \(Format.age(state.now.timeIntervalSince(at))) ago: \(TextSafety.clean(why))\(until); the figures shown stay",
                        Style(color: .warn, bold: true)))
        }
        out += sources(pod, state)
        let history = state.metrics.detail.flatMap { $0.pod == pod.id && $0.window == window ? $0 : nil }
        let end = state.now, start = state.now.addingTimeInterval(-window.seconds)
        var clampedAny = false
        func chart(_ points: [MetricPoint], range: ClosedRange<Double>, height: Int, width: Int) -> [String] {
            let drawing = MetricChart.draw(points, from: start, to: end, width: width, height: height, range: range, step: window.step.seconds)
            clampedAny = clampedAny || drawing.clamped
            return drawing.rows
        }
        let kinds: [MetricKind] = pod.isCPU ? [.cpu, .memory, .storage] : MetricKind.allCases
        for kind in kinds {
            let key = title(kind)
            guard let answer = history?.kinds[kind] else {
                out.append((key, "loading…", muted))
                continue
            }
            switch answer {
            case .noData:
                out.append((key, "no data yet", muted))
            case .notAvailable(let reason):
                out.append((key, "not available: " + TextSafety.clean(reason), muted))
            case .failed(let reason):
                out.append((key, "? " + TextSafety.clean(reason), Style(color: .warn)))
            case .data(let metrics, _):
                if metrics.droppedPoints > 0 {
                    out.append((key, "(\(metrics.droppedPoints) samples beyond \(PodMetrics.mostPoints) per series left out)", muted))
                }
                switch kind {
                case .gpu, .gpuMemory:
                    // One chart per GPU, its figure before it.
                    let series = metrics.series.sorted { ($0.gpuIndex ?? Int.max) < ($1.gpuIndex ?? Int.max) }
                    let height = chartHeight >= 4 ? 2 : 1
                    for (i, one) in series.enumerated() {
                        let name = MetricText.title(one, kind: kind, among: series.count)
                        let label = DisplayWidth.pad(DisplayWidth.truncate(name, to: 10), to: 10) + " "
                            + DisplayWidth.pad(figure(one, kind: kind, total: one.latestTotal ?? perGPU(metrics, series.count)), to: kind == .gpu ? 5 : 21, alignRight: kind == .gpu) + " "
                        let chartWidth = max(4, room - DisplayWidth.of(label))
                        let total = one.latestTotal ?? perGPU(metrics, series.count) ?? maxValue(one.points)
                        let rows = chart(one.points, range: 0...(kind == .gpu ? 100 : max(1, total)), height: height, width: chartWidth)
                        for (r, row) in rows.enumerated() {
                            let text = (r == rows.count - 1 ? label : String(repeating: " ", count: DisplayWidth.of(label))) + row
                            out.append((i == 0 && r == 0 ? key : "", text, chartStyle))
                        }
                    }
                case .cpu, .memory, .storage:
                    for one in metrics.series.prefix(4) {
                        let total = one.latestTotal ?? metrics.latestTotal
                        let head = figure(one, kind: kind, total: total)
                        out.append((key, head + (metrics.series.count > 1 ? "  " + MetricText.title(one, kind: kind, among: metrics.series.count) : ""),
                                    kind == .storage && share(one, total).map { $0 >= MetricsState.diskFullShare } == true ? Style(color: .bad, bold: true) : .plain))
                        let top = kind == .cpu ? max(1, maxValue(one.points)) : max(1, total ?? maxValue(one.points))
                        for row in chart(one.points, range: 0...top, height: chartHeight, width: room) {
                            out.append(("", row, chartStyle))
                        }
                    }
                }
            }
        }
        if history != nil {
            out.append(("", MetricChart.axis(from: start, to: end, width: room, zone: state.settings.timeZone), muted))
        }
        if clampedAny {
            out.append(("", "some values were outside the chart's range (under 0, or over 100% or the total): drawn at the edge", muted))
        }
        out += idle(pod, state)
        return out
    }

    /// Where the list's GPU% and VRAM came from and how old they are; the probe wins.
    static func sources(_ pod: Pod, _ state: AppState) -> [Line] {
        let muted = Style(color: .muted)
        var parts: [String] = []
        if state.settings.probe.enabled, let probed = state.probe.pods[pod.id], let at = probed.reportAt, probed.report != nil {
            parts.append("probe (ssh) " + Format.age(state.now.timeIntervalSince(at)) + " ago" + (probed.failure == nil ? "" : ", since failed"))
        }
        if let seen = state.metrics.pods[pod.id], let figure = seen.figures[.gpu] ?? seen.figures.values.first {
            let sampled = figure.sampledAt.map { ", sampled " + Format.age(max(0, state.now.timeIntervalSince($0))) + " ago" } ?? ""
            parts.append("API " + Format.age(state.now.timeIntervalSince(figure.receivedAt)) + " ago" + sampled)
        } else if let reason = state.metrics.pods[pod.id]?.unavailable[.gpu] {
            parts.append("API: " + reason)
        }
        guard !parts.isEmpty else { return [] }
        let winner = state.idleSource(pod.id) == .probe ? " (the probe's are shown)" : ""
        return [("figures", parts.joined(separator: " · ") + winner, muted)]
    }

    /// The idle clock from the API's history, with what the idle time cost.
    static func idle(_ pod: Pod, _ state: AppState) -> [Line] {
        guard state.idleSource(pod.id) == .api, let clock = state.metrics.pods[pod.id]?.idle, clock.idleFor > 0 else { return [] }
        let idle = clock.idleFor
        let cost = pod.pricePerHour.map { " · $\(Format.price($0 * idle / 3600)) while idle" } ?? ""
        let flagged = clock.isIdle(after: state.settings.probe.idleSeconds)
        let text = "every GPU under \(Format.percent(state.settings.probe.idlePercent)) for \(Format.age(idle))\(cost)"
            + (flagged ? "" : " (flagged at \(Format.age(state.settings.probe.idleSeconds)))")
        return [("idle", text, flagged ? Style(color: .bad, bold: true) : Style(color: .muted))]
    }

    static func title(_ kind: MetricKind) -> String {
        switch kind {
        case .gpu: "gpu util"
        case .gpuMemory: "vram"
        case .cpu: "cpu"
        case .memory: "memory"
        case .storage: "disk"
        }
    }

    /// A series' newest figure: `97%`, `140% of its cores`, `41.2 of 80 GiB (52%)`.
    static func figure(_ series: MetricSeries, kind: MetricKind, total: Double?) -> String {
        guard let value = series.latest?.value else { return "-" }
        switch kind {
        case .gpu: return GPUText.percent(min(max(value, 0), 999))
        case .cpu: return GPUText.percent(min(max(value, 0), 99) * 100) + " of its cores"
        case .gpuMemory, .memory, .storage:
            guard let total, total > 0 else { return MetricText.gib(value) + " GiB" }
            let share = share(series, total).map { " (" + GPUText.percent(min(max($0, 0), 9.99) * 100) + ")" } ?? ""
            return MetricText.gib(value) + " of " + MetricText.gib(total) + " GiB" + share
        }
    }

    static func share(_ series: MetricSeries, _ total: Double?) -> Double? {
        guard let value = series.latest?.value, let total, total > 0 else { return nil }
        let share = value / total
        return share.isFinite ? share : nil
    }

    /// A total sent beside `series` for all GPUs, split per GPU.
    static func perGPU(_ metrics: PodMetrics, _ count: Int) -> Double? {
        guard let total = metrics.latestTotal, count > 0 else { return nil }
        return total / Double(count)
    }

    /// The largest finite value (a chart's top when there is no total).
    static func maxValue(_ points: [MetricPoint]) -> Double {
        points.lazy.compactMap(\.value).filter(\.isFinite).max() ?? 1
    }
}
