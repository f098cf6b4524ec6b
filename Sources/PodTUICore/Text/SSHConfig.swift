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
        // The fallback goes through the very same checks: a port outside 1–65535 would make
        // OpenSSH refuse the whole file (every ssh on the machine), and a HostName starting
        // with `-` could be read as an option by a ProxyCommand.
        if let ssh = pod.expose?.first(where: { $0.protocol.uppercased() == "SSH" }), let host = ssh.host,
           !host.contains(where: { $0.isWhitespace }) {
            let port = ssh.proxyPort ?? ssh.port
            let command = "ssh -p \(port) -- " + host
            if case .success(let target) = ProbeTarget.parse(command) {
                return (target.host, target.port, "root")
            }
        }
        return nil
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

    /// Why a config cannot be merged safely.
    public struct MergeError: Error, Sendable, Equatable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    /// `existing` (a whole `~/.ssh/config`, or nil when there is none) with podtui's block
    /// replaced by `block`, or `block` appended when there was none. Nothing outside the
    /// markers changes. A begin marker without its end marker after it throws (naming the
    /// line): the user edited the block, and guessing where it ends could delete their
    /// entries.
    public static func merged(existing: String?, block: String) throws -> String {
        let merged = try merge(bytes: existing.map { Array($0.utf8) }, block: block)
        return String(decoding: merged, as: UTF8.self)
    }

    /// `merged`, for callers that cannot stop: where a begin marker has no end of its own,
    /// the block that does end is the one replaced (the orphan marker, and every entry
    /// after it, stay), or the new block is appended. Nothing is deleted. Files are
    /// written with `merge(bytes:block:)`, which refuses instead.
    public static func merge(existing: String?, block: String) -> String {
        let bytes = existing.map { Array($0.utf8) }
        let merged = (try? merge(bytes: bytes, block: block, strict: false)) ?? ((bytes ?? []) + separator(bytes ?? []) + Array(block.utf8))
        return String(decoding: merged, as: UTF8.self)
    }

    /// The same on the file's bytes, so text in any encoding (a Latin-1 comment) outside
    /// the markers is kept byte for byte.
    public static func merge(bytes existing: [UInt8]?, block: String) throws -> [UInt8] {
        try merge(bytes: existing, block: block, strict: true)
    }

    static func merge(bytes existing: [UInt8]?, block: String, strict: Bool) throws -> [UInt8] {
        let blockBytes = Array(block.utf8)
        guard let existing, !existing.isEmpty else { return blockBytes }
        let begin = Array(beginMarker.utf8), end = Array(endMarker.utf8)
        guard let first = find(begin, in: existing, from: 0) else { return existing + separator(existing) + blockBytes }
        func orphan(_ at: Int) -> MergeError {
            let line = existing[..<at].reduce(1) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
            return MergeError(message: "line \(line) has podtui's begin marker but no end marker (\(endMarker)) of its own: "
                              + "restore the end marker, or remove podtui's block, and try again (nothing was written)")
        }
        guard let stop = find(end, in: existing, from: first + begin.count) else {
            if strict { throw orphan(first) }
            return existing + separator(existing) + blockBytes
        }
        // The begin that this end closes: the last one before it. Another before that one
        // has lost its end marker.
        var start = first
        while let next = find(begin, in: existing, from: start + begin.count), next < stop { start = next }
        if strict, start != first { throw orphan(first) }
        var after = stop + end.count
        if after < existing.count, existing[after] == UInt8(ascii: "\n") { after += 1 }
        return Array(existing[..<start]) + blockBytes + Array(existing[after...])
    }

    /// What goes between the user's text and an appended block: a blank line.
    static func separator(_ existing: [UInt8]) -> [UInt8] {
        if existing.isEmpty { return [] }
        return existing.last == UInt8(ascii: "\n") ? [UInt8(ascii: "\n")] : [UInt8(ascii: "\n"), UInt8(ascii: "\n")]
    }

    /// The first place `needle` starts in `haystack` at or after `from`.
    static func find(_ needle: [UInt8], in haystack: [UInt8], from: Int) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count, from <= haystack.count - needle.count else { return nil }
        var i = from
        while i <= haystack.count - needle.count {
            if haystack[i] == needle[0], haystack[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }
}
