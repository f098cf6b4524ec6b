import ArgumentParser
import FoundationEssentials
import Libc
import PodAPI
import PodClient
import PodProbe
import PodProbeRunner
import TermGuard

/// What `podtui forward`, `cp` and `exec` share: the pod named by id or name, how ssh
/// reaches it (refused by the rules of `s`), and running the child on this terminal.
enum PodSSH {
    /// The pod `text` names and its ssh invocation; exits 1 with one line when there is no
    /// such pod, several share the name, it is not RUNNING or its `sshCmd` is refused.
    static func reach(_ text: String, service: HTTPPodService) throws -> (Pod, SSHInvocation) {
        let list = try Blocking.run { try await service.listPods() }
        let found = PodLookup.find(text, in: list.pods).flatMap { pod in PodLookup.invocation(for: pod).map { (pod, $0) } }
        switch found {
        case .success(let pair): return pair
        case .failure(let failure):
            CLIOutput.error(failure.reason)
            throw ExitCode(1)
        }
    }

    /// Refuses, with one line saying why and exit status 2, what would change a pod when
    /// podtui runs read-only (`--read-only`, or the profile's `read_only: true`).
    static func refuseIfReadOnly(_ readOnly: Bool, flag: Bool, _ what: String) throws {
        guard readOnly else { return }
        CLIOutput.error("read-only: \(what) could change the pod, so it is refused (\(flag ? "--read-only" : "the profile has read_only: true"))")
        throw ExitCode(2)
    }

    /// `--read-only` on the command line (before `--`): swift-argument-parser hands a flag
    /// that the root command declares too to the root (`podtui --read-only` starts the UI
    /// read-only), so a subcommand's own `@Flag` of that name stays false; this reads it
    /// wherever it was written.
    static var readOnlyFlag: Bool {
        CommandLine.arguments.dropFirst().prefix { $0 != "--" }.contains("--read-only")
    }

    /// "pod NAME (ID)" for messages, the name made safe to print.
    static func label(_ pod: Pod) -> String {
        pod.name.map { "pod \($0) (\(pod.id))" } ?? "pod \(pod.id)"
    }
}

/// A child that owns the terminal until it ends (ssh, scp, rsync): it gets podtui's stdin,
/// stdout and stderr, default signal handling and an environment without YOTTA_* or the
/// API key (`ChildProcess.spawn`), in podtui's process group, so Ctrl-C typed on the
/// terminal reaches it directly.
enum ForegroundChild {
    /// What podtui does with SIGINT, SIGTERM, SIGHUP and SIGQUIT it receives meanwhile.
    enum OnSignal {
        /// Hand each on to the child and report how the child ended (`exec`, `cp`).
        case forward
        /// End the child (SIGTERM, SIGKILL after 5 s) and report success (`forward`).
        case endChild
    }

    /// Runs `arguments` and waits; the exit status to pass on (128 + a signal that ended it).
    static func run(_ arguments: [String], onSignal: OnSignal) throws -> Int32 {
        // SIGINT, SIGTERM, SIGHUP and SIGQUIT now only set a flag in podtui (the child gets
        // the default handling), so podtui outlives its child and reports how it ended.
        tg_begin()
        tg_clear_pending()
        let pid: pid_t
        switch ChildProcess.spawn(arguments, stdio: .inherit, ownGroup: false) {
        case .success(let started): pid = started
        case .failure(let failure):
            CLIOutput.error("cannot run \(arguments.first ?? "?"): \(failure.reason)")
            throw ExitCode(failure.kind == .noSSH ? 127 : 1)
        }
        var ending: ContinuousClock.Instant?
        while true {
            var status: Int32 = 0
            let done = waitpid(pid, &status, WNOHANG)
            if done == pid {
                // Ctrl-C reaches the whole group: ssh may end of it (255) before this loop
                // saw the flag, and that is still the user stopping a forward.
                let stopped = ending != nil || (onSignal == .endChild && tg_pending_signal() != 0)
                return stopped ? 0 : exitCode(status)
            }
            if done < 0 && errno != EINTR {
                CLIOutput.error("waitpid: \(String(cString: strerror(errno)))")
                throw ExitCode(1)
            }
            let signal = tg_pending_signal()
            if signal != 0 {
                tg_clear_pending()
                switch onSignal {
                case .forward: kill(pid, signal)
                case .endChild:
                    if ending == nil { ending = .now; kill(pid, SIGTERM) }
                }
            }
            if let began = ending, ContinuousClock.now - began > .seconds(5) { kill(pid, SIGKILL) }
            usleep(20_000)
        }
    }

    /// WIFEXITED / WEXITSTATUS are macros Swift cannot import: the status, or 128 + the signal.
    static func exitCode(_ status: Int32) -> Int32 {
        status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }
}
