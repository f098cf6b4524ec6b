import ArgumentParser
import Dispatch
import Synchronization
import FoundationEssentials
import Libc
import PodAPI
import PodClient
import PodLocal
import PodLocalFiles
import PodTUI
import PodTUICore

/// `podtui timers …`: pause timers, shared with the TUI. They act only while some podtui
/// process runs: the TUI, or `podtui timers run` (in a tmux pane or a systemd user service).
struct TimersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "timers", abstract: "Pause timers: pause a pod later (they act while some podtui runs).",
        subcommands: [List.self, Add.self, Cancel.self, Run.self], defaultSubcommand: List.self)

    static func file(demo: Bool) -> TimerFile {
        TimerFile(directory: StateDirectory.path(environment: ProcessInfo.processInfo.environment) + (demo ? "/demo" : ""))
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List pause timers (pending, and those finished in the last day).")
        @Option(name: [.customShort("o"), .customLong("output")], help: "table or json.") var output: PodsCommand.OutputFormat = .table
        @Flag(name: .customLong("demo-data"), help: "The demo's timers (podtui --demo keeps its own).") var demo = false

        struct Row: Encodable {
            var id: Int64; var name: String?; var due: String?; var idleMinutes: Double?; var state: String; var result: String?
            /// Whose it is (nil endpoint: set before timers had owners; the production API's).
            var endpoint: String?; var profile: String?
        }

        func run() throws {
            let timers = try TimersCommand.file(demo: demo).load().sorted(by: PauseTimer.listedBefore)
            if output == .json {
                CLIOutput.print(try CLIOutput.json(timers.map { Row(id: $0.podID, name: $0.name, due: $0.trigger.date.map(Timestamp.iso8601), idleMinutes: $0.trigger.idleMinutes, state: $0.state.rawValue, result: $0.result, endpoint: $0.endpoint, profile: $0.profile) }))
                return
            }
            guard !timers.isEmpty else { CLIOutput.print("No pause timers."); return }
            let zone = LocalZone.current(), now = Date()
            let rows = timers.map { t -> [String] in
                switch t.trigger {
                case .whenIdle(let minutes):
                    return [String(t.podID), t.name ?? "(unnamed)", "when idle \(Format.age(minutes * 60))", t.state == .pending ? "while GPU probes run" : t.state.rawValue, t.result ?? ""]
                case .at(let due):
                    return [String(t.podID), t.name ?? "(unnamed)", Format.dateTime(due, in: zone),
                            t.state == .pending ? "in " + Format.age(max(0, due.timeIntervalSince(now))) : t.state.rawValue, t.result ?? ""]
                }
            }
            CLIOutput.print(CLIOutput.table([.init(header: "ID"), .init(header: "NAME", flexible: true, minWidth: 8), .init(header: "DUE"),
                                             .init(header: "STATE"), .init(header: "RESULT", flexible: true, minWidth: 8)], rows, width: CLIOutput.width))
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Pause pods later: podtui timers add ID... (DURATION|HH:MM|idle [DURATION]), e.g. 90s, 45m, 2h, 18:30, idle 30m.")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "Pod ids, then when: 90s, 45m, 2h, 1h30m, 18:30, or idle [30m] (when its GPUs have been idle that long).") var arguments: [String]
        @Flag(name: .customLong("demo-data"), help: "The demo's timers (podtui --demo keeps its own).") var demo = false

        func run() async throws {
            guard arguments.count >= 2, let when = arguments.last else { throw ValidationError("Give pod ids, then when: podtui timers add ID... 45m") }
            // "when idle": `idle`, `idle30m`, or `idle 30m` as two words.
            var words = arguments
            var idle = TimerWhen.parseIdle(when)
            if idle == nil, words.count >= 3, words[words.count - 2].lowercased() == "idle" {
                idle = TimerWhen.parseIdle("idle " + when)
                words.removeLast()
            }
            // A timer belongs to the endpoint and profile it is set for (only a podtui talking
            // to that account fires it), so the connection is resolved even for an idle one.
            // (The demo's own directory has one owner: the demo.)
            var service: HTTPPodService?
            var owner = TimerOwner.legacy
            if !demo {
                let (made, resolved) = try connection.makeService()
                service = made
                owner = TimerOwner(baseURL: resolved.baseURL, profile: resolved.profileName)
            }
            if let idle {
                let minutes = idle ?? ProbeSettings().idleMinutes
                let ids = try words.dropLast().map(parseID)
                try TimersCommand.file(demo: demo).add(ids.map { ($0, nil) }, trigger: .whenIdle(minutes: minutes), owner: owner)
                for id in ids { CLIOutput.print("\(id): pause when its GPUs have been idle for \(Format.age(minutes * 60))") }
                CLIOutput.error("idle timers act only while a podtui probes GPUs (podtui --gpu-probe, or :probe on)")
                return
            }
            let ids = try arguments.dropLast().map(parseID)
            let zone = LocalZone.current()
            guard let due = TimerWhen.parse(when, now: Date(), zoneOffset: { zone.offset(at: $0) }) else {
                throw ValidationError("Not a time: \(when) (try 90s, 45m, 2h, 1h30m or 18:30)")
            }
            // The names, when the API can say them (a timer is kept by id either way).
            var names: [Int64: String] = [:]
            if let list = try? await service?.listPods() {
                for pod in list.pods where ids.contains(pod.id) { names[pod.id] = pod.name }
            }
            try TimersCommand.file(demo: demo).add(ids.map { ($0, names[$0]) }, due: due, owner: owner)
            for id in ids {
                CLIOutput.print("\(id): pause at \(Format.dateTime(due, in: zone)) (in \(Format.age(due.timeIntervalSinceNow)))")
            }
            CLIOutput.error("timers act only while some podtui runs (the TUI, or podtui timers run)")
        }
    }

    struct Cancel: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Cancel the pending timers of these pods.")
        @Argument(help: "Pod ids.") var ids: [String]
        @Flag(name: .customLong("demo-data"), help: "The demo's timers (podtui --demo keeps its own).") var demo = false
        func run() throws {
            let parsed = Set(try ids.map(parseID))
            let count = try TimersCommand.file(demo: demo).cancel(parsed)
            CLIOutput.print("cancelled \(count) timer\(count == 1 ? "" : "s")")
            if count == 0 { throw ExitCode(1) }
        }
    }

    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Fire pause timers as they come due, until interrupted (for a tmux pane or a systemd user service).")
        @OptionGroup var connection: ConnectionOptions
        @Option(name: .customLong("every"), help: "Seconds between checks.") var every: Double = 5
        @Flag(name: .customLong("demo-data"), help: "The demo's timers (podtui --demo keeps its own).") var demo = false

        func run() async throws {
            let (service, resolved) = try connection.makeService()
            let owner = demo ? TimerOwner.legacy : TimerOwner(baseURL: resolved.baseURL, profile: resolved.profileName)
            let file = TimersCommand.file(demo: demo)
            let claimant = TimerFile.claimant
            let stop = StopSignal()
            // A NaN or huge --every must not trap (nor spin): 1 s to a day.
            let period = every.isFinite ? min(max(1, every), 86_400) : 5
            CLIOutput.error("watching pause timers of \(owner.endpoint)\(owner.profile.map { " (profile \($0))" } ?? "") in \(file.path) every \(Int(period))s; Ctrl-C stops")
            while !stop.requested {
                do {
                    for outcome in try await TimerRunner.fireDue(service: service, file: file, claimant: claimant, owner: owner) {
                        CLIOutput.print("\(Timestamp.iso8601(Date())) \(outcome.timer.podID): \(TextSafety.clean(outcome.text))")
                    }
                } catch {
                    CLIOutput.error("timers: \((error as? PodAPIError)?.message ?? String(describing: error))")
                }
                var waited = 0.0
                while waited < period && !stop.requested {
                    try await Task.sleep(for: .milliseconds(200))
                    waited += 0.2
                }
            }
            CLIOutput.error("stopped")
        }
    }
}

/// SIGINT and SIGTERM end `timers run` between checks, never in the middle of one (a
/// claimed timer is always finished and recorded).
final class StopSignal {
    private let sources: [any DispatchSourceSignal]
    private let flag = Flag()

    init() {
        var made: [any DispatchSourceSignal] = []
        for sig in [SIGINT, SIGTERM, SIGHUP] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            let flag = self.flag
            source.setEventHandler { flag.set() }
            source.resume()
            made.append(source)
        }
        sources = made
    }

    var requested: Bool { flag.value }

    final class Flag: Sendable {
        private let state = Synchronization.Mutex(false)
        func set() { state.withLock { $0 = true } }
        var value: Bool { state.withLock { $0 } }
    }
}
