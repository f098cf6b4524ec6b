import Foundation
import Logging
import PodAPI
import TermGuard

/// What the UI needs to start.
public struct TUIOptions: Sendable {
    public var service: any PodService
    public var endpoint: String
    public var interval: Double
    public var readOnly: Bool
    public var logger: Logger

    public init(service: any PodService, endpoint: String, interval: Double, readOnly: Bool, logger: Logger) {
        self.service = service; self.endpoint = endpoint; self.interval = interval; self.readOnly = readOnly; self.logger = logger
    }
}

/// The UI loop. One thread (the caller's) owns curses: it waits for a key or a state change,
/// feeds keys to the store's inbox, and draws when the state version or the size changed.
public enum TUIApp {
    /// Runs until the user quits or a signal arrives.
    /// - Returns: the exit status (0, or 128 + the signal number).
    public static func run(options: TUIOptions) throws -> Int32 {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
            throw TUIError.noTerminal("stdin or stdout is not a terminal")
        }
        let env = ProcessInfo.processInfo.environment
        let noColor = !(env["NO_COLOR"] ?? "").isEmpty || env["TERM"] == "dumb"
        let box = StateBox(AppState(endpoint: options.endpoint, interval: options.interval, readOnly: options.readOnly))
        let (actions, inbox) = AsyncStream.makeStream(of: Action.self)
        let store = Store(state: box.read(), service: options.service, box: box, inbox: inbox, logger: options.logger)
        // Detached: a Task here would inherit the main actor, which this thread blocks.
        let consumer = Task.detached { await store.consume(actions) }
        inbox.yield(.start(Date()))
        let poller = Poller { @Sendable in inbox.yield(.tick(Date())) }

        let terminal = try NcursesTerminal(noColor: noColor)
        var drawnVersion = -1
        var drawnSize = Size(width: -1, height: -1)
        var exitSignal: Int32 = 0
        let crashAt = Self.testCrashDeadline(env)
        loop: while true {
            let sig = tg_pending_signal()
            if sig != 0 { exitSignal = sig; break }
            let state = box.read()
            if state.shouldQuit { break }
            let size = terminal.size
            let rows = Render.listRows(for: state, size: size)
            if rows != state.pageSize { inbox.yield(.pageSize(rows)) }
            if state.version != drawnVersion || size != drawnSize {
                terminal.draw(Render.render(state, size: size))
                drawnVersion = state.version
                drawnSize = size
            }
            if let crashAt, Date() >= crashAt {
                fatalError("deliberate crash (PODTUI_TEST_CRASH_AFTER_MS) to test the terminal restore")
            }
            terminal.wait(wakeFD: box.wakeReadFD, timeoutMs: 1000)
            box.drainWake()
            for key in terminal.readKeys() {
                switch key {
                case .resize:
                    terminal.invalidate()
                    drawnSize = Size(width: -1, height: -1)
                case .ctrl("z"):
                    terminal.suspend()
                    drawnSize = Size(width: -1, height: -1)
                default:
                    inbox.yield(.key(key, Date()))
                }
            }
        }
        poller.cancel()
        terminal.shutdown()
        inbox.finish()
        consumer.cancel()
        options.logger.info("UI stopped\(exitSignal != 0 ? " by signal \(exitSignal)" : "")")
        return exitSignal == 0 ? 0 : 128 + exitSignal
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
