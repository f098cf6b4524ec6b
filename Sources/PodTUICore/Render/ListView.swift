import FoundationEssentials
import PodAPI
import PodProbe

/// The pod list: a column header, one row per pod, and a short preview of the selected pod
/// when there is room. Columns drop in priority order as the terminal narrows.
enum ListView {
    /// The text of one cell of the `title` column (the layout is in `ListLayout`).
    static func value(_ title: String, _ pod: Pod, _ state: AppState, layout: ListLayout.Layout) -> String {
        switch title {
        case "STATUS": return state.fleet.pending[pod.id].map { "… \($0.rawValue.uppercased())" } ?? StatusLabel.of(pod.status)
        case "GPU": return pod.gpuName
        case "×": return pod.gpuCount.map(String.init) ?? "-"
        case "REGION": return pod.region ?? "-"
        case "AGE": return Format.age(of: pod, now: state.now)
        case "$/H": return Format.price(pod.pricePerHour)
        case "COST": return Cost.text(pod.id, in: state.spend.total, now: state.now)
        case "GPU%": return utilization(pod, state)
        case "VRAM": return vram(pod, state)
        case "CPU%": return apiFigure(pod, .cpu, state) { GPUText.percent(($0.mean ?? 0) * 100) }
        case "MEM": return apiFigure(pod, .memory, state) { bytes($0) }
        case "DISK": return apiFigure(pod, .storage, state) { $0.share.map { GPUText.percent(min($0, 9.99) * 100) } ?? bytes($0) }
        case "ID":
            let full = String(pod.id)
            return full.count <= layout.idWidth ? full : "…" + full.suffix(layout.idWidth - 1)
        default: return ""
        }
    }

    /// A pod GPU probes reach: RUNNING with an ssh command podtui accepts, probes on.
    static func isProbed(_ pod: Pod, _ state: AppState) -> Bool {
        guard state.settings.probe.enabled, case .success? = state.probe.targets[pod.id] else { return false }
        return true
    }

    /// A pod whose ssh command podtui refuses: a failure to see (`?`), where a pod with no
    /// ssh command is nothing to see (`-`).
    static func isRefused(_ pod: Pod, _ state: AppState) -> Bool {
        guard state.settings.probe.enabled, case .failure? = state.probe.targets[pod.id] else { return false }
        return pod.sshCmd?.isEmpty == false
    }

    /// The probe's report when it speaks for the pod: probes on, and a good latest answer.
    static func probeReport(_ pod: Pod, _ state: AppState) -> ProbeReport? {
        guard isProbed(pod, state), let probed = state.probe.pods[pod.id], probed.failure == nil else { return nil }
        return probed.report
    }

    /// A figure from the metrics API: `-` when the pod is not RUNNING, metrics are off or the
    /// server has none for it, `…` before the first answer.
    static func apiFigure(_ pod: Pod, _ kind: MetricKind, _ state: AppState, _ text: (MetricFigure) -> String) -> String {
        guard pod.status == .running, state.metricsOn else { return "-" }
        guard let seen = state.metrics.pods[pod.id] else { return "…" }
        if let figure = seen.figures[kind] { return text(figure) }
        return seen.unavailable[kind] != nil || seen.noData.contains(kind) ? "-" : "…"
    }

    /// Used of total as `12/80G`, or `1.0/1.5T` from a thousand GiB on (the column is 8
    /// wide: eight MI300X hold 1,536 GiB); the used figure alone without a total.
    static func bytes(_ figure: MetricFigure) -> String {
        let gib = 1_073_741_824.0
        let used = (figure.sum ?? 0) / gib
        guard let total = figure.total.map({ $0 / gib }) else { return GPUText.gib(used * 1024) + "G" }
        if total >= 1000 {
            return NumberText.fixed(used / 1024, 1) + "/" + NumberText.fixed(total / 1024, 1) + "T"
        }
        return GPUText.gib(used * 1024) + "/" + GPUText.gib(total * 1024) + "G"
    }

