import ArgumentParser
import Dispatch
import FoundationEssentials
import PodAPI
import PodClient
import PodFiles
import PodLocal
import PodLocalFiles
import PodProbe
import PodProbeRunner
import PodTUICore

/// `podtui pods top [ID...]`: the running pods' GPU%, VRAM, CPU%, memory and disk from
/// Yotta's metrics API (the default), or with `--ssh` one GPU probe of each through the user's
/// own ssh; a table or JSON, then it exits.
struct TopCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "top",
        abstract: "Show running pods' GPU%, VRAM, CPU%, memory and disk from Yotta's metrics API (--ssh: probe the GPUs through your ssh).",
        discussion: "From the API (the default): GPU% (the mean of the GPUs' newest samples) and VRAM are asked for every "
            + "RUNNING pod, CPU%, MEM and DISK only for the first \(TopMetrics.defaultDetails) in the table (--details N), so "
            + "1,000 pods cost 2,060 requests, not 5,000; at most \(TopMetrics.concurrency) requests at once, and none for "
            + "pods that are not RUNNING. IDLE is how long every GPU has been under --idle-percent in the last hour. "
            + "A figure the server has no metrics for is '-'; one that could not be fetched (429, 5xx, timeout) is '?', "
            + "with one line on stderr, and after a 429 (or \(TopMetrics.failuresBeforeStopping) other failures) nothing more "
            + "is asked. Exits 1 when a figure is '?' or a pod named is not found.\n"
            + "With --ssh: ssh runs with BatchMode=yes (never a password prompt), ConnectTimeout=5 and "
            + "StrictHostKeyChecking=accept-new, at most 4 at once. How long a pod has been idle comes from a podtui "
            + "TUI probing it (gpu-idle.json in the state directory); without one, top can only say whether it is idle now. "
            + "Exits 1 when a pod could not be probed.")

    @OptionGroup var connection: ConnectionOptions
    @Argument(help: "Pod ids (default: every RUNNING pod).") var ids: [String] = []
    @Option(name: [.customShort("o"), .customLong("output")], help: "table or json.") var output: PodsCommand.OutputFormat = .table
    @Option(help: "A GPU under this utilization (percent) is idle (default: ui.gpu_idle_percent, else 5).") var idlePercent: Double?
    @Flag(help: "Probe the GPUs through your own ssh (nvidia-smi or rocm-smi) instead of asking the metrics API.") var ssh = false
    @Option(help: "Ask CPU%, MEM and DISK for this many pods, the first in the table (GPU% and VRAM are asked for all).")
    var details: Int = TopMetrics.defaultDetails

    struct GPURow: Encodable {
        var index: Int
        var utilization: Double?
        var memoryUsedMiB: Double?
        var memoryTotalMiB: Double?
    }

    struct Row: Encodable {
        var id: Int64
        var name: String?
        var status: String
        var source = "ssh"
        var probed: Bool
        var tool: String?
        var utilization: Double?
        var memoryUsedMiB: Double?
        var memoryTotalMiB: Double?
        var gpus: [GPURow]
        var idleNow: Bool?
        var idleSeconds: Double?
        var error: String?
    }

    /// A row of the API's figures (`-o json`). The VRAM fields have `--ssh`'s names and units
    /// (MiB), so a script reads either; memory and disk are bytes as the API sends them.
    struct APIRow: Encodable {
        var id: Int64
        var name: String?
        var status: String
        var source = "api"
        var utilization: Double?
        var memoryUsedMiB: Double?
        var memoryTotalMiB: Double?
        var gpus: [GPURow] = []
        var cpuPercent: Double?
        var ramUsedBytes: Double?
        var ramTotalBytes: Double?
        var diskUsedBytes: Double?
        var diskTotalBytes: Double?
        var idleNow: Bool?
        var idleSeconds: Double?
        /// Kinds the server has no metrics for, with its words (shown as `-`).
        var unavailable: [String: String]?
        /// Kinds that could not be fetched, with why (shown as `?`).
        var failed: [String: String]?
        var note: String?
    }

    func validate() throws {
        if let p = idlePercent, !(p > 0 && p <= 100) { throw ValidationError("--idle-percent must be above 0 and at most 100") }
        if details < 0 { throw ValidationError("--details must be 0 or more") }
    }

    func run() async throws {
        let env = ProcessInfo.processInfo.environment
        let wanted = try ids.map(parseID)
        let (service, _) = try connection.makeService()
        let list = try await service.listPods()
        for failure in list.skipped { CLIOutput.error("skipped an unreadable pod (item \(failure.index)): \(failure.reason)") }
        var pods = wanted.isEmpty ? list.pods.filter { $0.status == .running } : list.pods.filter { wanted.contains($0.id) }
        let missing = wanted.filter { id in !pods.contains { $0.id == id } }
        for id in missing { CLIOutput.error("Pod ID not found: \(id)") }
        pods.sort { ($0.nameOrEmpty, $0.id) < ($1.nameOrEmpty, $1.id) }
        let settings = Settings.from((try? ConfigFile.load(path: ConfigFile.path(environment: env))) ?? ConfigFile())
        let threshold = idlePercent ?? settings.probe.idlePercent
        guard ssh else {
            let failed = try await runAPI(pods, service: service, threshold: threshold, named: !wanted.isEmpty)
            if !missing.isEmpty || failed { throw ExitCode(1) }
            return
        }
        let stateDirectory = StateDirectory.path(environment: env)
        let clocks = (try? IdleFile(directory: stateDirectory).load()) ?? [:]
        // One connection per pod and none kept: a one-shot run has nothing to share it with.
        let runner = ProbeRunner(stateDirectory: nil, multiplex: false)
        let results = await Self.probeAll(pods, runner: runner)
        let now = Date()
        let maxGap = max(120, 3 * settings.probe.interval)
        var rows: [Row] = []
        for pod in pods {
            var row = Row(id: pod.id, name: pod.name, status: pod.status.wireName, probed: false, gpus: [])
            switch results[pod.id] {
            case nil:
                row.error = pod.status == .running ? "not probed" : "not probed: it is \(pod.status.wireName)"
            case .failure(let failure)?:
                row.error = failure.reason
            case .success(let report)?:
                row.probed = true
                row.tool = report.tool.rawValue
                row.utilization = report.meanUtilization
                row.memoryUsedMiB = report.memory?.usedMiB
                row.memoryTotalMiB = report.memory?.totalMiB
                row.gpus = report.gpus.map { GPURow(index: $0.index, utilization: $0.utilization, memoryUsedMiB: $0.memoryUsedMiB, memoryTotalMiB: $0.memoryTotalMiB) }
                switch report.load(under: threshold) {
                case .idle:
                    row.idleNow = true
                    // A TUI's clock that is still running (its last idle sample is recent) says since when.
                    if let clock = clocks[pod.id], now.timeIntervalSince(clock.lastIdleSample) <= maxGap {
                        row.idleSeconds = now.timeIntervalSince(clock.idleSince)
                    } else {
                        row.idleSeconds = 0
                    }
                case .busy: row.idleNow = false; row.idleSeconds = 0
                case .unknown: break
                }
            }
            rows.append(row)
        }
        if output == .json {
            CLIOutput.print(try CLIOutput.json(rows))
        } else if rows.isEmpty {
            CLIOutput.print(wanted.isEmpty ? "No running pods." : "No such pods.")
        } else {
            let table = rows.map { r -> [String] in
                let util = r.utilization.map(GPUText.percent) ?? (r.probed ? "n/a" : "?")
                let vram = r.memoryUsedMiB.flatMap { u in r.memoryTotalMiB.map { GPUText.memory(usedMiB: u, totalMiB: $0) } } ?? (r.probed ? "n/a" : "?")
                let idle: String
                switch (r.idleNow, r.idleSeconds) {
                case (true?, let s?) where s > 0: idle = "idle \(Format.age(s))"
                case (true?, _): idle = "idle now"
                case (false?, _): idle = "busy"
                default: idle = "-"
                }
                let per = r.gpus.map { g in g.utilization.map { String(GPUText.percent($0).dropLast()) } ?? "?" }.joined(separator: " ")
                return [String(r.id), r.name ?? "(unnamed)", String(r.gpus.count), util, vram, idle, r.error ?? (per.isEmpty ? "" : "per GPU: " + per)]
            }
            CLIOutput.print(CLIOutput.table([.init(header: "ID"), .init(header: "NAME", flexible: true, minWidth: 8), .init(header: "GPUS", alignRight: true),
                                             .init(header: "GPU%", alignRight: true), .init(header: "VRAM", alignRight: true), .init(header: "IDLE"),
                                             .init(header: "NOTE", flexible: true, minWidth: 8)], table, width: CLIOutput.width))
        }
        if !missing.isEmpty || rows.contains(where: { $0.error != nil }) { throw ExitCode(1) }
    }

    /// The API's figures for `pods` (the RUNNING ones are asked): prints them and returns
    /// whether a figure could not be fetched.
    func runAPI(_ pods: [Pod], service: HTTPPodService, threshold: Double, named: Bool) async throws -> Bool {
        let jobs = TopMetrics.plan(pods, details: details)
        let end = Date()
        let (outcomes, stopped) = await TopMetrics.fetch(jobs) { job in
            let window = job.kind == .gpu ? TopMetrics.gpuWindow : TopMetrics.latestWindow
            return try await service.podMetrics(id: job.pod, kind: job.kind, start: end.addingTimeInterval(-window), end: end, step: .s30)
        }
        if let line = TopMetrics.failureLine(outcomes, stoppedBecause: stopped) { CLIOutput.error(line) }
        let running = pods.filter { $0.status == .running }.count
        let detailed = min(details, running)
        if output == .table, detailed < running {
            CLIOutput.error("CPU%, MEM and DISK asked for the first \(detailed) of \(running) running pods (--details N for more)")
        }
        var rows: [APIRow] = []
        var cells: [[String]] = []
        for pod in pods {
            var row = APIRow(id: pod.id, name: pod.name, status: pod.status.wireName)
            var unavailable: [String: String] = [:], failed: [String: String] = [:]
            /// The answer for a kind, noting what was not there; nil when there is no data.
            func metrics(_ kind: MetricKind) -> PodMetrics? {
                switch outcomes[TopMetrics.Job(pod: pod.id, kind: kind)] {
                case .answer(.data(let m))?: return m
                case .answer(.notAvailable(let reason))?: unavailable[kind.rawValue] = reason
                case .failed(let reason)?: failed[kind.rawValue] = reason
                case .skipped?: failed[kind.rawValue] = "not asked: " + (stopped ?? "the run stopped")
                case .answer(.noData)?, nil: break
                }
                return nil
            }
            /// The cell of a kind: its text, `?` when it could not be fetched, `-` when the
            /// server has none, blank when it was not asked.
            func cell(_ kind: MetricKind, _ text: String?) -> String {
                if let text { return text }
                if failed[kind.rawValue] != nil { return "?" }
                return outcomes[TopMetrics.Job(pod: pod.id, kind: kind)] == nil && pod.status == .running && !(pod.isCPU && (kind == .gpu || kind == .gpuMemory)) ? "" : "-"
            }
            let gpu = metrics(.gpu).map(TopMetrics.newest) ?? []
            let vram = metrics(.gpuMemory)
            let vramPerGPU = vram.map(TopMetrics.newest) ?? []
            if !gpu.isEmpty {
                let clamped = gpu.map { min(100, max(0, $0.value)) }
                row.utilization = clamped.reduce(0, +) / Double(clamped.count)
            }
            if let gpuMetrics = metrics(.gpu), let idle = TopMetrics.idleSeconds(gpuMetrics, under: threshold) {
                row.idleNow = idle > 0
                row.idleSeconds = idle
            }
            let vramFigures = vram.flatMap(TopMetrics.usedAndTotal)
            row.memoryUsedMiB = vramFigures.map { TopMetrics.mib($0.used) }
            row.memoryTotalMiB = vramFigures?.total.map(TopMetrics.mib)
            let indexes = Array(Set(gpu.enumerated().map { $0.element.gpu ?? $0.offset } + vramPerGPU.enumerated().map { $0.element.gpu ?? $0.offset })).sorted()
            row.gpus = indexes.map { index in
                let u = gpu.enumerated().first { ($0.element.gpu ?? $0.offset) == index }?.element.value
                let m = vramPerGPU.enumerated().first { ($0.element.gpu ?? $0.offset) == index }?.element
                return GPURow(index: index, utilization: u, memoryUsedMiB: m.map { TopMetrics.mib($0.value) }, memoryTotalMiB: m?.total.map(TopMetrics.mib))
            }
            if let cpu = metrics(.cpu).map(TopMetrics.newest), !cpu.isEmpty {
                row.cpuPercent = max(0, cpu.map(\.value).reduce(0, +) / Double(cpu.count) * 100)
            }
            let ram = metrics(.memory).flatMap(TopMetrics.usedAndTotal)
            row.ramUsedBytes = ram?.used; row.ramTotalBytes = ram?.total
            let disk = metrics(.storage).flatMap(TopMetrics.usedAndTotal)
            row.diskUsedBytes = disk?.used; row.diskTotalBytes = disk?.total
            row.unavailable = unavailable.isEmpty ? nil : unavailable
            row.failed = failed.isEmpty ? nil : failed
            if pod.status != .running { row.note = "not asked: it is \(pod.status.wireName)" } else if pod.isCPU { row.note = "CPU pod" }
            rows.append(row)

            let idle: String
            switch (row.idleNow, row.idleSeconds) {
            case (true?, let s?): idle = s >= TopMetrics.gpuWindow - 120 ? "idle ≥1h" : "idle \(Format.age(s))"
            case (false?, _): idle = "busy"
            default: idle = pod.status == .running && failed[MetricKind.gpu.rawValue] != nil ? "?" : "-"
            }
            let per = row.gpus.count > 1 ? "per GPU: " + row.gpus.map { g in g.utilization.map { String(GPUText.percent(min(100, max(0, $0))).dropLast()) } ?? "-" }.joined(separator: " ") : ""
            cells.append([
                String(pod.id), pod.name ?? "(unnamed)", pod.gpuCount.map(String.init) ?? "-",
                cell(.gpu, row.utilization.map(GPUText.percent)),
                cell(.gpuMemory, vramFigures.map { TopMetrics.bytes(used: $0.used, total: $0.total) }),
                cell(.cpu, row.cpuPercent.map(GPUText.percent)),
                cell(.memory, ram.map { TopMetrics.bytes(used: $0.used, total: $0.total) }),
                cell(.storage, disk.map { TopMetrics.bytes(used: $0.used, total: $0.total) }),
                idle, row.note ?? per,
            ])
        }
        if output == .json {
            CLIOutput.print(try CLIOutput.json(rows))
        } else if rows.isEmpty {
            CLIOutput.print(named ? "No such pods." : "No running pods.")
        } else {
            CLIOutput.print(CLIOutput.table([
                .init(header: "ID"), .init(header: "NAME", flexible: true, minWidth: 8), .init(header: "GPUS", alignRight: true),
                .init(header: "GPU%", alignRight: true), .init(header: "VRAM", alignRight: true), .init(header: "CPU%", alignRight: true),
                .init(header: "MEM", alignRight: true), .init(header: "DISK", alignRight: true), .init(header: "IDLE"),
                .init(header: "NOTE", flexible: true, minWidth: 8),
            ], cells, width: CLIOutput.width))
        }
        return outcomes.values.contains { if case .answer = $0 { false } else { true } }
    }

    /// Probes every RUNNING pod among `pods` whose ssh command podtui accepts, at most 4 at
    /// once, each on a Dispatch thread (a probe blocks for up to its deadline).
    static func probeAll(_ pods: [Pod], runner: ProbeRunner) async -> [Int64: Result<ProbeReport, ProbeFailure>] {
        var results: [Int64: Result<ProbeReport, ProbeFailure>] = [:]
        var jobs: [(Int64, ProbeTarget)] = []
        for pod in pods where pod.status == .running {
            switch ProbeTarget.parse(pod.sshCmd) {
            case .success(let target): jobs.append((pod.id, target))
            case .failure(let failure): results[pod.id] = .failure(failure)
            }
        }
        await withTaskGroup(of: (Int64, Result<ProbeReport, ProbeFailure>).self) { group in
            var next = 0
            func add() {
                guard next < jobs.count else { return }
                let (id, target) = jobs[next]
                next += 1
                group.addTask {
                    await withCheckedContinuation { continuation in
                        DispatchQueue.global(qos: .userInitiated).async { continuation.resume(returning: (id, runner.probe(target))) }
                    }
                }
            }
            for _ in 0..<4 { add() }
            for await (id, result) in group {
                results[id] = result
                add()
            }
        }
        return results
    }
}
