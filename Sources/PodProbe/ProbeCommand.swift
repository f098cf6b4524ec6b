/// The ssh command line of a probe, built by podtui (the API gives only host, port and
/// user). It never asks for a password (`BatchMode`), gives up quickly on an unreachable
/// pod, records a new host key but refuses a changed one (`accept-new`), forwards nothing,
/// and shares one connection per pod between probes (`ControlMaster`, sockets in a private
/// directory), so a probe after the first costs one round trip instead of a handshake.
public struct ProbeCommand: Sendable {
    /// The ssh program (looked up in PATH unless it has a `/`).
    public var ssh: String
    /// Where the control sockets live (0700); nil: no multiplexing.
    public var controlDirectory: String?
    /// Seconds for the TCP connect and the ssh handshake.
    public var connectTimeout: Int
    /// Seconds an idle shared connection stays open: a little over two probe intervals, so
    /// it lasts between probes and still ends by itself when podtui is gone.
    public var controlPersist: Int

    public init(ssh: String = "ssh", controlDirectory: String?, connectTimeout: Int = 5, controlPersist: Int = 70) {
        self.ssh = ssh; self.controlDirectory = controlDirectory
        self.connectTimeout = connectTimeout; self.controlPersist = controlPersist
    }

    /// Options every probe passes, before the destination.
    func options() -> [String] {
        var options = [
            "-o", "BatchMode=yes",
            "-o", "ConnectTimeout=\(connectTimeout)",
            "-o", "StrictHostKeyChecking=accept-new",
            "-o", "ServerAliveInterval=10", "-o", "ServerAliveCountMax=2",
            "-o", "ClearAllForwardings=yes", "-o", "PermitLocalCommand=no",
            "-o", "LogLevel=ERROR",
            "-T", "-x", "-a",
        ]
        // ssh splits an -o value at spaces and expands % and ~ in it: a directory with
        // anything else than plain characters is not used (no multiplexing rather than a
        // wrong path; ProbeRunner never makes one).
        if let dir = controlDirectory, Self.isPlainPath(dir) {
            options += ["-o", "ControlMaster=auto", "-o", "ControlPath=\(dir)/%C", "-o", "ControlPersist=\(controlPersist)"]
        }
        return options
    }

    /// `ssh OPTIONS [-p PORT] [-l USER] -- HOST COMMAND`: the host is after `--`, so even a
    /// name starting with `-` could not be read as an option.
    public func arguments(for target: ProbeTarget) -> [String] {
        var argv = [ssh] + options()
        if let port = target.port { argv += ["-p", String(port)] }
        if let user = target.user { argv += ["-l", user] }
        return argv + ["--", target.host, SMIOutput.remoteCommand]
    }

    /// `ssh -O exit` for the shared connection of `target`: ends its master at quit.
    public func exitArguments(for target: ProbeTarget) -> [String]? {
        guard let dir = controlDirectory, Self.isPlainPath(dir) else { return nil }
        var argv = [ssh, "-o", "ControlPath=\(dir)/%C", "-o", "BatchMode=yes", "-o", "LogLevel=QUIET"]
        if let port = target.port { argv += ["-p", String(port)] }
        if let user = target.user { argv += ["-l", user] }
        return argv + ["-O", "exit", "--", target.host]
    }

    /// True for a path ssh takes as it is in `-o ControlPath=…`: letters, digits, `.`, `_`,
    /// `/` and `-` only.
    public static func isPlainPath(_ path: String) -> Bool {
        !path.isEmpty && path.utf8.allSatisfy { b in
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x2E || b == 0x5F || b == 0x2F || b == 0x2D
        }
    }
}
