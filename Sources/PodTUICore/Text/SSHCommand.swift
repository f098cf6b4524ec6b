import PodProbe

/// Turns the API's `sshCmd` ("ssh root@host -p 30003") into argv for the `s` key.
public enum SSHCommand {
    /// `ssh [-p PORT] [-l USER] -- HOST`, built from the host, port and user the command
    /// names (`ProbeTarget.parse`, the rules GPU probes use); nil when podtui refuses it: an
    /// option such as `-oProxyCommand=…` would run a command here, shell syntax would not
    /// work without a shell, and a remote command is not what `s` is for.
    public static func arguments(_ command: String) -> [String]? {
        guard case .success(let target) = ProbeTarget.parse(command) else { return nil }
        var argv = ["ssh"]
        if let port = target.port { argv += ["-p", String(port)] }
        if let user = target.user { argv += ["-l", user] }
        return argv + ["--", target.host]
    }
}