    /// Mean utilization as `97%`: the probe's when it has one (finer), else the API's; `?`
    /// after a failed or refused probe with nothing from the API, `…` before the first
    /// answer, `-` for a pod nothing reports on.
    static func utilization(_ pod: Pod, _ state: AppState) -> String {
        if let report = probeReport(pod, state) { return report.meanUtilization.map(GPUText.percent) ?? "n/a" }
        if state.metricsOn, pod.status == .running, let mean = state.metrics.pods[pod.id]?.gpuPercent {
            return GPUText.percent(min(max(mean, 0), 999))
        }
        if isRefused(pod, state) { return "?" }
        if isProbed(pod, state) {
            guard let probed = state.probe.pods[pod.id] else { return "…" }
            if probed.failure != nil { return "?" }
        }
        if pod.isCPU { return "-" }
        return apiFigure(pod, .gpu, state) { _ in "…" }
    }

    /// VRAM used of total: the probe's, else the API's.
    static func vram(_ pod: Pod, _ state: AppState) -> String {
        if let report = probeReport(pod, state) { return GPUText.vram(report) }
        if state.metricsOn, pod.status == .running, let figure = state.metrics.pods[pod.id]?.figures[.gpuMemory] {
            return bytes(figure)
        }
        if isProbed(pod, state), state.probe.pods[pod.id]?.failure != nil { return "?" }
        if pod.isCPU { return "-" }
        return apiFigure(pod, .gpuMemory, state) { _ in "…" }
    }

    /// The GPU% cell's colour: idle (flagged) bad, under the idle threshold muted, a failed
    /// probe with nothing else a warning, high load good.
    static func utilizationStyle(_ pod: Pod, _ state: AppState) -> Style? {
        let mean: Double?
        if let report = probeReport(pod, state) {
            mean = report.meanUtilization
        } else if state.metricsOn, pod.status == .running, let api = state.metrics.pods[pod.id]?.gpuPercent {
            mean = api
        } else if isRefused(pod, state) || (isProbed(pod, state) && state.probe.pods[pod.id]?.failure != nil) {
            return Style(color: .warn, bold: true)   // as a failed probe
        } else {
            mean = nil
        }
        guard let mean else { return nil }
        if state.isIdle(pod.id) { return Style(color: .bad, bold: true) }
        if mean < state.settings.probe.idlePercent { return Style(color: .muted) }
        return mean >= 70 ? Style(color: .good, bold: true) : Style(color: .busy)
    }

    /// The name (or `text`: the unnamed label), with `idle 32m` at its end while probes or the
    /// API see the pod idle, `disk 93%` while its disk is full, and `⏲ 1h59m` while a pause timer is set (the name gives way).
    static func nameCell(_ pod: Pod, _ state: AppState, width: Int, text: String? = nil) -> String {
        let name = text ?? TextSafety.clean(pod.nameOrEmpty)
        var badge = ""
        if let clock = state.idleClock(pod.id), clock.isIdle(after: state.settings.probe.idleSeconds) {
            badge += " idle " + Format.age(clock.idleFor)
        }
        if state.metrics.pods[pod.id]?.diskFull == true, state.metricsOn {
            badge += " disk " + (state.metrics.pods[pod.id]?.figures[.storage]?.share.map { GPUText.percent(min($0, 9.99) * 100) } ?? "full")
        }
        if let timer = state.timers.pending(for: pod.id) {
            switch timer.trigger {
            case .whenIdle: badge += " ⏲idle"
            case .at(let due): badge += " ⏲" + Format.age(max(0, due.timeIntervalSince(state.now)))
            }
        }
        guard !badge.isEmpty else { return name }
        let room = max(1, width - DisplayWidth.of(badge))
        return (DisplayWidth.of(name) > room ? DisplayWidth.truncate(name, to: room) : name) + badge
    }

