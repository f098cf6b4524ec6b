import ArgumentParser
import Dispatch
import FoundationEssentials
import PodAPI
import PodFiles
import PodLocal
import PodLocalFiles
import PodProbe
import PodProbeRunner
import PodTUICore

/// `podtui pods top [ID...]`: one GPU probe of each running pod (or of the pods named),
/// through the user's own ssh, as a table or JSON; then it exits.
struct TopCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "top",
        abstract: "Probe the GPUs of running pods once through your ssh (nvidia-smi or rocm-smi) and print GPU%, VRAM and idle time.",
        discussion: "ssh runs with BatchMode=yes (never a password prompt), ConnectTimeout=5 and "
            + "StrictHostKeyChecking=accept-new, at most 4 at once. How long a pod has been idle comes from a podtui "
            + "TUI probing it (gpu-idle.json in the state directory); without one, top can only say whether it is idle now. "
            + "Exits 1 when a pod could not be probed.")

    @OptionGroup var connection: ConnectionOptions
    @Argument(help: "Pod ids (default: every RUNNING pod).") var ids: [String] = []
    @Option(name: [.customShort("o"), .customLong("output")], help: "table or json.") var output: PodsCommand.OutputFormat = .table
    @Option(help: "A GPU under this utilization (percent) is idle (default: ui.gpu_idle_percent, else 5).") var idlePercent: Double?

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

    func validate() throws {
        if let p = idlePercent, !(p > 0 && p <= 100) { throw ValidationError("--idle-percent must be above 0 and at most 100") }
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
