import PodTUICore
import FoundationEssentials
import Libc
import Logging
import PodAPI
import PodProbe
import PodProbeRunner
import PodLocal
import PodLocalFiles
import PodFiles
import TermGuard

/// The UI loop. The main thread owns curses: it waits for a key or a state change, feeds
/// keys to the store's inbox, and draws when the state version or the size changed. The
/// store, its effects (HTTP) and the poll timer run elsewhere, so the loop blocking in
/// `poll()` holds up nothing but itself.
public enum TUIApp {
    /// Runs until the user quits or a signal arrives, on the main thread (hence the main
    /// actor: nothing else in podtui runs there, so blocking it costs no other work).
    /// - Returns: the exit status (0, or 128 + the signal number).
    @MainActor
    public static func run(options: TUIOptions) throws -> Int32 {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
            throw TUIError.noTerminal("stdin or stdout is not a terminal")
        }
        try NcursesTerminal.refuseUnusable()
        options.logger.info("UI loop on the main thread: \(tg_is_main_thread() == 1)")
        let env = ProcessInfo.processInfo.environment
        let settings = options.settings
        let noColor = !(env["NO_COLOR"] ?? "").isEmpty || env["TERM"] == "dumb" || settings.theme == .mono
        var startState = initialState(options)
        let testPoll = Self.testPollInterval(env)
        if let testPoll { startState.settings.interval = testPoll }
        let box = StateBox(startState)
        let (actions, inbox) = AsyncStream.makeStream(of: Action.self)
        // GPU probes: the runner is cheap; its socket directory is made at the first probe.
        let probes = ProbeRunner(stateDirectory: options.stateDirectory)
        // Port-forwards and background plugins: all of them end with the loop.
        let children = BackgroundChildren()
        let store = Store(state: box.read(), service: options.service, box: box, inbox: inbox, logger: options.logger,
                          switchProfile: options.switchProfile, local: options.stateDirectory.map(LocalFiles.init(directory:)),
                          templates: options.templatesDirectory.map(TemplateStore.init(directory:)), probes: probes, children: children)
        // Detached: a Task here would inherit the main actor, which this loop blocks.
        let keysWaiting = KeysWaiting()
        let consumer = Task.detached { await store.consume(actions, keys: keysWaiting) }
        inbox.yield(.start(Date()))
        let poller = Poller(every: testPoll ?? 1) { @Sendable in inbox.yield(.tick(Date())) }