    static func draw(_ state: AppState, into screen: inout Screen, top: Int, bottom: Int) {
        let w = screen.size.width
        let layout = ListLayout.layout(state, height: bottom - top, width: w)
        // Column header.
        let headStyle = Style(color: .muted, bold: true)
        let arrow = state.fleet.sort.ascending ? "▲" : "▼"
        func title(_ t: String) -> String { state.fleet.sort.column.title == t ? t + arrow : t }
        var x = screen.put(" " + DisplayWidth.pad(title("NAME"), to: layout.nameWidth), row: top, col: 0, style: headStyle)
        for column in layout.columns {
            x = screen.put(" " + DisplayWidth.pad(title(column.title), to: column.width, alignRight: column.alignRight), row: top, col: x, style: headStyle)
        }
        if state.fleet.pods.isEmpty {
            let text: String
            if state.connection.lastSuccess == nil {
                text = state.connection.lastError.map { "Cannot load pods: " + state.settings.redactor.redact($0.message) } ?? "Loading pods…"
            } else if !state.fleet.filter.isEmpty {
                text = "No pods match \"\(TextSafety.clean(state.fleet.filter.text))\" (\(state.fleet.allPods.count) in all) · \(KeyBindings.key(.clearFilter, in: .list, keymap: state.settings.keymap)) clears the filter"
            } else {
                text = "No pods yet. Press \(KeyBindings.key(.newPod, in: .list, keymap: state.settings.keymap)) to create one."
            }
            screen.put(" " + text, row: top + 2, col: 0, style: Style(color: .muted), maxWidth: w)
            return
        }
        let selected = state.selectedIndex
        let end = min(state.fleet.pods.count, state.nav.scrollTop + layout.rows)
        for (offset, index) in (state.nav.scrollTop..<max(state.nav.scrollTop, end)).enumerated() {
            let pod = state.fleet.pods[index]
            let row = top + 1 + offset
            let isSelected = index == selected
            let base = isSelected ? Style(color: .selection, reverse: true) : (state.isStale ? Style(color: .muted, dim: true) : .plain)
            screen.fill(row: row, col: 0, width: w, style: base)
            let marked = state.fleet.marks.contains(pod.id)
            var x = screen.put(marked ? "✓" : isSelected ? "▸" : " ", row: row, col: 0,
                               style: marked ? Style(color: .accent, bold: true, reverse: isSelected) : base)
            if pod.isUnnamed {
                // No name from the API: say so, dimmed, and give the id so the row is still
                // a pod a person can tell apart and act on.
                var dim = base
                if !isSelected { dim.color = .muted; dim.dim = true }
                let label = nameCell(pod, state, width: layout.nameWidth, text: TextSafety.clean(Self.unnamedLabel(pod)))
                x = screen.put(DisplayWidth.pad(label, to: layout.nameWidth), row: row, col: x, style: dim)
            } else {
                x = screen.put(DisplayWidth.pad(nameCell(pod, state, width: layout.nameWidth), to: layout.nameWidth), row: row, col: x, style: base)
            }
            for column in layout.columns {
                x = screen.put(" ", row: row, col: x, style: base)
                var style = base
                if column.title == "STATUS" && !isSelected && !state.isStale {
                    style = state.fleet.pending[pod.id] != nil ? Style(color: .busy, bold: true) : Style(color: StatusStyle.color(pod.status), bold: pod.status == .failed)
                    // Changed in the last refresh: stand out for a moment, as htop does.
                    if let at = state.fleet.changedAt[pod.id], state.now.timeIntervalSince(at) < AppState.highlightSeconds { style.reverse = true }
                }
                if column.title == "GPU%" && !isSelected && !state.isStale, let load = utilizationStyle(pod, state) { style = load }
                let text = TextSafety.clean(value(column.title, pod, state, layout: layout))
                let end = x + column.width
                if column.alignRight {
                    x = screen.put(DisplayWidth.pad(text, to: column.width, alignRight: true), row: row, col: x, style: style)
                } else {
                    // Padding in the row's own style: an underlined status is not underlined to the next column.
                    x = screen.put(DisplayWidth.truncate(text, to: column.width), row: row, col: x, style: style)
                    if x < end { x = screen.put(String(repeating: " ", count: end - x), row: row, col: x, style: base) }
                }
            }
        }
        // Filter, marks and position ("4/12") go after the column titles, only where they do
        // not cover one; the position first, as it matters most when scrolling.
        var parts: [String] = []
        if !state.fleet.filter.isEmpty { parts.append("/" + TextSafety.clean(state.fleet.filter.text) + " (\(state.fleet.pods.count) of \(state.fleet.allPods.count))") }
        if !state.fleet.marks.isEmpty { parts.append("\(state.fleet.marks.count) marked") }
        if state.fleet.pods.count > layout.rows { parts.append("\(min(state.fleet.pods.count, (selected ?? 0) + 1))/\(state.fleet.pods.count)") }
        while !parts.isEmpty {
            let info = " " + parts.joined(separator: " · ") + " "
            if x + DisplayWidth.of(info) <= w {
                screen.put(info, row: top, col: w - DisplayWidth.of(info), style: headStyle)
                break
            }
            parts.removeFirst()
        }
        if layout.preview, let pod = state.selectedPod {
            drawPreview(pod, state: state, into: &screen, row: bottom - 4)
        }
    }

