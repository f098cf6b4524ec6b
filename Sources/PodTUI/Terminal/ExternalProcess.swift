import PodTUICore
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import TermGuard
import PodProbe

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
    static func run(_ arguments: [String]) -> Result<Int32, ExternalFailure> {
        let result = spawnAndWait(arguments, detached: false)
        let pending = tg_pending_signal()
        if pending == SIGINT || pending == SIGQUIT { tg_clear_pending() }
        return result
    }

    /// Starts `arguments` with no terminal (stdin, stdout and stderr on /dev/null, so it can
    /// never draw over curses) in its own process group (a Ctrl-C typed in podtui never
    /// reaches it), and waits for it here (off the UI thread). Fails when it cannot start or
    /// exits non-zero.
    static func launch(_ arguments: [String]) -> Result<Int32, ExternalFailure> {
        switch spawnAndWait(arguments, detached: true) {
        case .success(0): return .success(0)
        case .success(let code): return .failure(ExternalFailure("\(arguments.first ?? "?") exited with \(code)"))
        case .failure(let failure): return .failure(failure)
        }
    }

    /// posix_spawn + waitpid; the exit status, or 128 + the signal that ended it.
    private static func spawnAndWait(_ arguments: [String], detached: Bool) -> Result<Int32, ExternalFailure> {
        let stdio: ChildProcess.Stdio = detached ? .devNull : .inherit
        switch spawn(arguments, stdio: stdio, ownGroup: detached) {
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
