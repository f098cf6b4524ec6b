import PodTUICore
import FoundationEssentials
import Libc
import Dispatch
import Synchronization
import PodProbe
import PodProbeRunner

/// The children the UI keeps running without the terminal: port-forwards (`ssh -N -L`, until
/// `x` or quit) and background plugins (until they end, or `Plugin.deadline`). Each runs in
/// a session of its own (no terminal: it never draws over curses, and Ctrl-C typed in podtui
/// never reaches it), with stdin on /dev/null, its output read through close-on-exec pipes,
/// an environment without YOTTA_* or the key (`ChildProcess`), and is waited for on a
/// Dispatch thread, never on the cooperative pool (a hung child holds up nothing else).
/// `closeAll` ends every one of them when the loop ends (quit, SIGTERM, SIGHUP).
public final class BackgroundChildren: Sendable {
    enum Child: Hashable { case forward(Int), plugin(Int) }

    private struct Table {
        var pids: [Child: pid_t] = [:]
        /// Forwards `x` stopped: their end is not a failure.
        var stopping: Set<Int> = []
        var closed = false
    }

    private let table = Mutex(Table())

    public init() {}

    /// Starts forward `request`: the local port chosen (the one asked for, else the next free
    /// when the user named none; a taken one the user named is refused with the reason),
    /// then ssh. `report` hears `.started`, `.ready` when ssh listens, and `.ended` once.
    public func startForward(_ request: ForwardRequest, report: @escaping @Sendable (ForwardEvent) -> Void) {
        DispatchQueue.global(qos: .userInitiated).async { [self] in
            var ports = request.ports
            switch LocalPort.choose(request.ports) {
            case .success(let port): ports.local = port
            case .failure(let failure):
                report(.ended(failure.reason))
                return
            }
            let argv = request.invocation.forward(ports)
            let child = Child.forward(request.id)
            let result = ChildProcess.capture(argv, deadline: 365 * 24 * 3600, limit: 16 * 1024) { pid in
                self.adopt(child, pid)
                report(.started(local: ports.local))
                let local = ports.local
                DispatchQueue.global(qos: .utility).async { self.watchListening(child, port: local, report: report) }
            }
            let stopped = table.withLock { t in
                t.pids[child] = nil
                return t.stopping.remove(request.id) != nil || t.closed
            }
            switch result {
            case .failure(let failure): report(.ended("ssh could not start: " + failure.reason))
            case .success(let captured):
                if stopped { report(.ended("")); return }
                let last = captured.stderr.split(whereSeparator: \.isNewline).last.map { String($0).trimmed } ?? ""
                report(.ended(last.isEmpty ? "ssh exited with status \(captured.status)" : last))
            }
        }
    }

    /// Ends forward `id`'s ssh (its whole process group).
    public func stopForward(_ id: Int) {
        let pid = table.withLock { t -> pid_t? in
            guard let pid = t.pids[.forward(id)] else { return nil }
            t.stopping.insert(id)
            return pid
        }
        if let pid { kill(-pid, SIGTERM) }
    }

    /// Runs a background plugin until it ends or `Plugin.deadline`; `done` hears how it ended
    /// and its last output lines (stdout, then stderr).
    public func runPlugin(_ run: PluginRun, done: @escaping @Sendable (PluginResult) -> Void) {
        DispatchQueue.global(qos: .utility).async { [self] in
            let child = Child.plugin(run.id)
            let result = ChildProcess.capture(run.arguments, deadline: Plugin.deadline, limit: 64 * 1024, extra: run.environment) { pid in
                self.adopt(child, pid)
            }
            table.withLock { $0.pids[child] = nil }
            switch result {
            case .failure(let failure): done(PluginResult(status: -1, output: [], timedOut: false, failure: failure.reason))
            case .success(let captured):
                let lines = (captured.stdout + (captured.stdout.isEmpty || captured.stdout.hasSuffix("\n") ? "" : "\n") + captured.stderr)
                    .split(whereSeparator: \.isNewline).map(String.init)
                done(PluginResult(status: captured.status, output: Array(lines.suffix(PluginState.lines)), timedOut: captured.timedOut))
            }
        }
    }

    /// Ends every child: SIGTERM to each process group, SIGKILL to what is left after 2 s.
    /// Children started after this are ended at once.
    public func closeAll() {
        let pids = table.withLock { t in
            t.closed = true
            return Array(t.pids.values)
        }
        for pid in pids { kill(-pid, SIGTERM) }
        let end = ContinuousClock.now + .seconds(2)
        while ContinuousClock.now < end, table.withLock({ !$0.pids.isEmpty }) { usleep(20_000) }
        for pid in table.withLock({ Array($0.pids.values) }) { kill(-pid, SIGKILL) }
    }

    /// The number of children running now (tests).
    public var running: Int { table.withLock { $0.pids.count } }

    /// Records a child that just started; one that starts after `closeAll` is ended at once.
    private func adopt(_ child: Child, _ pid: pid_t) {
        let closed = table.withLock { t in
            t.pids[child] = pid
            return t.closed
        }
        if closed { kill(-pid, SIGTERM) }
    }

    /// `.ready` once something listens on 127.0.0.1:`port` while the forward runs (read from
    /// /proc/net/tcp: asking by connecting would open a channel to the pod's service). Gives
    /// up after 60 s or when the forward ends; where /proc is missing, says ready at once.
    private func watchListening(_ child: Child, port: Int, report: @Sendable (ForwardEvent) -> Void) {
        let end = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < end, table.withLock({ $0.pids[child] != nil }) {
            guard let listening = Self.listening(port) else { report(.ready); return }
            if listening { report(.ready); return }
            usleep(100_000)
        }
    }

    /// Whether a socket listens on 127.0.0.1:`port` (IPv4), from /proc/net/tcp; nil when that
    /// file cannot be read.
    static func listening(_ port: Int) -> Bool? {
        let fd = open("/proc/net/tcp", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while bytes.count < 8 * 1024 * 1024 {
            let n = read(fd, &buffer, buffer.count)
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { break }
            bytes += buffer[0..<n]
        }
        let hexPort = String(UInt16(truncatingIfNeeded: port), radix: 16, uppercase: true)
        let wanted = "0100007F:" + String(repeating: "0", count: max(0, 4 - hexPort.count)) + hexPort
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n").dropFirst() {
            let fields = line.split(separator: " ")
            // sl, local_address, rem_address, st (0A is LISTEN)
            if fields.count > 3, fields[1] == wanted, fields[3] == "0A" { return true }
        }
        return false
    }
}
