import FoundationEssentials
import PodAPI
import PodLocal

/// Every field the API returned for the selected pod, scrollable, with env values masked
/// until `e` reveals them, and the status history seen this session.
enum DetailView {
    static func lines(_ pod: Pod, state: AppState, width: Int? = nil) -> [(String, String, Style)] {
        var out: [(String, String, Style)] = []
        func add(_ key: String, _ value: String?, _ style: Style = .plain) {
            if let value { out.append((key, value, style)) }
        }
        add("name", pod.isUnnamed ? "(unnamed)" : pod.nameOrEmpty, pod.isUnnamed ? Style(color: .muted, dim: true) : Style(bold: true))
        add("id", String(pod.id))
        add("status", StatusLabel.of(pod.status) + (state.fleet.pending[pod.id].map { "  (\($0.rawValue) in progress)" } ?? ""),
            Style(color: StatusStyle.color(pod.status), bold: true))
        if pod.isCPU {
            add("resources", "CPU only" + (pod.singleCardVcpu.map { " · \($0) vCPU" } ?? "") + (pod.singleCardRamInGb.map { " · \($0) GB RAM" } ?? ""))
        } else {
            // An unknown count (absent, or absurd from the API) says so rather than claim 1.
            add("gpu", "\(pod.gpuName) × \(pod.gpuCount.map(String.init) ?? "?")" + (pod.gpuType.map { "  (\($0))" } ?? ""))
        }
        add("price", pod.singleCardPrice.map { "$\(Format.price($0))/h per card · $\(Format.price(pod.pricePerHour))/h total" })
        if let seen = state.spend.total[pod.id] {
            let zone = state.settings.timeZone
            let running = Format.age(seen.runningSeconds(at: state.now))
            add("spent", (seen.complete ? "$" : "≥ $") + Format.price(seen.cost(at: state.now))
                + " over \(running) RUNNING, observed since \(Format.dateTime(seen.firstSeen, in: zone))"
                + (seen.complete ? "" : " (it ran before podtui saw it, or while no podtui watched)"))
            if let today = state.spend.today[pod.id], today.cost(at: state.now) > 0 {
                add("spent today", "$" + Format.price(today.cost(at: state.now)))
            }
        } else if pod.status == .running {
            add("spent", "not observed yet (podtui counts RUNNING time it sees)")
        }
        if let timer = state.timers.pending(for: pod.id) {
            switch timer.trigger {
            case .whenIdle(let minutes):
                add("pause timer", "when its GPUs have been idle for \(Format.age(minutes * 60))" + (state.settings.probe.enabled || state.metricsOn ? "" : " (metrics and GPU probes are off: :metrics on)") + " · T lists, x cancels")
            case .at(let due):
                add("pause timer", "at \(Format.dateTime(due, in: state.settings.timeZone)) (in \(Format.age(due.timeIntervalSince(state.now)))) · T lists, x cancels")
            }
        }
        out += ProbeDetail.lines(pod, state: state)
        out += MetricsDetail.lines(pod, state: state, chartHeight: 2, width: width)
        add("region", pod.region)
        add("resource", pod.resourceType)
        add("cloud", pod.cloudType)
        add("image", pod.image)
        add("registry", pod.imageRegistry)
        add("visibility", pod.imagePublicType)
        add("credential", pod.containerRegistryAuthId.map(String.init))
        add("ssh", pod.sshCmd ?? "— (available while RUNNING)")
        add("internal ip", pod.internalIp)
        add("created", pod.createdAt.map { Format.dateTime($0, in: state.settings.timeZone) + "  (" + Format.age(state.now.timeIntervalSince($0)) + " ago)" })
        add("updated", pod.updatedAt.map { Format.dateTime($0, in: state.settings.timeZone) + "  (" + Format.age(state.now.timeIntervalSince($0)) + " ago)" })
        add("per card", [pod.singleCardVramInGb.map { "\($0) GB VRAM" }, pod.singleCardRamInGb.map { "\($0) GB RAM" },
                         pod.singleCardVcpu.map { "\($0) vCPU" }].compactMap { $0 }.joined(separator: " · ").nilIfEmpty)
        add("shm", pod.shmInGb.map { "\($0) GB" })
        add("disk", pod.containerVolumeInGb.map { "\($0) GB container volume" })
        add("volume", pod.persistentVolumeInGb.map { "\($0) GB persistent at \(pod.persistentMountPath ?? "?")" })
        for attached in pod.persistentVolumes ?? [] {
            // Named from the volume list when it is loaded (:volumes, the form); else by id.
            let path = attached.mountPath.isEmpty ? "?" : attached.mountPath
            if let volume = state.catalog.volume(attached.volumeId) {
                add("volume", "\(volume.label) at \(path)  (\(VolumeText.summary(volume)) · id \(attached.volumeId))")
            } else {
                add("volume", "id \(attached.volumeId) at \(path)")
            }
        }
        add("init", pod.initializationCommand)
        let ports = pod.expose ?? []
        out.append(("ports", ports.isEmpty ? "none" : "", Style(color: .muted)))
        for p in ports {
            let health = p.healthy == true ? "✓ healthy" : p.healthy == false ? "✗ not ready" : "? unknown"
            var text = "\(p.port)/\(p.protocol.uppercased())" + (p.proxyPort.map { " → proxy \($0)" } ?? "") + "  \(health)"
            if let host = p.host { text += "  host \(host)" }
            if let url = p.ingressUrl, !url.isEmpty { text += "  \(url)" }
            out.append(("", text, p.healthy == true ? Style(color: .good) : Style(color: .busy)))
        }
        let env = pod.envVars ?? []
        out.append(("env", env.isEmpty ? "none" : (state.nav.revealEnv ? "(e hides values)" : "(values hidden; e shows)"), Style(color: .muted)))
        for item in env {
            out.append(("", "\(item.key)=\(state.nav.revealEnv ? item.value : "••••••")", .plain))
        }
        let history = state.fleet.history[pod.id] ?? []
        out.append(("history", history.isEmpty ? "none yet" : "(seen this session)", Style(color: .muted)))
        for (i, change) in history.enumerated() {
            let end = i + 1 < history.count ? history[i + 1].at : state.now
            let zone = state.settings.timeZone
            guard let status = change.status else {
                out.append(("", "\(Format.dateTime(change.at, in: zone))  gone", Style(color: .muted)))
                continue
            }
            // Only the current status may take its start from the API's updatedAt.
            let updated = i == history.count - 1 ? pod.updatedAt : nil
            out.append(("", "\(Format.dateTime(change.at, in: zone))  \(StatusLabel.of(status))  "
                        + StatusChange.duration(of: change, until: end, updatedAt: updated, zone: zone),
                        Style(color: StatusStyle.color(status))))
        }
        return out
    }

