import ArgumentParser
import FoundationEssentials
import Libc
import PodAPI
import PodProbe
import PodProbeRunner
import PodTUICore

/// `podtui forward ID|NAME REMOTE[:LOCAL]`: a port of a pod on 127.0.0.1 here, through the
/// user's own ssh (`ssh -N -L`), until Ctrl-C. Yotta pods expose ports only at create; this
/// reaches any other one (TensorBoard, a dev server) without exposing it.
struct ForwardCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forward",
        abstract: "Forward a pod's port to 127.0.0.1 through your ssh until Ctrl-C.",
        discussion: "REMOTE is the pod's port; LOCAL defaults to the same number, or the next free one when that is taken "
            + "(a LOCAL you name that is taken is refused). Listens on 127.0.0.1 only. The pod's sshCmd is read by the rules of "
            + "the s key: one with extra options, shell syntax or a remote command is refused. Exits 0 on Ctrl-C or SIGTERM, "
            + "else with ssh's status.")

    @OptionGroup var connection: ConnectionOptions
    @Argument(help: "Pod id or name.") var pod: String
    @Argument(help: "REMOTE[:LOCAL] ports, e.g. 6006 or 8888:18888.") var ports: String

    func run() throws {
        let wanted: ForwardPorts
        switch ForwardPorts.parse(ports) {
        case .success(let parsed): wanted = parsed
        case .failure(let failure): throw ValidationError(failure.reason)
        }
        let (service, _) = try connection.makeService()
        let (pod, ssh) = try PodSSH.reach(pod, service: service)
        var chosen = wanted
        switch LocalPort.choose(wanted) {
        case .success(let port): chosen.local = port
        case .failure(let failure):
            CLIOutput.error(failure.reason)
            throw ExitCode(1)
        }
        if chosen.local != wanted.local {
            CLIOutput.error("local port \(wanted.local) is taken; using \(chosen.local)")
        }
        CLIOutput.print("Forwarding \(chosen.localURL) to port \(chosen.remote) of \(TextSafety.clean(PodSSH.label(pod))) (Ctrl-C to stop)")
        let status = try ForegroundChild.run(ssh.forward(chosen), onSignal: .endChild)
        if status != 0 {
            CLIOutput.error("ssh ended with status \(status)")
            throw ExitCode(status)
        }
    }
}
