import Dispatch
import FoundationEssentials
import Libc
import Logging
import PodAPI
import PodLocal
import PodLocalFiles
import PodProbeRunner
import PodTUI
import PodTUICore
import PodWatch

/// What `podtui watch` runs with.
public struct WatchOptions: Sendable {
    public var service: any PodService
    /// The host the API is on (the header of events' log lines).
    public var endpoint: String
    public var profile: String?
    /// Whose timers and ledger these are (`TimerOwner.endpoint`): written in the lock so a
    /// TUI knows the watcher is its own.
    public var ownerEndpoint: String
    public var stateDirectory: String
    /// The UI settings of config.yaml: the budget, metrics and probe settings, idle time.
    public var settings: Settings
    public var watch: WatchSettings
    public var interval: Double
    public var readOnly: Bool
    /// Where `/metrics` is served, if anywhere (already checked against `--listen-public`).
    public var listen: ListenAddress?
    public var logger: Logger
    /// Rereads the settings (SIGHUP); throws what is wrong when they cannot be read (the old
    /// ones stay); nil when there is nothing to reread.
    public var reload: (@Sendable () throws -> (Settings, WatchSettings))?

    public init(service: any PodService, endpoint: String, profile: String?, ownerEndpoint: String, stateDirectory: String, settings: Settings,
                watch: WatchSettings, interval: Double, readOnly: Bool, listen: ListenAddress?, logger: Logger,
                reload: (@Sendable () throws -> (Settings, WatchSettings))? = nil) {
        self.service = service; self.endpoint = endpoint; self.profile = profile; self.ownerEndpoint = ownerEndpoint
        self.stateDirectory = stateDirectory
        self.settings = settings; self.watch = watch; self.interval = interval; self.readOnly = readOnly
        self.listen = listen; self.logger = logger; self.reload = reload
    }
}

/// `podtui watch`: the TUI's store without a screen. It holds the profile's watcher lock,
/// polls like the TUI (the same reducer: ledger, timers with their claims, API metrics and
/// idle clocks, the budget), looks at each published state for events (`WatchCore`),
/// delivers them to each target in order, and serves `/metrics`. SIGTERM and SIGINT stop it
/// (the journal is written at every change, so nothing is lost), SIGHUP rereads the settings.
public enum Watcher {
    /// Runs until SIGTERM or SIGINT. Throws `WatcherLock.Refusal` when another watcher runs.
    public static func run(_ options: WatchOptions) async throws -> Int32 {
        let logger = options.logger
        try StateDirectory.ensure(options.stateDirectory)
        let lock = try WatcherLock.acquire(in: options.stateDirectory, profile: options.profile, endpoint: options.ownerEndpoint)
        defer { lock.release() }
        // Signals become stream elements; their default actions are off from here on.
        let signals = SignalStream.make([SIGTERM, SIGINT, SIGHUP])

        let journalPath = WatchJournal.path(directory: options.stateDirectory, profile: options.profile)
        var journal = WatchJournal()
        switch try WatchJournal.load(journalPath) {
        case .journal(let read): journal = read
        case .fresh: logger.info("a new journal: \(journalPath)")
        case .setAside(let aside):
            logger.error("the journal does not parse or is too large: moved to \(aside); starting a new one (events owed in it are not sent)")
        }
        let core = WatchCore(journal: journal, path: journalPath, targets: options.watch.targets, logger: logger)
        await core.save()

        var state = AppState.initial(endpoint: options.endpoint, interval: options.interval, readOnly: options.readOnly,
                                     settings: options.settings, profiles: [], now: Date())
        state.settings.redactor = Secrets.snapshot
        state.settings.timeZone = LocalZone.current()
        state.settings.probesAvailable = true
        state.settings.metricsAvailable = true
        state.settings.timersEnabled = true
        state.spend.session = UUID().uuidString.lowercased()
        let box = StateBox(state)
        let (actions, inbox) = AsyncStream.makeStream(of: Action.self)
        let probes = ProbeRunner(stateDirectory: options.stateDirectory)
        // The store warns at every poll while its files cannot be written: once per 10 min here.
        let storeLogger = Logger(label: logger.label) { _ in QuietRepeats(logger.handler) }
        let store = Store(state: box.read(), service: options.service, box: box, inbox: inbox, logger: storeLogger,
                          local: LocalFiles(directory: options.stateDirectory), probes: probes)
        let consumer = Task.detached { await store.consume(actions) }
        inbox.yield(.start(Date()))
        let poller = Poller(every: 1) { @Sendable in inbox.yield(.tick(Date())) }

        let profileText = options.profile.map { " (profile \($0))" } ?? ""
        let readOnlyText = options.readOnly ? ", read-only: timers are reported, never fired" : ""
        logger.notice("watching \(options.endpoint)\(profileText) every \(NumberText.fixed(options.interval, 0))s\(readOnlyText); lock \(lock.path); journal \(journalPath)")
        for target in options.watch.targets { logger.notice("delivering to \(target.display)\(target.events.map { " for " + $0.map(\.rawValue).sorted().joined(separator: ",") } ?? "")") }

        // Looks: every published state is compared with the journal's memory.
        let observer = Task.detached {
            while !Task.isCancelled {
                box.drainWake()
                await core.observe(box.read())
                await core.flush()   // delivery outcomes of the last second
                try? await Task.sleep(for: .milliseconds(250))
            }
        }
        var deliverers = Deliverers(core: core)
        await deliverers.start(options.watch.targets)

        var listener: MetricsListener?
        if let address = options.listen {
            do {
                listener = try await MetricsListener.start(address) {
                    let counters = await core.counters
                    let errors = await core.apiErrors
                    let state = box.read()
                    let now = Date()
                    let spend = await core.spendCounter(state.spend.total.values.reduce(0.0) { $0 + $1.cost(at: now) })
                    return MetricsPage.render(WatchFigures.from(state, spendTotal: spend, apiErrors: errors, events: counters.told,
                                                                pendingDeliveries: counters.owed), now: now)
                }
                logger.notice("serving /metrics on http://\(address)")
            } catch {
                logger.error("\(error)")
                poller.cancel(); observer.cancel(); await deliverers.stop(); inbox.finish(); consumer.cancel(); probes.close()
                return 1
            }
        }

        var stopSignal: Int32 = 0
        for await signal in signals {
            if signal == SIGHUP {
                guard let reload = options.reload else {
                    logger.warning("SIGHUP: there are no settings to reread")
                    continue
                }
                let settings: Settings, watch: WatchSettings
                do { (settings, watch) = try reload() } catch {
                    // Why, so the one who sent it can fix the file (the log redacts any secret in it).
                    logger.warning("SIGHUP: settings not reread, the old ones stay: \(error)")
                    continue
                }
                for problem in settings.problems + watch.problems { logger.warning("config: \(problem)") }
                inbox.yield(.settingsReloaded(settings))
                await core.setTargets(watch.targets)
                await deliverers.start(watch.targets)
                logger.notice("SIGHUP: settings reread (\(watch.targets.count) targets, budget \(settings.budgetPerHour.map { "$\(Format.price($0))/h" } ?? "none"))")
                continue
            }
            stopSignal = signal
            break
        }
        // Stopping: everything told is already in the journal; what was being delivered is
        // still owed there and is sent again by the next watcher.
        logger.notice("stopping (signal \(stopSignal))")
        poller.cancel()
        observer.cancel()
        await core.observe(box.read())
        await deliverers.stop()
        await listener?.close()
        inbox.finish()
        consumer.cancel()
        await store.flushFiles()
        probes.close()
        await core.save()
        logger.notice("stopped")
        return 0
    }
}

