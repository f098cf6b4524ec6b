import Dispatch
import FoundationEssentials
import PodProbe
import PodProbeRunner
import PodWatch

/// Runs an exec target's program for one event: argv as given (no shell), the event in its
/// environment (`WatchEvent.hookEnvironment`) with no YOTTA_* variable and no registered
/// secret (ChildProcess's rules), stdin on /dev/null, killed with its process group at the
/// deadline, at most 64 KiB of each output kept (for the log's last line), on a Dispatch
/// thread so a hook that never exits holds no thread of the cooperative pool.
public enum ExecHook {
    public static func run(_ arguments: [String], event: WatchEvent, timeout: Double) async -> WebhookSender.Result {
        await withCheckedContinuation { continuation in
            DispatchQueue.global(qos: .utility).async {
                let result = ChildProcess.capture(arguments, deadline: timeout, limit: 64 * 1024, extra: event.hookEnvironment)
                switch result {
                case .failure(let failure):
                    continuation.resume(returning: .failed("could not run \(arguments.first ?? "?"): \(failure.reason)", permanent: false))
                case .success(let captured):
                    if captured.timedOut {
                        continuation.resume(returning: .failed("still running after \(Int(timeout)) s: killed", permanent: false))
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