        // The background decides the colours: asked of the terminal (at most 50 ms before the
        // first frame; a later answer is taken out of the key stream and switches once),
        // else COLORFGBG, else dark.
        let fallback = env["COLORFGBG"].flatMap(ThemeColors.background(fromCOLORFGBG:)) ?? .dark
        var background = fallback
        var replies = OSCReplyFilter(awaiting: false)
        var typedAhead: [UInt8] = []
        switch settings.theme {
        case .dark: background = .dark
        case .light: background = .light
        case .mono: break
        case .auto, .highContrast:
            if !noColor && BackgroundQuery.applies(environment: env) {
                let outcome = BackgroundQuery.ask()
                background = outcome.background ?? fallback
                replies = OSCReplyFilter(awaiting: outcome.awaiting)
                typedAhead = outcome.typedAhead
                options.logger.info("terminal background: \(outcome.background.map { "\($0.rawValue) (OSC 11)" } ?? "no answer yet; \(background.rawValue)")")
            }
        }
        let queryEnds = Date().addingTimeInterval(5)
        let terminal = try NcursesTerminal(noColor: noColor, mouse: settings.mouse, highContrast: settings.theme == .highContrast,
                                           background: background)
        terminal.pushBack(typedAhead)
        var frame = Frame.stale
        var pacing = FramePacing()
        var exitSignal: Int32 = 0
        var lastOutput = 0
        var lastExternal = 0
        let crashAt = Self.testCrashDeadline(env)
        loop: while true {
            let sig = tg_pending_signal()
            if sig != 0 { exitSignal = sig; break }
            let state = box.read()
            if state.shouldQuit { break }
            let size = terminal.size
            if size != state.nav.screenSize { inbox.yield(.screenSize(size)) }
            let rows = Render.listRows(for: state, size: size)
            if rows != state.nav.pageSize { inbox.yield(.pageSize(rows)) }
            // A background change to a screen already drawn at this size waits for its turn
            // (FramePacing); anything else is drawn now.
            var hold = 0
            if case .drawn(let version, size) = frame, version != state.version {
                hold = pacing.wait(at: ProcessInfo.processInfo.systemUptime, FramePacing.Headline(state))
            }
            if frame != .drawn(version: state.version, size: size), hold == 0 {
                // Unfocused, drawn at a held clock: a tick alone gives the same frame, and
                // `draw` hands curses no row.
                let started = ContinuousClock.now
                let screen = Render.render(state.forDrawing, size: size)
                let rendered = ContinuousClock.now
                terminal.draw(screen)
                let drawn = ContinuousClock.now
                if drawn - started > .milliseconds(5) {
                    // What a user feels as a late frame; the log says which half it was.
                    options.logger.debug("slow frame: render \(rendered - started), draw \(drawn - rendered)")
                }
                frame = .drawn(version: state.version, size: size)
                pacing.drew(at: ProcessInfo.processInfo.systemUptime, FramePacing.Headline(state))
            }
            for output in state.io.outbox where output.seq > lastOutput {
                terminal.writeRaw(TerminalBytes.bytes(for: output.kind, environment: env))
                lastOutput = output.seq
            }
            if let request = state.io.external, request.seq > lastExternal {
                lastExternal = request.seq
                options.logger.info("running \(request.arguments.first ?? "?") for \(request.title)")
                let result = terminal.runExternal(request.arguments, environment: request.environment)
                frame = .stale
                inbox.yield(.externalFinished(seq: request.seq, result, Date()))
                continue
            }
            if let crashAt, Date() >= crashAt {
                fatalError("deliberate crash (PODTUI_TEST_CRASH_AFTER_MS) to test the terminal restore")
            }
            // A held Escape is released after 30 ms of quiet (an answer's rest comes at once).
            terminal.wait(wakeFD: box.wakeReadFD, timeoutMs: replies.isHolding ? 30 : hold > 0 ? Int32(clamping: hold) : 1000)
            box.drainWake()
            var keys = terminal.readKeys()
            // Terminal replies are taken out for the whole session, whenever they come and in
            // however many reads (OSCReplyFilter); only the background answer is used.
            if keys.isEmpty {
                keys = replies.flush(at: .now)   // an Escape held back and nothing followed: it was a key
            } else {
                let (real, reply) = replies.filter(keys, at: .now)
                keys = real
                if let reply, let answered = ThemeColors.background(fromOSC11Reply: reply) {
                    options.logger.info("terminal background: \(answered.rawValue) (OSC 11, late)")
                    terminal.retheme(answered)
                    frame = .stale
                }
            }
            if replies.awaiting, Date() > queryEnds { replies.stop() }
            if !keys.isEmpty { pacing.input(at: ProcessInfo.processInfo.systemUptime) }
            for key in keys {
                switch key {
                case .resize:
                    terminal.invalidate()
                    frame = .stale
                case .ctrl("z"):
                    terminal.suspend()
                    frame = .stale
                case .mouse(let event):
                    keysWaiting.arrived()
                    inbox.yield(.mouse(event, Date()))
                default:
                    keysWaiting.arrived()
                    inbox.yield(.key(key, Date()))
                }
            }
        }
        poller.cancel()
        terminal.shutdown()
        inbox.finish()
        consumer.cancel()
        // The shared ssh connections of the probes end with podtui (they would linger for
        // ControlPersist seconds otherwise), and their socket directory goes.
        probes.close()
        children.closeAll()
        options.logger.info("UI stopped\(exitSignal != 0 ? " by signal \(exitSignal)" : "")")
        return exitSignal == 0 ? 0 : 128 + exitSignal
    }

    /// What is on the terminal: the frame of a state version at a size, or something else
    /// (nothing yet, ssh's output, a resized or re-themed screen, a shell after Ctrl-Z),
    /// which the next pass redraws whatever the state.
    enum Frame: Equatable {
        case stale
        case drawn(version: Int, size: Size)
    }

    /// The first state: options and settings applied (`AppState.initial`); each settings
    /// problem is also logged.
    static func initialState(_ options: TUIOptions, now: Date = Date()) -> AppState {
        let settings = PluginCheck.checked(options.settings)
        for problem in settings.problems { options.logger.warning("config: \(problem)") }
        var state = AppState.initial(endpoint: options.endpoint, interval: options.interval, readOnly: options.readOnly,
                                     settings: settings, profiles: options.profiles, now: now)
        state.plugins.configured = settings.plugins
        state.settings.unfocusedInterval = settings.unfocusedInterval
        // The two things render needs from the process, handed over once as values.
        state.settings.redactor = Secrets.snapshot
        state.settings.timeZone = LocalZone.current()
        state.settings.templatesEnabled = options.templatesDirectory != nil
        state.settings.probesAvailable = true
        state.settings.metricsAvailable = true
        state.settings.defaultSSHKey = PublicKeyFile.defaultPath().map { PublicKeyFile.display($0) }
        // The ledger and the timers, when there is somewhere to keep them.
        if let directory = options.stateDirectory {
            do {
                try StateDirectory.ensure(directory)
                state.spend.session = UUID().uuidString.lowercased()
                state.settings.timersEnabled = true
            } catch {
                options.logger.warning("state directory \(directory): \(error)")
                state.events.append(PodEvent(at: now, podID: nil, text: "no spend ledger or pause timers: \(error)", kind: .bad))
            }
        }
        let env = ProcessInfo.processInfo.environment
        // Where a browser can be opened, and where OSC 8 links mean something.
        #if os(macOS)
        state.settings.hasDisplay = true
        #else
        state.settings.hasDisplay = !(env["DISPLAY"] ?? "").isEmpty || !(env["WAYLAND_DISPLAY"] ?? "").isEmpty
        #endif
        if ["linux", "dumb", ""].contains(env["TERM"] ?? "") { state.settings.hyperlinks = false }
        return state
    }

    /// Debug builds only: `PODTUI_TEST_POLL_MS=N` polls every N ms (the soak test's fast
    /// clock; the user-facing floor is 1 s). Release builds ignore it.
    static func testPollInterval(_ env: [String: String]) -> Double? {
        #if DEBUG
        if let ms = env["PODTUI_TEST_POLL_MS"].flatMap(Double.init), ms >= 1 { return ms / 1000 }
        #endif
        return nil
    }

    /// Debug builds only: `PODTUI_TEST_CRASH_AFTER_MS=N` traps N ms after start, so the
    /// end-to-end tests can prove the crash handler gives the terminal back. Release builds
    /// ignore it.
    static func testCrashDeadline(_ env: [String: String]) -> Date? {
        #if DEBUG
        if let ms = env["PODTUI_TEST_CRASH_AFTER_MS"].flatMap(Double.init) { return Date().addingTimeInterval(ms / 1000) }
        #endif
        return nil
    }
}
