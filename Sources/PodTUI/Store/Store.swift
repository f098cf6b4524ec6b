import PodTUICore
import FoundationEssentials
import Libc
import Logging
import PodAPI
import PodFiles
import PodClient
import PodLocal
import PodLocalFiles
import PodProbe
import PodProbeRunner
import Dispatch
import Synchronization
import TermGuard

/// The one owner of mutable UI state. Actions arrive through the inbox in order; each is
/// reduced, the result published to the `StateBox`, and the effects run as tasks whose
/// results come back as actions.
public actor Store {
    private var state: AppState
    /// The service of the account the reduced state is about: replaced by `:profile` when
    /// its `.profileSwitched` is reduced (see `switched`).
    private var service: any PodService
    private let switchProfile: ProfileSwitcher?
    private let box: StateBox
    private let inbox: AsyncStream<Action>.Continuation
    private let logger: Logger
    /// Clock for result actions; tests may pin it.
    private let clock: @Sendable () -> Date
    /// The ledger and timer files, when there is a state directory.
    private let local: LocalFiles?
    /// Create-form templates, when there is a config directory.
    private let templates: TemplateStore?
    /// Runs GPU probes (ssh), when probing can be used.
    private let probes: ProbeRunner?
    /// Port-forwards and background plugins, when the runtime keeps them.
    private let children: BackgroundChildren?

    public init(state: AppState, service: any PodService, box: StateBox, inbox: AsyncStream<Action>.Continuation,
                logger: Logger = Logger(label: "podtui.store"), clock: @escaping @Sendable () -> Date = { Date() },
                switchProfile: ProfileSwitcher? = nil, local: LocalFiles? = nil, templates: TemplateStore? = nil,
                probes: ProbeRunner? = nil, children: BackgroundChildren? = nil) {
        self.probes = probes
        self.children = children
        self.local = local
        self.templates = templates
        self.state = state
        self.service = service
        self.switchProfile = switchProfile
        self.box = box
        self.inbox = inbox
        self.logger = logger
        self.clock = clock
        self.accountOwner = Self.owner(of: service)
    }

    /// Reduces one action, publishes the new state and starts its effects. Every effect's
    /// result comes back tagged with the account epoch it was started under, so a result
    /// that lands after a `:profile` switch is dropped instead of applied to the wrong account.
    public func send(_ action: Action) {
        let started = ContinuousClock.now
        if case .profileSwitched = action, !switched.isEmpty {
            service = switched.removeFirst()
            accountOwner = Self.owner(of: service)
        }
        let effects = Reducer.reduce(&state, action, at: Date())   // the time, stamped once per action
        box.publish(state)
        if case .podsLoaded = action { trimHeap() }
        let took = ContinuousClock.now - started
        if took > .milliseconds(5) {
            // Slow reductions are what a user feels as lag; the log says which action it was.
            logger.debug("slow reduce: \(took) for \(action.name)")
        }
        for effect in effects { run(effect, epoch: state.epoch) }
    }

    /// When the heap was last trimmed.
    private var trimmedAt: ContinuousClock.Instant?

    /// After a list reply, at most every 10 s: the last reply's pods, its body and the
    /// decode's buffers were just freed, and glibc keeps freed pages inside the heap (only
    /// the top is given back by itself), so a fleet that changes every poll would hold the
    /// peak of every reply. A trim costs well under a millisecond at 10,000 pods.
    private func trimHeap() {
        let now = ContinuousClock.now
        if let trimmedAt, now - trimmedAt < .seconds(10) { return }
        trimmedAt = now
        tg_malloc_trim()
    }

    /// Waits until the file work started so far (ledger appends, timer records) is done: the
    /// file queue is serial, so an empty block queued now runs after all of it. For a process
    /// that stops on purpose (`podtui watch` on SIGTERM) and must not drop a ledger line.
    public func flushFiles() async {
        let queue = fileQueue
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in queue.async { done.resume() } }
    }

    /// Reads actions from the stream until it ends. With `keys`, a list reply that comes
    /// out of the stream while keys are waiting behind it is held until they are reduced
    /// (keys only: any other action first lets the reply in, so nothing else is reordered),
    /// so a keystroke never waits for 10,000 pods to be indexed.
    public func consume(_ actions: AsyncStream<Action>, keys: KeysWaiting? = nil) async {
        var held: Action?
        func release() {
            if let reply = held { send(reply) }
            held = nil
        }
        for await action in actions {
            switch action {
            case .key, .mouse:
                send(action)
                keys?.taken()
                if keys?.any != true { release() }
            case .podsLoaded where keys?.any == true:
                release()
                held = action
            default:
                release()
                send(action)
            }
        }
        release()
    }

    /// Templates: small files in the config directory.
    private func runTemplates(_ effect: Effect, epoch: Int) {
        guard let store = templates else { return }
        let inbox = self.inbox, clock = self.clock
        Task.detached {
            var results: [Action] = []
            switch effect {
            case .loadTemplates:
                results = [.templatesLoaded(store.names())]
            case .saveTemplate(let name, let request, let secretKeys):
                do {
                    try store.save(name, request: request, secretKeys: Set(secretKeys))
                    let note = secretKeys.isEmpty ? "" : " (\(secretKeys.joined(separator: ", ")) saved as references, not values)"
                    results = [.templatesLoaded(store.names()),
                               .notice("Saved template \(name)\(note): n offers it, :new \(name) opens it", isError: false, clock())]
                } catch {
                    results = [.notice("Template not saved: \((error as? PodAPIError)?.message ?? String(describing: error))", isError: true, clock())]
                }
            case .openTemplate(let name):
                do {
                    let (request, references) = try store.load(name)
                    results = [.templateLoaded(name: name, .success(TemplateData(request: request, references: references)))]
                } catch {
                    results = [.templateLoaded(name: name, .failure(ExternalFailure((error as? PodAPIError)?.message ?? String(describing: error))))]
                }
            default: break
            }
            for result in results { inbox.yield(.tagged(epoch: epoch, result)) }
        }
    }

    /// Whose timers and ledger this process works with now: the endpoint and profile of the
    /// service the reducer's state is about (it changes with `:profile`).
    private var owner: TimerOwner { local?.owner ?? accountOwner }
    /// The owner of the state's account (its service's endpoint and profile).
    private var accountOwner: TimerOwner
    /// Services `:profile` connected to whose `.profileSwitched` is not reduced yet, in
    /// order. Actions already in the inbox when the switch ran (a reply, a tick, a pasted
    /// key) are still the old account's: their requests, ledger lines and timers go to it.
    private var switched: [any PodService] = []

    private static func owner(of service: any PodService) -> TimerOwner {
        if let http = service as? HTTPPodService {
            return TimerOwner(baseURL: http.configuration.baseURL, profile: http.configuration.profile)
        }
        return .legacy
    }

    /// Local file work: blocking (a lock another process holds, a slow disk), so it runs on a
    /// Dispatch queue, never on the cooperative pool that runs this actor and the HTTP work.
    /// One per store: a store waiting on a held lock must not hold up another (tests run
    /// many stores in one process). User-initiated: the screen waits for what it reads (a
    /// utility queue starved behind busy threads on 2 cores).
    private let fileQueue = DispatchQueue(label: "podtui.local-files", qos: .userInitiated)

    /// Ledger files found full (see `LedgerFile.Full`).
    private static let fullLedgers = FullLedgers()

    /// Runs blocking file work on `fileQueue` and awaits it: the awaiting task is suspended,
    /// so no thread of the cooperative pool waits on a lock.
    private static func on<T: Sendable>(_ queue: DispatchQueue, _ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result { try work() }) }
        }
    }

    /// The ledger and the timers: files, then (for due timers) the API.
    private func runLocal(_ effect: Effect, epoch: Int) {
        guard let local else { return }
        let inbox = self.inbox, logger = self.logger, clock = self.clock, service = self.service, owner = self.owner
        let ledger = local.ledger(for: owner)
        @Sendable func failure(_ error: any Error) -> ExternalFailure {
            ExternalFailure((error as? PodAPIError)?.message ?? String(describing: error))
        }
        // Only this endpoint's and profile's timers: the others are not this process's to
        // show, fire or mark gone.
        @Sendable func timers() -> Action {
            do { return .timersLoaded(.success(try local.timers.load().filter(owner.owns))) } catch { return .timersLoaded(.failure(failure(error))) }
        }
        if case .fireDueTimers(let idle) = effect {
            // The claim, and the record of each outcome, wait on the timer file's lock (up
            // to its timeout): on the file queue. Only the requests run on the pool.
            let fileQueue = self.fileQueue
            Task.detached {
                let result: Action
                do {
                    let claimed = try await Self.on(fileQueue) {
                        try local.timers.claimDue(now: clock(), by: local.claimant, idle: idle, owner: owner)
                    }
                    var outcomes: [TimerOutcome] = []
                    for timer in claimed {
                        let fired = await TimerRunner.fire(timer, service: service)
                        let outcome = try await Self.on(fileQueue) { TimerRunner.record(fired, in: local.timers, now: clock()) }
                        logger.info("timer \(outcome.timer.podID): \(outcome.text)")
                        outcomes.append(outcome)
                    }
                    result = .timersFired(outcomes, clock())
                } catch {
                    logger.warning("timers: \(error)")
                    result = .timersFired([], clock())
                }
                inbox.yield(.tagged(epoch: epoch, result))
            }
            return
        }
        fileQueue.async {
            let result: Action?
            switch effect {
            case .loadLedger:
                do { result = .ledgerLoaded(.success(try ledger.load(now: clock()))) } catch {
                    logger.warning("ledger: \(error)")
                    result = .ledgerLoaded(.failure(failure(error)))
                }
            case .ledgerAppend(let lines):
                result = nil
                let now = clock()
                guard !Self.fullLedgers.skips(ledger.path, now: now) else { break }
                do { try ledger.append(lines, now: now) } catch let full as LedgerFile.Full {
                    logger.warning("ledger append: \(full)")
                    if Self.fullLedgers.note(ledger.path, now: now) {
                        inbox.yield(.tagged(epoch: epoch, .notice("Spend ledger not written: \(full); the spend shown may be low", isError: true, now)))
                    }
                } catch { logger.warning("ledger append: \(error)") }
            case .loadTimers:
                inbox.yield(.tagged(epoch: epoch, Self.watcher(directory: local.directory, owner: owner)))
                result = timers()
            case .loadIdleClocks:
                do { result = .idleClocksLoaded(try local.idle.load()) } catch {
                    logger.warning("idle clocks: \(error)")
                    result = .idleClocksLoaded([:])
                }
            case .saveIdleClocks(let records, let cleared):
                do { try local.idle.save(records, cleared: Set(cleared), now: clock()) } catch { logger.warning("idle clocks: \(error)") }
                result = nil
            case .addTimers(let targets, let trigger):
                do { try local.timers.add(targets.map { ($0.id, $0.name) }, trigger: trigger, now: clock(), owner: owner) } catch {
                    logger.warning("timers: \(error)")
                    inbox.yield(.tagged(epoch: epoch, .notice("Timer not saved: \(failure(error).reason)", isError: true, clock())))
                }
                result = timers()
            case .cancelTimers(let ids):
                do { try local.timers.cancel(Set(ids), now: clock()) } catch {
                    logger.warning("timers: \(error)")
                    inbox.yield(.tagged(epoch: epoch, .notice("Timer not cancelled: \(failure(error).reason)", isError: true, clock())))
                }
                result = timers()
            default:
                result = nil
            }
            if let result { inbox.yield(.tagged(epoch: epoch, result)) }
        }
    }

    /// The `podtui watch` holding this profile's lock for this endpoint, if another process
    /// does (a watcher's own store does not see itself). Read from /proc/locks and the lock
    /// file's text, never by taking the lock.
    static func watcher(directory: String, owner: TimerOwner) -> Action {
        let path = directory + "/" + WatcherLock.fileName(profile: owner.profile)
        guard case .running(let holders) = WatcherLock.find(in: directory),
              let holder = holders.first(where: { $0.path == path }), holder.pid != getpid(),
              let info = WatcherLock.info(path), info.endpoint == nil || info.endpoint == owner.endpoint else { return .watcherSeen(nil) }
        return .watcherSeen(WatcherSeen(pid: holder.pid, since: info.since))
    }

    /// One storage request against the service; never retried.
    private static func run(_ request: StorageRequest, on service: any PodService) async throws -> StorageOutcome {
        switch request {
        case .createVolume(let r): return .created(id: try await service.createVolume(r)?.id)
        case .renameVolume(let id, let name): try await service.renameVolume(id: id, name: name)
        case .resizeVolume(let id, let size): try await service.resizeVolume(id: id, sizeInGb: size)
        case .deleteVolume(let id, _): try await service.deleteVolume(id: id)
        case .createCredential(let r): return .created(id: try await service.createRegistryCredential(r)?.id)
        case .updateCredential(let id, let r): try await service.updateRegistryCredential(id: id, r)
        case .deleteCredential(let id, _): try await service.deleteRegistryCredential(id: id)
        }
        return .done
    }

    /// Runs `work` off the store and sends its result back tagged with `epoch`; a thrown
    /// error becomes a `PodAPIError` for `failure` (and a log line saying what failed).
    private func spawn(epoch: Int, _ what: String, _ work: @escaping @Sendable () async throws -> Action,
                       failure: @escaping @Sendable (PodAPIError, Date) -> Action) {
        let inbox = self.inbox, logger = self.logger, clock = self.clock
        Task.detached {
            let result: Action
            do {
                result = try await work()
            } catch {
                let apiError = Self.apiError(error)
                logger.warning("\(what) failed: \(apiError.message)")
                result = failure(apiError, clock())
            }
            inbox.yield(.tagged(epoch: epoch, result))
        }
    }

    private func run(_ effect: Effect, epoch: Int) {
        let service = self.service, logger = self.logger, clock = self.clock
        switch effect {
        case .fetchPods(let generation, let query):
            spawn(epoch: epoch, "poll \(generation)", {
                .podsLoaded(generation: generation, try await service.listPods(regions: query.regions, statuses: query.statuses), clock())
            }, failure: { .podsFailed(generation: generation, $0, $1) })
        case .perform(let action, let id):
            spawn(epoch: epoch, "\(action.rawValue) \(id)", {
                try await service.perform(action, id: id)
                logger.info("\(action.rawValue) \(id): accepted")
                return .actionFinished(podID: id, action, nil, clock())
            }, failure: { .actionFinished(podID: id, action, $0, $1) })
        case .loadCatalog:
            spawn(epoch: epoch, "GPU types", { .gpuTypesLoaded(.success(try await service.gpuTypes())) },
                  failure: { error, _ in .gpuTypesLoaded(.failure(error)) })
            spawn(epoch: epoch, "registry credentials", { .credentialsLoaded(.success(try await service.registryCredentials())) },
                  failure: { error, _ in .credentialsLoaded(.failure(error)) })
            spawn(epoch: epoch, "volumes", { .volumesLoaded(.success(try await service.listVolumes(types: [], region: nil))) },
                  failure: { error, _ in .volumesLoaded(.failure(error)) })
        case .createPod(let request):
            // The deprecated registry password must never reach the log, even inside an error.
            if let password = request.imageRegistryPassword { Secrets.register(password) }
            spawn(epoch: epoch, "create \(request.name)", {
                // The form keeps the ssh key as its path (PUBLIC_KEY=@PATH): read it now, so a
                // key that is gone or not a public key fails the create with its reason.
                let request = try PublicKeyFile.resolve(request)
                switch try await service.createPod(request) {
                case .created(let pod):
                    logger.info("create \(request.name): accepted as \(pod.id)")
                    return .podCreated(pod, clock())
                case .acceptedWithoutID:
                    logger.info("create \(request.name): accepted, no id in the reply")
                    return .podCreatedWithoutID(name: request.name, clock())
                }
            }, failure: { .createFailed($0, $1) })
        case .loadVolumes:
            spawn(epoch: epoch, "volumes", { .volumesLoaded(.success(try await service.listVolumes(types: [], region: nil))) },
                  failure: { error, _ in .volumesLoaded(.failure(error)) })
        case .loadCredentials:
            spawn(epoch: epoch, "registry credentials", { .credentialsLoaded(.success(try await service.registryCredentials())) },
                  failure: { error, _ in .credentialsLoaded(.failure(error)) })
        case .storage(let request):
            // A password typed in the form must never reach the log, even inside an error.
            if case .createCredential(let r) = request { Secrets.register(r.password.secret) }
            if case .updateCredential(_, let r) = request, let password = r.password { Secrets.register(password.secret) }
            spawn(epoch: epoch, request.summary, {
                let outcome = try await Self.run(request, on: service)
                logger.info("\(request.summary): accepted")
                return .storageFinished(request, .success(outcome), clock())
            }, failure: { .storageFinished(request, .failure($0), $1) })
        case .loadLedger, .ledgerAppend, .loadTimers, .addTimers, .cancelTimers, .fireDueTimers, .loadIdleClocks, .saveIdleClocks:
            runLocal(effect, epoch: epoch)
        case .loadTemplates, .saveTemplate, .openTemplate:
            runTemplates(effect, epoch: epoch)
        // Not tagged with the epoch: a forward or a plugin outlives a :profile switch.
        case .startForward(let request):
            guard let children else { return }
            let inbox = self.inbox
            logger.info("forward \(request.id): port \(request.ports.remote) of \(request.invocation.target.label)")
            children.startForward(request) { event in inbox.yield(.forwardEvent(id: request.id, event, clock())) }
        case .stopForward(let id):
            children?.stopForward(id)
        case .runPlugin(let run):
            guard let children else { return }
            let inbox = self.inbox
            logger.info("plugin \(run.name) (\(run.id)) in the background")
            children.runPlugin(run) { result in inbox.yield(.pluginFinished(id: run.id, result, clock())) }
        case .probe(let jobs):
            guard let probes else { return }
            let inbox = self.inbox
            for job in jobs {
                // A probe blocks its thread for up to its deadline: a Dispatch thread, never
                // one of the cooperative pool's few (which run this actor and the HTTP work).
                DispatchQueue.global(qos: .utility).async {
                    let result = probes.probe(job.target)
                    if case .failure(let failure) = result {
                        logger.debug("probe \(job.podID) (\(job.target.label)): \(failure.reason)")
                    }
                    inbox.yield(.tagged(epoch: epoch, .probed(podID: job.podID, result, clock())))
                }
            }
        case .fetchMetrics(let requests):
            let inbox = self.inbox
            for request in requests {
                let job = request.job
                Task.detached {
                    let result: MetricsResult
                    do {
                        result = .answer(try await service.podMetrics(id: job.pod, kind: job.kind, start: request.start,
                                                                       end: request.end, step: request.step))
                    } catch {
                        let apiError = Self.apiError(error)
                        // Debug, not warning: an outage would write a line per request.
                        logger.debug("metrics \(job.kind.rawValue) \(job.pod): \(apiError.message)")
                        let retryAfter: Double? = if case .rateLimited(let after) = apiError { after } else { nil }
                        result = .failed(apiError.shortReason, retryAfter: retryAfter)
                    }
                    inbox.yield(.tagged(epoch: epoch, .metricsLoaded(request, result, clock())))
                }
            }
        case .fetchRaw(let id):
            spawn(epoch: epoch, "raw \(id)", { .rawLoaded(podID: id, .success(try await service.getPodRaw(id: id))) },
                  failure: { error, _ in .rawLoaded(podID: id, .failure(error)) })
        case .openURL(let url):
            let inbox = self.inbox
            Task.detached {
                if case .failure(let failure) = await ExternalProcess.launch([ExternalProcess.urlOpener, url]) {
                    inbox.yield(.tagged(epoch: epoch, .notice("Could not open the browser (\(failure.reason)); the URL: \(url)", isError: true, clock())))
                }
            }
        case .writeSSHConfig(let block, let hosts):
            let inbox = self.inbox
            fileQueue.async {
                let result: Action
                do {
                    let path = try SSHConfigFile.write(path: SSHConfigFile.defaultPath(), bytes: { try SSHConfig.merge(bytes: $0, block: block) })
                    logger.info("ssh-config: wrote \(hosts) hosts to \(path)")
                    result = .notice("Wrote \(hosts) host\(hosts == 1 ? "" : "s") to \(path) (ssh yotta-NAME; the old file is config.podtui.bak)", isError: false, clock())
                } catch {
                    // A file error, not an API one: its own words, not "Cannot reach the API".
                    let why = (error as? PodAPIError)?.message ?? String(describing: error)
                    result = .notice("ssh config not written: \(why)", isError: true, clock())
                }
                inbox.yield(.tagged(epoch: epoch, result))
            }
        case .switchProfile(let name):
            let result: Action
            if let switchProfile {
                do {
                    let connection = try switchProfile(name)
                    switched.append(connection.service)
                    logger.info("switched to profile \(name): \(connection.endpoint)")
                    result = .profileSwitched(name: name, endpoint: connection.endpoint, readOnly: connection.readOnly,
                                              secrets: Secrets.snapshot, clock())
                } catch {
                    result = .profileFailed("Profile \(name): \(Self.apiError(error).message)", clock())
                }
            } else {
                result = .profileFailed("Profiles are not available here (demo mode or no config file)", clock())
            }
            // Not tagged: the switch happened here, in order with everything else, and its
            // service is queued in `switched`; its result must apply (and take its service)
            // even when two switches follow each other before either result is reduced.
            inbox.yield(result)
        }
    }

    /// Any error as the API error the reducer understands.
    private static func apiError(_ error: any Error) -> PodAPIError {
        error as? PodAPIError ?? .connection(String(describing: error))
    }
}
