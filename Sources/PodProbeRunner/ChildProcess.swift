import FoundationEssentials
import Libc
import PodAPI
import PodProbe

/// Starting other programs safely: default signal handling (podtui ignores SIGPIPE; a child
/// must not inherit that), no blocked signals, and an environment without podtui's secrets.
/// Used for the probes' ssh here, and by the UI runtime for ssh with the terminal and the
/// browser launcher.
public enum ChildProcess {
    /// Where a child's stdin, stdout and stderr go.
    public enum Stdio: Sendable {
        /// podtui's own (the terminal).
        case inherit
        /// All three on /dev/null: the child can never draw over curses.
        case devNull
        /// stdin, stdout and stderr onto these descriptors (dup2'ed).
        case descriptors(stdin: Int32, stdout: Int32, stderr: Int32)
    }

    /// What a child may see of podtui's environment: everything but YOTTA_* variables and
    /// any variable whose value holds a registered secret (the API key under another name).
    public static func environment(_ base: [String: String] = ProcessInfo.processInfo.environment,
                                   secrets: Redactor = Secrets.snapshot) -> [String] {
        base.filter { key, value in
            !key.hasPrefix("YOTTA_") && !secrets.secrets.contains { !$0.isEmpty && value.contains($0) }
        }.map { "\($0.key)=\($0.value)" }.sorted()
    }

    /// Starts `arguments` (a program with a `/` is run as it is, else looked up in PATH).
    /// `newSession` puts it in a session of its own: no controlling terminal, so it can
    /// never read keys or draw, and the terminal's signals never reach it; `ownGroup` only
    /// a process group of its own.
    /// `extra` adds variables (a plugin's `$POD_…`), filtered by the same rules.
    public static func spawn(_ arguments: [String], stdio: Stdio, ownGroup: Bool, newSession: Bool = false,
                             extra: [String: String] = [:]) -> Result<pid_t, ProbeFailure> {
        guard let program = arguments.first else { return .failure(ProbeFailure(.other, "nothing to run")) }
        let env = extra.isEmpty ? environment() : environment(ProcessInfo.processInfo.environment.merging(extra) { $1 })
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
        var flags = Int32(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK)
        #if os(Linux)
        // glibc's POSIX_SPAWN_SETSID (2.26+), a GNU extension the Glibc module does not import.
        if newSession { flags |= 0x80 } else if ownGroup { flags |= Int32(POSIX_SPAWN_SETPGROUP) }
        #else
        if newSession || ownGroup { flags |= Int32(POSIX_SPAWN_SETPGROUP) }
        #endif
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
        guard rc == 0 else {
            return .failure(ProbeFailure(rc == ENOENT ? .noSSH : .other, "\(program): \(String(cString: strerror(rc)))"))
        }
        return .success(pid)
    }

