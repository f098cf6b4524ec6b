import FoundationEssentials
import Synchronization
import Dispatch
import PodAPI
import PodProbe
import Libc

/// Runs probes: one ssh per call (blocking, so callers run it on their own threads), read
/// into a report or a failure in plain words. Remembers every target it reached so `close`
/// can end their shared connections and remove the socket directory when podtui quits.
public final class ProbeRunner: Sendable {
    /// The command line, without its socket directory (made at the first probe).
    private let base: ProbeCommand
    private let stateDirectory: String?
    private let multiplex: Bool
    /// A probe that has not finished by then is killed.
    public let deadline: Double
    private let targets = Mutex<Set<ProbeTarget>>([])
    /// The socket directory: not made yet (nil), made, or not possible (.some(nil)).
    private let directory = Mutex<String??>(nil)
    /// ssh processes running now, and whether `close` has begun (no probe starts after it).
    private let running = Mutex<(pids: Set<pid_t>, closed: Bool)>(([], false))

    /// `stateDirectory` is where the socket directory goes (when its path is short enough);
    /// `multiplex: false` opens a new connection per probe.
    public init(ssh: String = "ssh", stateDirectory: String?, multiplex: Bool = true, connectTimeout: Int = 5,
                controlPersist: Int = 70, deadline: Double? = nil) {
        self.base = ProbeCommand(ssh: ssh, controlDirectory: nil, connectTimeout: connectTimeout, controlPersist: controlPersist)
        self.stateDirectory = stateDirectory
        self.multiplex = multiplex
        self.deadline = deadline ?? Double(connectTimeout) + 10
    }

    /// The command line probes use now (making the socket directory the first time).
    public var command: ProbeCommand {
        guard multiplex else { return base }
        var command = base
        command.controlDirectory = directory.withLock { dir -> String? in
            if let made = dir { return made }
            let made = Self.makeControlDirectory(in: stateDirectory)
            dir = .some(made)
            return made
        }
        return command
    }

    /// One probe of `target`.
    public func probe(_ target: ProbeTarget) -> Result<ProbeReport, ProbeFailure> {
        if running.withLock({ $0.closed }) { return .failure(ProbeFailure(.other, "podtui is quitting")) }
        targets.withLock { _ = $0.insert(target) }
        var child: pid_t = 0
        defer { running.withLock { _ = $0.pids.remove(child) } }
        let captured = ChildProcess.capture(command.arguments(for: target), deadline: deadline) { pid in
            child = pid
            // Registered under the same lock `close` takes: a probe that starts while podtui
            // quits is ended at once rather than left to open a connection nobody will close.
            let closed = running.withLock { state -> Bool in
                state.pids.insert(pid)
                return state.closed
            }
            if closed { kill(-pid, SIGKILL) }   // its process group: it leads its own session
        }
        switch captured {
        case .failure(let failure):
            if failure.kind == .noSSH { return .failure(ProbeFailure(.noSSH, "ssh is not installed here (\(failure.reason))")) }
            return .failure(failure)
        case .success(let captured):
            return Self.read(captured, deadline: deadline)
        }
    }

    /// A finished ssh run as a report or a failure.
    static func read(_ run: ChildProcess.Captured, deadline: Double) -> Result<ProbeReport, ProbeFailure> {
        if run.timedOut { return .failure(ProbeFailure(.timeout, "no answer within \(Int(saturating: deadline)) s")) }
        // The remote command ran (its marker is there): its output decides, whatever ssh's status.
        if run.stdout.contains("#podtui ") { return SMIOutput.parse(run.stdout, status: run.status) }
        let said = run.stderr.split(whereSeparator: \.isNewline).map { String($0).trimmed }.filter { !$0.isEmpty }
        let text = said.joined(separator: " ")
        let last = said.last.map { $0.count > 160 ? String($0.prefix(160)) + "…" : $0 } ?? "ssh exited with status \(run.status)"
        func has(_ needle: String) -> Bool { text.lowercased().contains(needle.lowercased()) }
        if has("Permission denied") {
            return .failure(ProbeFailure(.authRefused, "ssh login refused (\(last)): probes use your ssh agent and keys, never a password"))
        }
        if has("Host key verification failed") || has("REMOTE HOST IDENTIFICATION HAS CHANGED") {
            return .failure(ProbeFailure(.hostKey, "the pod's host key differs from the one known for it (Host key verification failed)"))
        }
        if has("timed out") { return .failure(ProbeFailure(.timeout, "ssh timed out connecting (\(last))")) }
        if has("Connection refused") || has("Could not resolve hostname") || has("No route to host")
            || has("Network is unreachable") || has("Connection closed") || has("Connection reset") {
            return .failure(ProbeFailure(.unreachable, "cannot reach the pod over ssh (\(last))"))
        }
        if run.status == 127 || has("not found") {
            return .failure(ProbeFailure(.noTool, "no nvidia-smi or rocm-smi on the pod (\(last))"))
        }
        return .failure(ProbeFailure(.other, "ssh failed: \(last)"))
    }

