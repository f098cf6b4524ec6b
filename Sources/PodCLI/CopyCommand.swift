import ArgumentParser
import FoundationEssentials
import Libc
import PodAPI
import PodProbe
import PodProbeRunner

/// `podtui cp SRC DST`, one side `ID:PATH` or `NAME:PATH`: a file or (with -r) a directory to
/// or from a pod through the user's own ssh, with rsync when both ends have it, else scp.
struct CopyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cp",
        abstract: "Copy files to or from a pod (ID:PATH or NAME:PATH) through your ssh: rsync when both ends have it, else scp.",
        discussion: "A side is the pod's when it has a colon with no / before it (write ./a:b for a local file named a:b). "
            + "Progress is shown when stdout is a terminal. Uploads are refused when podtui is read-only (--read-only, or the "
            + "profile's read_only: true); downloads are allowed. Exit status: rsync's or scp's.")

    enum Via: String, ExpressibleByArgument, CaseIterable { case auto, rsync, scp }

    @OptionGroup var connection: ConnectionOptions
    @Flag(help: "Refuse uploads (downloads still work).") var readOnly = false
    @Flag(name: .customShort("r"), help: "Copy directories recursively.") var recursive = false
    @Option(help: "auto (rsync when both ends have it), rsync or scp.") var via: Via = .auto
    @Argument(help: "Source: a local path, or ID:PATH / NAME:PATH.") var source: String
    @Argument(help: "Destination: a local path, or ID:PATH / NAME:PATH.") var destination: String

    func run() throws {
        let spec: CopySpec
        switch CopySpec.parse(source: source, destination: destination) {
        case .success(let parsed): spec = parsed
        case .failure(let failure): throw ValidationError(failure.reason)
        }
        let (service, resolved) = try connection.makeService()
        let flag = readOnly || PodSSH.readOnlyFlag
        if spec.direction == .upload {
            try PodSSH.refuseIfReadOnly(flag || resolved.readOnly, flag: flag, "cp to a pod")
        }
        let (_, ssh) = try PodSSH.reach(spec.pod, service: service)
        let progress = isatty(STDOUT_FILENO) == 1
        let argv: [String]
        switch try tool(ssh) {
        case .rsync: argv = ssh.rsync(spec, recursive: recursive, progress: progress)
        case .scp, .auto: argv = ssh.scp(spec, recursive: recursive, progress: progress)
        }
        let status = try ForegroundChild.run(argv, onSignal: .forward)
        if status != 0 { throw ExitCode(status) }
    }

    /// rsync when it is on PATH here and `command -v rsync` finds it on the pod (asked
    /// without a password prompt, within 20 s), else scp; `--via` decides instead.
    func tool(_ ssh: SSHInvocation) throws -> Via {
        switch via {
        case .scp: return .scp
        case .rsync:
            guard ProgramPath.exists(ssh.rsync) else {
                CLIOutput.error("--via rsync: there is no rsync on PATH here")
                throw ExitCode(1)
            }
            return .rsync
        case .auto:
            guard ProgramPath.exists(ssh.rsync), ssh.rsyncShellIsPlain else { return .scp }
            guard case .success(let answer) = ChildProcess.capture(ssh.hasRsync(), deadline: 20),
                  answer.status == 0, !answer.stdout.trimmed.isEmpty else { return .scp }
            return .rsync
        }
    }
}