    /// The NAME cell of a pod without a name: `(unnamed) 3627…2272`.
    static func unnamedLabel(_ pod: Pod) -> String { "(unnamed) " + PodID.short(pod.id) }

    /// Two lines about the selected pod between rules.
    static func drawPreview(_ pod: Pod, state: AppState, into screen: inout Screen, row: Int) {
        let w = screen.size.width
        let rule = String(repeating: "─", count: w)
        screen.put(rule, row: row, col: 0, style: Style(color: .muted))
        let since = state.fleet.history[pod.id]?.last(where: { $0.status == pod.status })
        let statusFor = since.map {
            " " + StatusChange.duration(of: $0, until: state.now, updatedAt: pod.updatedAt, zone: state.settings.timeZone)
        } ?? ""
        var x = screen.put(" " + TextSafety.clean(pod.isUnnamed ? "(unnamed)" : pod.nameOrEmpty), row: row + 1, col: 0,
                           style: pod.isUnnamed ? Style(color: .muted, dim: true) : Style(bold: true), maxWidth: w)
        x = screen.put(" (\(pod.id))  ", row: row + 1, col: x, style: Style(color: .muted), maxWidth: w - x)
        x = screen.put(StatusLabel.of(pod.status) + statusFor, row: row + 1, col: x, style: Style(color: StatusStyle.color(pod.status)), maxWidth: w - x)
        if let ssh = pod.sshCmd { screen.put("  · " + ssh, row: row + 1, col: x, maxWidth: w - x) }
        let ports = (pod.expose ?? []).map { p in
            "\(p.port)/\(p.protocol.uppercased())" + (p.proxyPort.map { "→\($0)" } ?? "") + (p.healthy == true ? " ✓" : p.healthy == false ? " ✗" : "")
        }
        let head = " image \(pod.image ?? "-")   ports "
        let second = head + (ports.isEmpty ? "-" : ports.joined(separator: "  ")) + "   env \((pod.envVars ?? []).count) vars"
        screen.put(second, row: row + 2, col: 0, style: .plain, maxWidth: w)
        // Each HTTP port with an ingress URL is a hyperlink to it.
        if state.settings.hyperlinks {
            var col = DisplayWidth.of(TextSafety.clean(head))
            for (port, text) in zip(pod.expose ?? [], ports) {
                if let url = port.ingressUrl, !url.isEmpty, ["HTTP", "HTTPS"].contains(port.protocol.uppercased()) {
                    screen.addLink(url, row: row + 2, col: col, width: DisplayWidth.of(TextSafety.clean(text)))
                }
                col += DisplayWidth.of(TextSafety.clean(text)) + 2
            }
        }
        screen.put(rule, row: row + 3, col: 0, style: Style(color: .muted))
    }
}
