import PodAPI
import PodProbe

/// OpenSSH `Host` blocks for running pods, so `ssh yotta-NAME` (and VS Code Remote-SSH)
/// reach a pod by name, and the marked block podtui keeps in `~/.ssh/config`.
public enum SSHConfig {
    /// One `Host` entry.
    public struct Host: Sendable, Equatable {
        public var alias: String
        public var hostName: String
        public var port: Int?
        public var user: String?
        public var podID: Int64
    }

    public static let beginMarker = "# >>> podtui ssh-config: managed by podtui; edits between these markers are replaced >>>"
    public static let endMarker = "# <<< podtui ssh-config <<<"

    /// A host alias: `prefix` + the pod's name (or its id when it has none), every
    /// character outside `A-Za-z0-9._-` made `-`.
    public static func alias(for pod: Pod, prefix: String) -> String {
        let base = pod.isUnnamed ? String(pod.id) : pod.nameOrEmpty
        return prefix + String(base.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "_" || $0 == "-") ? $0 : "-" })
    }

    /// Where a pod's ssh goes: from `sshCmd` (`ssh user@host -p PORT`), else from its SSH port.
    public static func target(of pod: Pod) -> (host: String, port: Int?, user: String?)? {
        // The rules GPU probes and the `s` key use: any option but -p/-l (-o ProxyCommand=…,
        // -J, …) refuses the command, and the pod's SSH port is used instead, if it has one.
        // (A host and user ProbeTarget accepts are plain enough for ssh_config.)
        if case .success(let target) = ProbeTarget.parse(pod.sshCmd) {
            return (target.host, target.port, target.user)
        }
        if let ssh = pod.expose?.first(where: { $0.protocol.uppercased() == "SSH" }), let host = ssh.host, isSafe(host) {
            return (host, ssh.proxyPort ?? ssh.port, "root")
        }
        return nil
    }

    /// A host or user name that can go into ssh_config as it is (no spaces, quotes, `%`…).
    static func isSafe(_ word: String) -> Bool {
        !word.isEmpty && word.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || ".-_:[]".contains($0)) }
    }

    /// Entries for every RUNNING pod that can be reached; two pods sharing a name each get
    /// `-` and the last 6 digits of their id.
    public static func hosts(for pods: [Pod], prefix: String = "yotta-") -> [Host] {
        let running = pods.filter { $0.status == .running }.sorted { ($0.nameOrEmpty, $0.id) < ($1.nameOrEmpty, $1.id) }
        var counts: [String: Int] = [:]
        for pod in running { counts[alias(for: pod, prefix: prefix), default: 0] += 1 }
        return running.compactMap { pod in
            guard let target = target(of: pod) else { return nil }
            var name = alias(for: pod, prefix: prefix)
            if counts[name, default: 0] > 1 { name += "-" + String(String(pod.id).suffix(6)) }
            return Host(alias: name, hostName: target.host, port: target.port, user: target.user, podID: pod.id)
        }
    }

    /// The marked block for `hosts`.
    public static func block(_ hosts: [Host]) -> String {
        var lines = [beginMarker]
        for host in hosts {
            lines.append("Host \(host.alias)")
            lines.append("    HostName \(host.hostName)")
            if let port = host.port { lines.append("    Port \(port)") }
            if let user = host.user { lines.append("    User \(user)") }
            lines.append("    # pod \(host.podID)")
        }
        lines.append(endMarker)
        return lines.joined(separator: "\n") + "\n"
    }

    /// `existing` (a whole `~/.ssh/config`, or nil when there is none) with podtui's block
    /// replaced by `block`, or `block` appended when there was none. Nothing outside the
    /// markers changes.
    public static func merge(existing: String?, block: String) -> String {
        guard let existing, !existing.isEmpty else { return block }
        if let begin = existing.firstRange(of: beginMarker), let end = existing[begin.upperBound...].firstRange(of: endMarker) {
            var after = existing[end.upperBound...]
            if after.hasPrefix("\n") { after = after.dropFirst() }
            return String(existing[..<begin.lowerBound]) + block + after
        }
        return existing + (existing.hasSuffix("\n") ? "\n" : "\n\n") + block
    }
}
