import PodTUICore
import FoundationEssentials
import Libc
import Dispatch
import TermGuard
import PodProbe
import PodProbeRunner

/// Runs other programs: ssh on the real terminal (the `s` key), a browser launcher without
/// one (the `o` key). Both get default signal handling (podtui ignores SIGPIPE; a child
/// must not inherit that), no blocked signals, and an environment without YOTTA_* variables.
enum ExternalProcess {
    /// The program that opens a URL in the user's browser.
    static var urlOpener: String {
        #if os(macOS)
        return "open"
        #else
        return "xdg-open"
        #endif
    }

    /// Spawns `arguments` (program looked up in PATH) with podtui's terminal and waits.
    /// Ctrl-C typed during the session belongs to the child, so a SIGINT/SIGQUIT podtui saw
    /// meanwhile is dropped; SIGTERM/SIGHUP stay pending and end podtui afterwards.
    static func run(_ arguments: [String], environment: [String: String] = [:]) -> Result<Int32, ExternalFailure> {
        let result = spawnAndWait(arguments, environment: environment)
        let pending = tg_pending_signal()
        if pending == SIGINT || pending == SIGQUIT { tg_clear_pending() }
        return result
    }

    /// Starts `arguments` with no terminal: stdin, stdout and stderr on /dev/null (it can never
    /// draw over curses) and a session of its own (no controlling terminal: a text-mode
    /// browser behind xdg-open cannot stop on SIGTTIN, and a Ctrl-C typed in podtui never
    /// reaches it). It is waited for on a Dispatch thread, never on Swift's cooperative pool,
    /// whose few threads run the store and HTTP (an opener may wait for the browser for as
    /// long as it runs). Fails when it cannot start or exits non-zero.
    static func launch(_ arguments: [String]) async -> Result<Int32, ExternalFailure> {
        let pid: pid_t
        switch ChildProcess.spawn(arguments, stdio: .devNull, ownGroup: true, newSession: true) {
        case .failure(let failure): return .failure(ExternalFailure(failure.reason))
        case .success(let started): pid = started
        }
        let status = await withCheckedContinuation { (continuation: CheckedContinuation<Result<Int32, ExternalFailure>, Never>) in
            DispatchQueue.global(qos: .utility).async { continuation.resume(returning: wait(pid)) }
        }
        switch status {
        case .success(0): return .success(0)
        case .success(let code): return .failure(ExternalFailure("\(arguments.first ?? "?") exited with \(code)"))
        case .failure(let failure): return .failure(failure)
        }
    }

    /// posix_spawn + waitpid on podtui's terminal; the exit status, or 128 + the signal that
    /// ended it.
    private static func spawnAndWait(_ arguments: [String], environment: [String: String]) -> Result<Int32, ExternalFailure> {
        switch ChildProcess.spawn(arguments, stdio: .inherit, ownGroup: false, extra: environment).mapError({ ExternalFailure($0.reason) }) {
        case .failure(let failure): return .failure(failure)
        case .success(let pid): return wait(pid)
        }
    }

    /// Starts `arguments` (see `ChildProcess.spawn`: default signals, none blocked, no
    /// YOTTA_* variables); `ownGroup` puts it in its own process group, so keys and the
    /// terminal's signals never reach it.
    static func spawn(_ arguments: [String], stdio: ChildProcess.Stdio, ownGroup: Bool) -> Result<pid_t, ExternalFailure> {
        ChildProcess.spawn(arguments, stdio: stdio, ownGroup: ownGroup).mapError { ExternalFailure($0.reason) }
    }

    /// Waits for `pid`; its exit status, or 128 + the signal that ended it.
    static func wait(_ pid: pid_t) -> Result<Int32, ExternalFailure> {
        ChildProcess.wait(pid).mapError { ExternalFailure($0.reason) }
    }
}
