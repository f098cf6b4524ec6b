import ArgumentParser
import FoundationEssentials
import Libc
import PodAPI
import PodProbe
import PodProbeRunner

/// `podtui exec ID|NAME -- CMD ARGS…`: one command on a pod through the user's own ssh,
/// each argument quoted for the remote shell, stdin and stdout passed through, and its exit
/// status passed on.
struct ExecCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exec",
        abstract: "Run one command on a pod through your ssh; its exit status is podtui's.",
        discussion: "Each argument after -- reaches the command as one argument: a space, ';' or '$' in it is not read by the "
            + "pod's shell. Without -t no terminal is allocated on the pod, so bytes pass through unchanged (pipe into it, "
            + "or out of it). Refused when podtui is read-only (--read-only, or the profile's read_only: true). "
            + "Exit status: the command's, 255 when ssh failed to connect.")

    @OptionGroup var connection: ConnectionOptions
    @Flag(help: "Refuse (exec could change the pod).") var readOnly = false
    @Flag(name: [.customShort("t"), .customLong("tty")], help: "Ask for a terminal on the pod (for interactive programs).") var tty = false
    @Argument(help: "Pod id or name.") var pod: String
    @Argument(parsing: .postTerminator, help: "The command and its arguments, after --.") var command: [String] = []

    func validate() throws {
        guard !command.isEmpty else { throw ValidationError("Give the command after --: podtui exec ID -- CMD ARGS") }
    }

    func run() throws {
        let (service, resolved) = try connection.makeService()
        let flag = readOnly || PodSSH.readOnlyFlag
        try PodSSH.refuseIfReadOnly(flag || resolved.readOnly, flag: flag, "exec")
        let (_, ssh) = try PodSSH.reach(pod, service: service)
        let status = try ForegroundChild.run(ssh.exec(command, tty: tty), onSignal: .forward)
        if status != 0 { throw ExitCode(status) }
    }
}
