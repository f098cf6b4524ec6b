import ArgumentParser
import FoundationEssentials
import Libc
import PodAPI
import PodTUICore

/// `podtui pods …`: the scriptable twin of the TUI.
struct PodsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pods", abstract: "List, inspect, create, pause, resume and delete pods.",
        subcommands: [List.self, Get.self, Create.self, Pause.self, Resume.self, Delete.self, Wait.self, URLCommand.self, TopCommand.self, Metrics.self])

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable { case table, wide, json }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List pods (filters run on the server).")
        @OptionGroup var connection: ConnectionOptions
        @Option(name: .customLong("region"), help: "Only this region (repeatable).") var regions: [String] = []
        @Option(name: .customLong("status"), help: "Only this status: a name (RUNNING, PAUSED, …) or code 0-6 (repeatable).") var statuses: [String] = []
        @Option(name: [.customShort("o"), .customLong("output")], help: "table, wide or json.") var output: OutputFormat = .table

        func run() async throws {
            let statuses = try self.statuses.map { raw -> PodStatus in
                let status = PodStatus(parsing: raw)
                if case .unknown = status { throw ValidationError("Unknown status \(raw); use one of \(PodStatus.known.map(\.wireName).joined(separator: ", ")) or 0-6") }
                return status
            }
            let (service, _) = try connection.makeService()
            let list = try await service.listPods(regions: regions, statuses: statuses)
            for failure in list.skipped { CLIOutput.error("skipped an unreadable pod (item \(failure.index)): \(failure.reason)") }
            switch output {
            case .json: CLIOutput.print(try CLIOutput.json(list.pods))
            case .table, .wide: CLIOutput.print(PodTable.render(list.pods, wide: output == .wide, width: CLIOutput.width))
            }
        }
    }

    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one pod.")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "Pod id.") var id: String
        @Option(name: [.customShort("o"), .customLong("output")], help: "table, wide or json.") var output: OutputFormat = .wide

        func run() async throws {
            let id = try parseID(self.id)
            let (service, _) = try connection.makeService()
            let pod = try await service.getPod(id: id)
            switch output {
            case .json: CLIOutput.print(try CLIOutput.json(pod))
            case .table: CLIOutput.print(PodTable.render([pod], wide: false, width: CLIOutput.width))
            case .wide: CLIOutput.print(PodTable.describe(pod))
            }
        }
    }

    struct URLCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "url", abstract: "Print the web address of a pod's HTTP port (the first healthy one, or PORT).")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "Pod id.") var id: String
        @Argument(help: "Port (default: the first healthy HTTP port).") var port: Int?

        func run() async throws {
            let id = try parseID(self.id)
            let (service, _) = try connection.makeService()
            let pod = try await service.getPod(id: id)
            switch Endpoints.url(for: pod, port: port) {
            case .success(let url): CLIOutput.print(TextSafety.clean(url))
            case .failure(let refusal):
                CLIOutput.error(refusal.reason)
                throw ExitCode(1)
            }
        }
    }

    struct Pause: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Pause running pods.")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "Pod ids.") var ids: [String]
        func run() async throws { try await runAction(.pause, ids: ids, connection: connection) }
    }

    struct Resume: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Resume paused pods.")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "Pod ids.") var ids: [String]
        func run() async throws { try await runAction(.resume, ids: ids, connection: connection) }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete pods (asks first on a terminal; --yes otherwise).")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "Pod ids.") var ids: [String]
        @Flag(name: [.customShort("y"), .customLong("yes")], help: "Do not ask.") var yes = false

        func run() async throws {
            let parsed = try ids.map(parseID)
            if !yes {
                guard isatty(STDIN_FILENO) == 1 else {
                    throw ValidationError("Refusing to delete without a terminal to ask on; pass --yes to confirm")
                }
                CLIOutput.write(STDERR_FILENO, "Delete \(parsed.count) pod(s) \(parsed.map(String.init).joined(separator: ", "))? This cannot be undone. [y/N] ")
                let answer = readLine()?.trimmed.lowercased() ?? ""
                guard answer == "y" || answer == "yes" else {
                    CLIOutput.error("not deleted")
                    throw ExitCode(1)
                }
            }
            try await runAction(.delete, ids: ids, connection: connection)
        }
    }

    struct Wait: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Wait until a pod reaches a status.")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "Pod id.") var id: String
        @Option(name: .customLong("for"), help: "The status to wait for (RUNNING, PAUSED, TERMINATED, …).") var target: String
        @Option(name: .customLong("wait-timeout"), help: "Give up after this many seconds.") var waitTimeout: Double = 600
        @Option(name: .customLong("poll"), help: "Seconds between checks.") var poll: Double = 1

        func run() async throws {
            let id = try parseID(self.id)
            let target = PodStatus(parsing: self.target)
            if case .unknown = target { throw ValidationError("Unknown status \(self.target)") }
            let (service, _) = try connection.makeService()
            let deadline = Date().addingTimeInterval(waitTimeout)
            var last: PodStatus?
            while true {
                do {
                    let pod = try await service.getPod(id: id)
                    if pod.status != last { CLIOutput.error("\(id): \(pod.status.wireName)"); last = pod.status }
                    if pod.status == target { return }
                    if pod.status == .failed && target != .failed { throw PodAPIError.api(httpStatus: 200, code: 0, message: "Pod \(id) FAILED", podID: id) }
                } catch let error as PodAPIError where error.fieldErrors.isEmpty {
                    // Deleted pods end up gone rather than TERMINATED on some servers.
                    if case .notFound = error, target == .terminated {
                        CLIOutput.error("\(id): gone")
                        return
                    }
                    if !error.isTransient { throw error }
                }
                guard Date() < deadline else {
                    throw PodAPIError.timeout(seconds: waitTimeout)
                }
                try await Task.sleep(for: .milliseconds(Int(saturating: min(max(0.05, poll), 86_400) * 1000)))
            }
        }
    }
}

/// Parses a positive integer pod id or fails with a usage error.
func parseID(_ text: String) throws -> Int64 {
    guard let id = PodID.parse(text) else { throw ValidationError("Invalid pod id \(text): expected a positive integer") }
    return id
}

/// Runs one action on each id, reporting each; fails if any failed. Never retried.
func runAction(_ action: PodAction, ids: [String], connection: ConnectionOptions) async throws {
    let parsed = try ids.map(parseID)
    let (service, _) = try connection.makeService()
    var failures = 0
    for id in parsed {
        do {
            try await service.perform(action, id: id)
            CLIOutput.print("\(id): \(action.requested)")
        } catch let error as PodAPIError {
            failures += 1
            CLIOutput.error("\(id): \(error.message)")
        }
    }
    if failures > 0 { throw ExitCode(1) }
}
