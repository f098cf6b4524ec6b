import FoundationEssentials

/// The systemd user unit `podtui watch --systemd-unit` prints: restarted on failure, stopped
/// with SIGTERM (the watcher ends within 2 s), reloaded with SIGHUP, logging to the journal.
public enum SystemdUnit {
    /// The unit text for `executable` run with `arguments`.
    public static func text(executable: String, arguments: [String]) -> String {
        let command = ([executable] + arguments).map(quote).joined(separator: " ")
        return """
            # podtui watch as a systemd user service. Install:
            #   podtui watch --systemd-unit > ~/.config/systemd/user/podtui-watch.service
            #   systemctl --user daemon-reload
            #   systemctl --user enable --now podtui-watch.service
            #   loginctl enable-linger "$USER"    # keep it running after you log out
            # Logs: journalctl --user -u podtui-watch -f
            # Webhooks and exec hooks: config.yaml's watch: section (systemctl --user reload
            # podtui-watch rereads it). The API key comes from config.yaml or ~/.yotta/config,
            # never from this file.
            [Unit]
            Description=podtui watch: Yotta pods' timers, spend, events and /metrics
            After=network-online.target
            Wants=network-online.target

            [Service]
            Type=simple
            ExecStart=\(command)
            ExecReload=/bin/kill -HUP $MAINPID
            KillSignal=SIGTERM
            TimeoutStopSec=10
            Restart=on-failure
            RestartSec=10
            # A second watcher for the same profile exits 1 at once: do not loop on it.
            RestartPreventExitStatus=1

            [Install]
            WantedBy=default.target

            """
    }

    /// A systemd argument, quoted when it needs it (spaces, quotes, backslashes, `$`, `%`).
    static func quote(_ argument: String) -> String {
        let plain = !argument.isEmpty && argument.unicodeScalars.allSatisfy {
            $0.isASCII && $0.value > 0x20 && !"\"'\\$%;".unicodeScalars.contains($0)
        }
        if plain { return argument }
        var out = "\""
        for scalar in argument.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "$": out += "$$"
            case "%": out += "%%"
            default: out.unicodeScalars.append(scalar.value < 0x20 || scalar.value == 0x7f ? " " : scalar)
            }
        }
        return out + "\""
    }
}
