import PodProbe

/// Turns the API's `sshCmd` ("ssh root@host -p 30003") into argv for the `s` key, and into the
/// line the `c` key copies. Both are rebuilt from the host, port and user alone, never the
/// API's text: a refused command is neither run nor copied.
public enum SSHCommand {
    /// `ssh [-p PORT] [-l USER] -- HOST`, built from the host, port and user the command
    /// names (`ProbeTarget.parse`, the rules GPU probes use); nil when podtui refuses it: an
    /// option such as `-oProxyCommand=…` would run a command here, shell syntax would not
    /// work without a shell, and a remote command is not what `s` is for.
    public static func arguments(_ command: String) -> [String]? {
        guard case .success(let argv) = rebuilt(command) else { return nil }
        return argv
    }

    /// The line `c` copies: the same command `s` runs, as shell-safe words (host, user and
    /// port hold only letters, digits and `.-_:`), so pasting it into a shell can run nothing
    /// but ssh to that host. A refused command gives the refusal instead (in words).
    public static func copyText(_ command: String?) -> Result<String, ProbeFailure> {
        rebuilt(command).flatMap { argv in
            // Defence in depth: ProbeTarget's rules already allow nothing else.
            guard argv.allSatisfy(isShellSafe) else {
                return .failure(ProbeFailure(.noTarget, "the pod's ssh command was refused: it holds characters a shell would read"))
            }
            return .success(argv.joined(separator: " "))
        }
    }

    private static func rebuilt(_ command: String?) -> Result<[String], ProbeFailure> {
        ProbeTarget.parse(command).map { target in
            var argv = ["ssh"]
            if let port = target.port { argv += ["-p", String(port)] }
            if let user = target.user { argv += ["-l", user] }
            return argv + ["--", target.host]
        }
    }

    /// A word a POSIX shell reads as itself: ASCII letters, digits and `.-_:/@`, not empty.
    static func isShellSafe(_ word: String) -> Bool {
        !word.isEmpty && word.unicodeScalars.allSatisfy { s in
            (s.value >= 0x30 && s.value <= 0x39) || (s.value >= 0x41 && s.value <= 0x5A) || (s.value >= 0x61 && s.value <= 0x7A)
                || ".-_:/@".unicodeScalars.contains(s)
        }
    }
}