    /// Waits for `pid`; its exit status, or 128 + the signal that ended it.
    public static func wait(_ pid: pid_t) -> Result<Int32, ProbeFailure> {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            if errno != EINTR { return .failure(ProbeFailure(.other, "waitpid: \(String(cString: strerror(errno)))")) }
        }
        return .success(exitCode(status))
    }

    /// WIFEXITED / WEXITSTATUS are macros Swift cannot import.
    static func exitCode(_ status: Int32) -> Int32 {
        status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }

    /// A pipe whose two ends are close-on-exec from the moment they exist (`pipe2` with
    /// `O_CLOEXEC`), so no child another thread spawns meanwhile inherits either; nil when
    /// it cannot be made (errno says why).
    static func makePipe() -> (read: Int32, write: Int32)? {
        var fds: [Int32] = [-1, -1]
        #if os(Linux)
        // Swift's Glibc module does not export pipe2 (a GNU extension; glibc has had it since
        // 2.9), and PodProbe may not depend on TermGuard's C shim: found by name instead.
        typealias Pipe2 = @convention(c) (UnsafeMutablePointer<Int32>?, Int32) -> Int32
        guard let symbol = dlsym(nil, "pipe2") else { return nil }   // nil is RTLD_DEFAULT
        let pipe2 = unsafeBitCast(symbol, to: Pipe2.self)
        guard fds.withUnsafeMutableBufferPointer({ pipe2($0.baseAddress, O_CLOEXEC) }) == 0 else { return nil }
        #else
        // No pipe2 here: set right after, as close as this platform allows.
        guard pipe(&fds) == 0 else { return nil }
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        #endif
        return (fds[0], fds[1])
    }

    /// What a captured run printed and how it ended.
    public struct Captured: Sendable, Equatable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
        /// Killed at the deadline.
        public var timedOut: Bool
    }

    /// Runs `arguments` in a session of its own with stdin on /dev/null, collecting stdout and
    /// stderr (at most `limit` bytes each) until it exits; killed at `deadline` seconds.
    /// Blocking: call it off the UI thread and off Swift's cooperative pool.
    /// `started` learns the child's pid as soon as it runs (so an owner can end it early).
    public static func capture(_ arguments: [String], deadline seconds: Double, limit: Int = 64 * 1024, extra: [String: String] = [:],
                               started: (pid_t) -> Void = { _ in }) -> Result<Captured, ProbeFailure> {
        // Both ends close-on-exec from the start: podtui's own ends must not leak into this or
        // any other child (the write ends reach this one only as its stdout and stderr).
        guard let outPipe = makePipe() else { return .failure(ProbeFailure(.other, "pipe: \(String(cString: strerror(errno)))")) }
        guard let errPipe = makePipe() else {
            close(outPipe.read); close(outPipe.write)
            return .failure(ProbeFailure(.other, "pipe: \(String(cString: strerror(errno)))"))
        }
        let out = [outPipe.read, outPipe.write], err = [errPipe.read, errPipe.write]
        let null = open("/dev/null", O_RDONLY | O_CLOEXEC)
        let spawned = spawn(arguments, stdio: .descriptors(stdin: null, stdout: out[1], stderr: err[1]), ownGroup: true, newSession: true,
                            extra: extra)
        close(out[1]); close(err[1])
        if null >= 0 { close(null) }
        guard case .success(let pid) = spawned else {
            close(out[0]); close(err[0])
            if case .failure(let failure) = spawned { return .failure(failure) }
            return .failure(ProbeFailure(.other, "could not start \(arguments.first ?? "?")"))
        }
        started(pid)
        var outBytes: [UInt8] = [], errBytes: [UInt8] = []
        var open = [out[0], err[0]]
        let end = ContinuousClock.now + .milliseconds(Int(saturating: seconds * 1000))
        var timedOut = false
        var exited: Int32?
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !open.isEmpty {
            if exited == nil {
                var status: Int32 = 0
                if waitpid(pid, &status, WNOHANG) == pid { exited = exitCode(status) }
            }
            if ContinuousClock.now >= end { timedOut = exited == nil; break }
            var fds = open.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            // Output and the end of output wake this at once; the timeout is only for a child
            // that exited while something it left behind keeps a pipe open, so it can be long
            // (a hung probe then costs 4 wakeups a second, not 20). After the child exited,
            // whatever is still buffered is read without waiting.
            let ready = poll(&fds, nfds_t(fds.count), exited == nil ? 250 : 0)
            if ready < 0 && errno != EINTR { break }
            if ready == 0 && exited != nil { break }
            for p in fds where p.revents != 0 {
                let n = read(p.fd, &buffer, buffer.count)
                if n > 0 {
                    if p.fd == out[0] { if outBytes.count < limit { outBytes += buffer[0..<n] } } else if errBytes.count < limit { errBytes += buffer[0..<n] }
                } else if n == 0 || (errno != EINTR && errno != EAGAIN) {
                    open.removeAll { $0 == p.fd }
                }
            }
        }
        close(out[0]); close(err[0])
        // Its pipes closed (or the deadline passed) before it exited: wait for it until the
        // deadline, then kill it.
        while exited == nil {
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid { exited = exitCode(status); break }
            if timedOut || ContinuousClock.now >= end {
                timedOut = true
                // The whole process group (the child leads its own session): a ProxyCommand
                // or ProxyJump ssh it started must not outlive it.
                kill(-pid, SIGKILL)
                if case .success(let code) = wait(pid) { exited = code } else { exited = -1 }
                break
            }
            usleep(20_000)
        }
        return .success(Captured(status: exited ?? -1, stdout: String(decoding: outBytes, as: UTF8.self),
                                 stderr: String(decoding: errBytes, as: UTF8.self), timedOut: timedOut))
    }
}
