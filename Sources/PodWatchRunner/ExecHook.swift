import Dispatch
import FoundationEssentials
import Libc
import PodProbe
import PodProbeRunner
import PodWatch
import Synchronization

/// Runs an exec target's program for one event: argv as given (no shell), the event in its
/// environment (`WatchEvent.hookEnvironment`) with no YOTTA_* variable and no registered
/// secret (ChildProcess's rules), stdin on /dev/null, killed with its process group at the
/// deadline, at most 64 KiB of each output kept (for the log's last line), on a Dispatch
/// thread so a hook that never exits holds no thread of the cooperative pool.
public enum ExecHook {
    /// Runs the program for `event`; `running` (the watcher's) knows it while it runs, so a
    /// stopping watcher can end it.
    public static func run(_ arguments: [String], event: WatchEvent, timeout: Double, running: RunningHooks? = nil) async -> WebhookSender.Result {
        await withCheckedContinuation { continuation in
            DispatchQueue.global(qos: .utility).async {
                var child: pid_t = 0
                let result = ChildProcess.capture(arguments, deadline: timeout, limit: 64 * 1024, extra: event.hookEnvironment) { pid in
                    child = pid
                    running?.insert(pid)
                }
                // capture has reaped it, so its pid may be reused from here on: it leaves the set
                // at once. (A stopAll in the microseconds between could signal a new group with
                // that id only if the pid was reused, and as a group leader, within them.)
                if child != 0 { running?.remove(child) }
                switch result {
                case .failure(let failure):
                    continuation.resume(returning: .failed("could not run \(arguments.first ?? "?"): \(failure.reason)", permanent: false))
                case .success(let captured):
                    if captured.timedOut {
                        continuation.resume(returning: .failed("still running after \(Int(saturating: timeout.rounded())) s: killed", permanent: false))
                    } else if captured.status != 0 {
                        let last = captured.stderr.split(separator: "\n").last.map { ": " + $0.prefix(200) } ?? ""
                        continuation.resume(returning: .failed("exited with status \(captured.status)\(last)", permanent: false))
                    } else {
                        continuation.resume(returning: .delivered)
                    }
                }
            }
        }
    }
}

/// The exec hooks one watcher runs now, by pid (each leads its own session and process
/// group): their deadline is kept by the watcher's process only, so a stopping watcher ends
/// them rather than leave them running unwatched.
public final class RunningHooks: Sendable {
    private let pids = Mutex<Set<pid_t>>([])

    public init() {}

    func insert(_ pid: pid_t) { pids.withLock { _ = $0.insert(pid) } }
    func remove(_ pid: pid_t) { pids.withLock { _ = $0.remove(pid) } }

    /// How many run now.
    public var count: Int { pids.withLock { $0.count } }

    /// Kills every one with its process group (SIGKILL: the watcher is stopping and will not
    /// wait for a graceful end); returns how many. Their events stay owed.
    @discardableResult
    public func stopAll() -> Int {
        pids.withLock { pids in
            for pid in pids { kill(-pid, SIGKILL) }
            return pids.count
        }
    }
}