/// One delivery task per target: each sends its own queue in order, so a receiver that is
/// down or slow holds up no other.
struct Deliverers {
    let core: WatchCore
    /// The exec hooks running, ended at `stop`.
    let hooks = RunningHooks()
    private var tasks: [String: Task<Void, Never>] = [:]

    init(core: WatchCore) { self.core = core }

    /// Starts a task for each target that has none, and ends those of targets not in `targets`.
    mutating func start(_ targets: [WatchTarget]) async {
        let ids = Set(targets.map(\.id))
        for (id, task) in tasks where !ids.contains(id) {
            task.cancel()
            tasks[id] = nil
        }
        for target in targets where tasks[target.id] == nil {
            let core = self.core, hooks = self.hooks
            tasks[target.id] = Task.detached { await Self.deliver(target, core: core, hooks: hooks) }
        }
    }

    /// Ends every task, waiting at most a second: a POST in flight is cancelled, an exec hook
    /// running is killed with its process group (nobody would enforce its deadline once this
    /// process is gone); either stays owed in the journal and is sent by the next watcher.
    mutating func stop() async {
        let all = Array(tasks.values)
        tasks = [:]
        for task in all { task.cancel() }
        // After the cancel: the tasks see it and record no failure for the hooks killed here.
        hooks.stopAll()
        let (stream, continuation) = AsyncStream.makeStream(of: Void.self)
        let waiter = Task { for task in all { await task.value }; continuation.yield(()) }
        let alarm = Task { try? await Task.sleep(for: .seconds(1)); continuation.yield(()) }
        for await _ in stream { break }
        waiter.cancel()
        alarm.cancel()
        continuation.finish()
    }

    static func deliver(_ target: WatchTarget, core: WatchCore, hooks: RunningHooks) async {
        while !Task.isCancelled {
            guard let (delivery, event) = await core.next(for: target.id) else {
                let wait = await core.wait(for: target.id) ?? 1
                try? await Task.sleep(for: .milliseconds(Int64(saturating: min(max(wait, 0.05), 1) * 1000)))
                continue
            }
            let result: WebhookSender.Result
            switch target.kind {
            case .webhook(let url): result = await WebhookSender.post(event.webhookBody(), to: url)
            case .exec(let arguments, let timeout): result = await ExecHook.run(arguments, event: event, timeout: timeout, running: hooks)
            }
            // A stop that came meanwhile leaves it owed (sent again by the next watcher).
            guard !Task.isCancelled else { return }
            await core.finished(target, seq: delivery.seq, result: result)
        }
    }
}