    static func draw(_ state: AppState, into screen: inout Screen, top: Int, bottom: Int) {
        let w = screen.size.width
        guard let pod = state.selectedPod else {
            screen.put(" The pod is gone. Esc goes back.", row: top + 1, col: 0, style: Style(color: .muted), maxWidth: w)
            return
        }
        let rows = bottom - top - 1
        let all: [(String, String, Style)]
        if state.nav.metricsOnly {
            screen.put(" Metrics of " + TextSafety.clean(pod.label), row: top, col: 0, style: Style(color: .muted, bold: true), maxWidth: w)
            let metrics = MetricsDetail.lines(pod, state: state, chartHeight: rows >= 40 ? 5 : rows >= 28 ? 4 : 3, width: w)
            all = metrics.isEmpty ? [("metrics", "API metrics are not available here", Style(color: .muted))] : metrics
        } else {
            screen.put(" Pod detail", row: top, col: 0, style: Style(color: .muted, bold: true), maxWidth: w)
            all = lines(pod, state: state, width: w)
        }
        let maxScroll = max(0, all.count - rows)
        let scroll = state.nav.detailScroll.first(maxScroll: maxScroll)
        let keyWidth = w >= 60 ? 12 : 9
        // Only a port's ingress URL becomes a link: an https:// inside a name or an image is
        // text (a hostile name must not make a link).
        let ingress = Set((pod.expose ?? []).compactMap(\.ingressUrl).filter { !$0.isEmpty }.map(TextSafety.clean))
        for (offset, line) in all.dropFirst(scroll).prefix(rows).enumerated() {
            let row = top + 1 + offset
            let x = screen.put(" " + DisplayWidth.pad(line.0, to: keyWidth), row: row, col: 0, style: Style(color: .muted))
            screen.put(" " + line.1, row: row, col: x, style: line.2, maxWidth: w - x)
            // A web address on the line (a port's ingress URL) is a hyperlink.
            if state.settings.hyperlinks, let start = line.1.firstRange(of: "https://") ?? line.1.firstRange(of: "http://") {
                let url = String(line.1[start.lowerBound...].prefix { $0 != " " })
                guard ingress.contains(url) else { continue }
                screen.addLink(url, row: row, col: x + 1 + DisplayWidth.of(String(line.1[..<start.lowerBound])), width: DisplayWidth.of(url))
            }
        }
        if maxScroll > 0 {
            let info = " \(scroll + 1)-\(min(all.count, scroll + rows))/\(all.count) "
            screen.put(info, row: top, col: max(0, w - DisplayWidth.of(info)), style: Style(color: .muted))
        }
    }
}