    /// Ends every shared connection this runner opened (`ssh -O exit`) and removes the
    /// socket directory. Called once, at quit.
    public func close() {
        // Probes still running are ended first: one opening a pod's first connection would
        // otherwise leave its ssh master behind, after the `-O exit` below.
        let children = running.withLock { state -> Set<pid_t> in
            state.closed = true
            return state.pids
        }
        for pid in children { kill(-pid, SIGKILL) }   // each leads its own session and group
        if !children.isEmpty { usleep(50_000) }
        let all = targets.withLock { targets -> Set<ProbeTarget> in
            defer { targets.removeAll() }
            return targets
        }
        guard case .some(.some(let dir)) = directory.withLock({ $0 }) else { return }
        var exitCommand = base
        exitCommand.controlDirectory = dir
        let command = exitCommand
        // All at once: each is a local socket request, but a wedged master must not hold
        // the quit for 3 s per pod.
        let list = Array(all)
        DispatchQueue.concurrentPerform(iterations: list.count) { i in
            if let argv = command.exitArguments(for: list[i]) { _ = ChildProcess.capture(argv, deadline: 3) }
        }
        try? FileManager.default.removeItem(atPath: dir)
    }

    // MARK: - The socket directory

    /// A unix socket path holds at most 107 bytes; ssh's `%C` is 40 and the temporary name
    /// it binds first adds 17 more.
    static let socketRoom = 107 - 1 - 40 - 17

    /// A new private (0700) directory for this process's control sockets: `ssh-HOST-PID` in
    /// `stateDirectory` when that path is plain (only `[A-Za-z0-9._/-]`: ssh splits `-o`
    /// values at spaces and expands `%` and `~` in ControlPath) and short enough for a socket,
    /// else a fresh one in /tmp. Directories this host's podtui processes left behind (a crash
    /// or SIGKILL skipped `close`) are removed first.
    public static func makeControlDirectory(in stateDirectory: String?) -> String? {
        if let state = stateDirectory, ProbeCommand.isPlainPath(state) {
            removeStale(in: state)
            let dir = state + "/" + directoryName(pid: getpid())
            if dir.utf8.count <= socketRoom, mkdir(dir, 0o700) == 0 || (errno == EEXIST && chmod(dir, 0o700) == 0) { return dir }
        }
        var template = Array("/tmp/podtui-ssh-XXXXXX".utf8CString)
        return template.withUnsafeMutableBufferPointer { buffer -> String? in
            guard let base = buffer.baseAddress, mkdtemp(base) != nil else { return nil }
            return String(cString: base)
        }
    }

    /// `ssh-HOST-PID`: HOST is 4 base-36 characters of a hash of this machine's host name
    /// (short: with `%C` the whole socket path must fit 107 bytes, and ~/.local/state/podtui
    /// is already 30), so podtui on another machine or container sharing the state directory
    /// (an NFS home) neither removes this one nor shares it when its PID is the same.
    static func directoryName(pid: pid_t, host: String = hostName) -> String {
        "ssh-\(hostTag(host))-\(pid)"
    }

    /// The host name (`gethostname`); "localhost" when there is none.
    static var hostName: String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
        let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return name.isEmpty ? "localhost" : name
    }

    /// FNV-1a of `host`, as 4 base-36 characters (one in 1.7 million names alike).
    static func hostTag(_ host: String) -> String {
        var hash: UInt32 = 2_166_136_261
        for byte in host.utf8 { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
        let text = String(hash % (36 * 36 * 36 * 36), radix: 36)
        return String(repeating: "0", count: 4 - text.count) + text
    }

    /// This host's `ssh-HOST-PID` directories whose process is gone. Another host's (and the
    /// old `ssh-PID` ones, which name no host) are left alone: a PID says nothing about a
    /// process on another machine.
    static func removeStale(in state: String, host: String = hostName) {
        let prefix = "ssh-\(hostTag(host))-"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: state)) ?? []
        for name in names where name.hasPrefix(prefix) {
            guard let pid = Int32(name.dropFirst(prefix.count)), pid > 0, pid != getpid() else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH { try? FileManager.default.removeItem(atPath: state + "/" + name) }
        }
    }
}
