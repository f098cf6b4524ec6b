import ArgumentParser
import FoundationEssentials
import Libc
import Logging
import PodAPI
import PodClient
import PodFiles
import PodLocal
import PodLocalFiles
import PodTUICore
import PodWatch
import PodWatchRunner

/// `podtui watch`: the headless watcher (see `Watcher`).
struct WatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Watch the fleet without a screen: fire pause timers, keep the spend ledger, send events, serve /metrics.",
        discussion: """
            One watcher per profile runs at a time (a lock in the state directory). Events: \
            \(WatchEventKind.allCases.map(\.rawValue).joined(separator: ", ")). Webhooks and exec hooks are also set \
            in config.yaml's watch: section (keep webhook URLs there: flags show in the process list). \
            SIGTERM or SIGINT stops it; SIGHUP rereads config.yaml. Logs go to stderr (journald-friendly).
            """)

    @OptionGroup var connection: ConnectionOptions
    @Option(name: .customLong("interval"), help: "Seconds between polls (minimum 1; default: watch.interval in config.yaml, else 10).")
    var intervalFlag: Double?
    @Flag(name: .customLong("read-only"), help: "Report, never pause: timers are not fired.") var readOnlyFlag = false
    @Option(name: .customLong("webhook"), help: "POST each event as JSON to this URL (repeatable; a Slack or Mattermost incoming webhook works).")
    var webhooks: [String] = []
    @Option(name: .customLong("webhook-events"), help: "The events --webhook targets get, comma-separated (default: all).")
    var webhookEvents: String?
    @Option(name: .customLong("exec"), parsing: .upToNextOption, help: "Run this program for each event (argv as given, no shell; the event in PODTUI_EVENT, POD_ID, POD_NAME, POD_STATUS, PODTUI_TEXT).")
    var exec: [String] = []
    @Option(name: .customLong("exec-events"), help: "The events --exec gets, comma-separated (default: all).")
    var execEvents: String?
    @Option(name: .customLong("exec-timeout"), help: "Seconds an --exec program may run before it is killed.")
    var execTimeout: Double = WatchSettings.defaultTimeout
    @Option(help: "Serve Prometheus /metrics at this address (e.g. 127.0.0.1:9465; loopback unless --listen-public).")
    var listen: String?
    @Flag(help: "Allow --listen on an address other than loopback (the page shows pod names, statuses and spend).")
    var listenPublic = false
    @Option(help: "Budget in dollars per hour: over_budget and under_budget events (default: ui.budget_per_hour).")
    var budget: Double?
    @Flag(name: .customLong("gpu-probe"), help: "Also probe running pods' GPUs over ssh (as the TUI's --gpu-probe).") var gpuProbeFlag = false
    @Flag(name: .customLong("no-metrics"), help: "Do not ask the metrics API (no idle from API metrics, no GPU% on /metrics).") var noMetricsFlag = false
    @Flag(help: "Print a systemd user unit for this watcher and exit.") var systemdUnit = false

    // The root command declares these too, so the parser hands them to it: read them here.
    private var interval: Double? { intervalFlag ?? RootFlags.value("--interval").flatMap(Double.init) }
    private var readOnly: Bool { readOnlyFlag || RootFlags.flag("--read-only") }
    private var gpuProbe: Bool { gpuProbeFlag || RootFlags.flag("--gpu-probe") }
    private var noMetrics: Bool { noMetricsFlag || RootFlags.flag("--no-metrics") }

    func validate() throws {
        if RootFlags.value("--interval") != nil, interval == nil { throw ValidationError("--interval must be a number of seconds") }
        if let interval, !(interval.isFinite && interval >= 1 && interval <= 3600) { throw ValidationError("--interval must be between 1 and 3600 seconds") }
        if let budget, !(budget.isFinite && budget > 0) { throw ValidationError("--budget must be a positive number of dollars per hour") }
        guard execTimeout.isFinite, execTimeout > 0, execTimeout <= WatchSettings.maxTimeout else {
            throw ValidationError("--exec-timeout must be between 1 and \(Int(WatchSettings.maxTimeout)) seconds")
        }
        for url in webhooks {
            if let why = WatchSettings.checkURL(url) { throw ValidationError("--webhook: the URL \(why)") }
        }
        if let why = WatchSettings.checkArguments(exec) { throw ValidationError("--exec: \(why)") }
        // Each --exec's words would all land in one argv: a second program goes in config.yaml.
        if CommandLine.arguments.prefix(while: { $0 != "--" }).filter({ $0 == "--exec" }).count > 1 {
            throw ValidationError("--exec takes one program and its arguments; put more hooks in config.yaml's watch.exec")
        }
        for (flag, list) in [("--webhook-events", webhookEvents), ("--exec-events", execEvents)] {
            if let list, let problem = WatchSettings.events([list]).problem { throw ValidationError("\(flag): \(problem)") }
        }
    }

    func run() async throws {
        let env = ProcessInfo.processInfo.environment
        // Registered before anything can log: a URL in a later error is masked.
        for url in webhooks { Secrets.register(url) }
        if systemdUnit {
            CLIOutput.print(SystemdUnit.text(executable: Self.executablePath(), arguments: unitArguments()))
            return
        }
        let logger = Logger(label: "podtui.watch")
        let (config, settings, watch) = try load(env)
        for problem in settings.problems + watch.problems { logger.warning("config: \(problem)") }
        var listenAddress: ListenAddress?
        if let text = listen ?? watch.listen {
            let address = try ListenAddress.parse(text)
            try address.check(allowPublic: listenPublic || watch.listenPublic)
            listenAddress = address
        }
        let (service, resolved) = try connection.makeService(config: config, profile: connection.profile)
        let endpoint = service.configuration.baseURL.host ?? service.configuration.baseURL.absoluteString
        let reload: @Sendable () throws -> (Settings, WatchSettings) = { [self] in
            let (_, settings, watch) = try self.load(env)
            return (settings, watch)
        }
        let owner = TimerOwner(baseURL: resolved.baseURL, profile: resolved.profileName)
        let options = WatchOptions(service: service, endpoint: endpoint, profile: resolved.profileName, ownerEndpoint: owner.endpoint,
                                   stateDirectory: StateDirectory.path(environment: env), settings: settings, watch: watch,
                                   interval: settings.interval ?? WatchSettings.defaultInterval, readOnly: readOnly || resolved.readOnly,
                                   listen: listenAddress, logger: logger, reload: reload)
        let status: Int32
        do { status = try await Watcher.run(options) } catch let refusal as WatcherLock.Refusal {
            CLIOutput.error(refusal.description)
            throw ExitCode(1)
        }
        if status != 0 { throw ExitCode(status) }
    }

    /// config.yaml read into the UI settings (with this command's flags applied) and the
    /// watch settings (with the flags' targets added).
    private func load(_ env: [String: String]) throws -> (ConfigFile, Settings, WatchSettings) {
        let config = try ConfigFile.load(path: ConfigFile.path(environment: env))
        var settings = Settings.from(config)
        var watch = WatchSettings.parse(config.raw["watch"])
        settings.interval = interval ?? watch.interval ?? WatchSettings.defaultInterval
        if let budget { settings.budgetPerHour = budget }
        if gpuProbe { settings.probe.enabled = true }
        if noMetrics { settings.metrics.enabled = false }
        let webhookKinds = WatchSettings.events(webhookEvents.map { [$0] } ?? []).kinds
        for url in webhooks { watch.targets.append(WatchTarget(kind: .webhook(url: url), events: webhookKinds)) }
        if !exec.isEmpty {
            watch.targets.append(WatchTarget(kind: .exec(arguments: exec, timeout: execTimeout), events: WatchSettings.events(execEvents.map { [$0] } ?? []).kinds))
        }
        // The same target twice would get every event twice.
        var seen = Set<String>()
        watch.targets = watch.targets.filter { seen.insert($0.id).inserted }
        watch.capTargets()
        return (config, settings, watch)
    }

    /// This program's absolute path (/proc/self/exe), else `podtui` (found on PATH by systemd).
    static func executablePath() -> String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? "podtui"
    }

    /// The flags a unit repeats: the connection and settings, never a webhook URL or an exec
    /// command (those belong in config.yaml, which SIGHUP rereads).
    private func unitArguments() -> [String] {
        var arguments = ["watch"]
        if let profile = connection.profile { arguments += ["--profile", profile] }
        if let baseURL = connection.baseURL { arguments += ["--base-url", baseURL] }
        if let file = connection.apiKeyFile { arguments += ["--api-key-file", file] }
        if let interval { arguments += ["--interval", NumberText.fixed(interval, 0)] }
        if readOnly { arguments.append("--read-only") }
        if let listen { arguments += ["--listen", listen] }
        if listenPublic { arguments.append("--listen-public") }
        if let budget { arguments += ["--budget", String(budget)] }
        if gpuProbe { arguments.append("--gpu-probe") }
        if noMetrics { arguments.append("--no-metrics") }
        return arguments
    }
}
