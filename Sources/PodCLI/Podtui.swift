import ArgumentParser
import FoundationEssentials
import Libc
import Logging
import PodAPI
import PodFiles
import PodClient
import PodLocal
import PodLocalFiles
import PodTUI
import PodTUICore
import PodWatchRunner

/// `podtui`: with no subcommand, the terminal UI; with one, the scriptable CLI.
/// Synchronous on purpose: `run()` is called on the main thread and the UI loop stays there.
struct Podtui: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "podtui",
        abstract: "A terminal UI and CLI for Yotta Labs GPU pods.",
        discussion: "Configuration: YOTTA_API_KEY and YOTTA_BASE_URL (as the official yotta CLI), or --api-key-file, "
            + "--base-url, profiles in $XDG_CONFIG_HOME/podtui/config.yaml, and the official CLI's login in ~/.yotta/config "
            + "(podtui configure writes it). Try it without an account: podtui --demo",
        version: PodTUIVersion.current,
        subcommands: [PodsCommand.self, VolumesCommand.self, GPUsCommand.self, CredentialsCommand.self, SpendCommand.self, TimersCommand.self, ConfigureCommand.self, SimCommand.self, KeysCommand.self, SSHConfigCommand.self,
                      ForwardCommand.self, CopyCommand.self, ExecCommand.self, DoctorCommand.self, WatchCommand.self])

    @OptionGroup var connection: ConnectionOptions
    @Flag(help: "Run against the built-in simulator (no account needed).") var demo = false
    @Option(help: "Seconds between polls (minimum 1; default: ui.interval in config.yaml, else 3).") var interval: Double?
    @Flag(help: "Refuse create, pause, resume and delete.") var readOnly = false
    @Flag(help: "Show running pods' GPU use, probed through your own ssh (nvidia-smi or rocm-smi; see README). Also ui.gpu_probe, :probe on.")
    var gpuProbe = false
    @Flag(help: "Do not ask Yotta's metrics API for running pods' GPU%, VRAM, CPU, memory and disk (on by default; also ui.metrics: false, :metrics off).")
    var noMetrics = false
    @Option(help: "Demo: lifecycle speed factor.") var demoSpeed: Double = 1
    @Option(help: "Demo: number of extra generated pods.") var demoPods: Int?

    func validate() throws {
        guard (interval ?? 1) >= 1 else { throw ValidationError("--interval must be at least 1 second") }
    }

    func run() throws {
        let (options, simulator) = try Blocking.run { try await prepare() }
        // Ended on every way out of here; a crash or SIGKILL closes its stdin pipe instead.
        defer { simulator?.stop() }
        // main.swift calls this on the main thread, which is the main actor's (podtui's main
        // is synchronous); the loop blocks it in poll() while the store and HTTP run on the pool.
        let status = try MainActor.assumeIsolated { try TUIApp.run(options: options) }
        if status != 0 { throw ExitCode(status) }
    }

    /// Everything before the loop: logging, config, the connection (or the demo simulator).
    private func prepare() async throws -> (TUIOptions, DemoSimulator?) {
        let env = ProcessInfo.processInfo.environment
        let sink = FileLogSink(path: FileLogSink.defaultPath(environment: env))
        LogSetup.bootstrap(sink: sink)
        let logger = Logger(label: "podtui")
        var simulator: DemoSimulator?
        let service: HTTPPodService
        let readOnly: Bool
        // The config is read once here: a bad ui:/keys: section, or a file that does not
        // parse, is reported in the UI and podtui starts with defaults. Permission refusals
        // (someone else could edit it or read a key in it) stay fatal.
        let configPath = ConfigFile.path(environment: env)
        var config = ConfigFile()
        var configProblem: String?
        do { config = try ConfigFile.load(path: configPath) } catch {
            let text = (try? String(contentsOfFile: configPath, encoding: .utf8)) ?? ""
            try FilePermissions.checkConfig(path: configPath, holdsSecret: text.contains("api_key"))
            configProblem = (error as? PodAPIError)?.message ?? String(describing: error)
        }
        var settings = Settings.from(config)
        if let configProblem { settings.problems.insert(configProblem + " (the whole file was ignored)", at: 0) }
        if let legacy = ConfigFile.legacyNotice(environment: env) { settings.problems.insert(legacy, at: 0) }
        if gpuProbe { settings.probe.enabled = true }
        if noMetrics { settings.metrics.enabled = false }
        var switcher: ProfileSwitcher?
        if demo {
            // A fresh random key per run: nothing else on this machine can drive the simulator.
            let key = "demo-" + UUID().uuidString
            Secrets.register(key)
            let sim = try DemoSimulator.start(key: key, speed: demoSpeed, extraPods: demoPods, errorLog: sink?.path)
            simulator = sim
            service = HTTPPodService(configuration: ClientConfiguration(baseURL: sim.baseURL, apiKey: APIKey(key)))
            readOnly = self.readOnly
        } else {
            var connection = self.connection
            connection.forUI = true
            let (made, resolved) = try connection.makeService(config: config, profile: connection.profile)
            service = made
            readOnly = self.readOnly || resolved.readOnly
            let forceReadOnly = self.readOnly, config = config, uiConnection = connection
            switcher = { @Sendable name in
                let (made, resolved) = try uiConnection.makeService(config: config, profile: name)
                return SwitchedConnection(service: made, endpoint: made.configuration.baseURL.host ?? made.configuration.baseURL.absoluteString,
                                          readOnly: forceReadOnly || resolved.readOnly)
            }
        }
        logger.info("starting UI against \(service.configuration.baseURL.absoluteString) interval=\(interval ?? settings.interval ?? 3)s readOnly=\(readOnly)")
        let endpoint = demo ? "demo simulator" : (service.configuration.baseURL.host ?? service.configuration.baseURL.absoluteString)
        // The demo keeps its own ledger and timers: its pods are not the account's.
        let stateDirectory = StateDirectory.path(environment: env) + (demo ? "/demo" : "")
        let options = TUIOptions(service: service, endpoint: endpoint, interval: interval ?? settings.interval ?? 3,
                                 readOnly: readOnly, logger: logger, settings: settings,
                                 profiles: config.profiles.keys.sorted(), switchProfile: switcher, stateDirectory: stateDirectory,
                                 templatesDirectory: TemplateStore.directory(configDirectory: ConfigFile.directory(environment: env)))
        return (options, simulator)
    }
}

/// Where logs go: a file for the UI (curses owns the screen), stderr for CLI commands.
enum LogSetup {
    static func bootstrap(sink: FileLogSink?) {
        let level: Logger.Level = ProcessInfo.processInfo.environment["PODTUI_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
        LoggingSystem.bootstrap { label in
            if let sink { return FileLogHandler(label: label, sink: sink, level: level) }
            return SwiftLogNoOpLogHandler()
        }
    }

    /// `podtui watch`: every record to stderr in journald's form (see `JournaldLogHandler`),
    /// from info up unless PODTUI_LOG_LEVEL says otherwise.
    static func bootstrapForWatch() {
        let env = ProcessInfo.processInfo.environment
        let level = env["PODTUI_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
        LoggingSystem.bootstrap { _ in JournaldLogHandler(level: level, environment: env) }
    }

    static func bootstrapForCLI() {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = ProcessInfo.processInfo.environment["PODTUI_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .error
            return handler
        }
    }
}
