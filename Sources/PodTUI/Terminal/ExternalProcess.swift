import PodTUICore
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import TermGuard

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
        let stdio: Stdio = detached ? .devNull : .inherit
        switch spawn(arguments, stdio: stdio, ownGroup: detached) {
        case .failure(let failure): return .failure(failure)
        case .success(let pid): return wait(pid)
        }
    }

    /// Where a child's stdin, stdout and stderr go.
    enum Stdio {
        /// podtui's own (the terminal).
        case inherit
        /// All three on /dev/null: the child can never draw over curses.
        case devNull
        /// stdin and stdout onto these descriptors, stderr onto the third (all dup2'ed).
        case descriptors(stdin: Int32, stdout: Int32, stderr: Int32)
    }

    /// Starts `arguments` (a program with a `/` is run as it is, else looked up in PATH)
    /// with default signal handling (podtui ignores SIGPIPE; a child must not inherit that),
    /// no blocked signals and an environment without YOTTA_* variables; `ownGroup` puts it in
    /// its own process group, so keys and the terminal's signals never reach it.
    static func spawn(_ arguments: [String], stdio: Stdio, ownGroup: Bool) -> Result<pid_t, ExternalFailure> {
        guard let program = arguments.first else { return .failure(ExternalFailure("nothing to run")) }
        let env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("YOTTA_") }
            .map { "\($0.key)=\($0.value)" }
        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for sig in [SIGPIPE, SIGINT, SIGQUIT, SIGTERM, SIGHUP, SIGTSTP] { sigaddset(&defaults, sig) }
        posix_spawnattr_setsigdefault(&attr, &defaults)
        // The child would inherit this thread's mask, which is whatever started podtui gave
        // it: children start with none blocked (test_many checks ssh's SigBlk).
        var noneBlocked = sigset_t()
        sigemptyset(&noneBlocked)
        posix_spawnattr_setsigmask(&attr, &noneBlocked)
        var flags = POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK
        if ownGroup { flags |= POSIX_SPAWN_SETPGROUP }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        switch stdio {
        case .inherit: break
        case .devNull:
            for fd in [STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO] {
                posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", fd == STDIN_FILENO ? O_RDONLY : O_WRONLY, 0)
            }
        case .descriptors(let input, let output, let error):
            posix_spawn_file_actions_adddup2(&actions, input, STDIN_FILENO)
            posix_spawn_file_actions_adddup2(&actions, output, STDOUT_FILENO)
            posix_spawn_file_actions_adddup2(&actions, error, STDERR_FILENO)
        }
        posix_spawnattr_setflags(&attr, Int16(flags))

        let argv = arguments.map { strdup($0) } + [nil]
        let envp = env.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) }; envp.forEach { free($0) } }
        var pid: pid_t = 0
        let rc = posix_spawnp(&pid, program, &actions, &attr, argv, envp)
        guard rc == 0 else { return .failure(ExternalFailure("\(program): \(String(cString: strerror(rc)))")) }
        return .success(pid)
    }

    /// Waits for `pid`; its exit status, or 128 + the signal that ended it.
    static func wait(_ pid: pid_t) -> Result<Int32, ExternalFailure> {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            if errno != EINTR { return .failure(ExternalFailure("waitpid: \(String(cString: strerror(errno)))")) }
        }
        // WIFEXITED / WEXITSTATUS are macros.
        if status & 0x7f == 0 { return .success((status >> 8) & 0xff) }
        return .success(128 + (status & 0x7f))
    }
}
