import PodAPI

/// Where a pod's probe goes, read from its `sshCmd` as data: a host, a port and a user, never
/// options or a command. podtui builds the ssh command line itself from these three.
public struct ProbeTarget: Sendable, Equatable, Hashable {
    public var host: String
    public var port: Int?
    public var user: String?

    public init(host: String, port: Int?, user: String?) { self.host = host; self.port = port; self.user = user }

    /// `-o` options an `sshCmd` may carry that podtui ignores (its own settings replace
    /// them); any other option is refused.
    static let ignoredOptions: Set<String> = [
        "stricthostkeychecking", "userknownhostsfile", "serveraliveinterval", "serveralivecountmax",
        "connecttimeout", "loglevel", "identitiesonly", "batchmode",
    ]

    /// The target of `sshCmd`, or why podtui will not probe through it. Accepted: `ssh`,
    /// then `-p PORT`/`-pPORT`, `-l USER`, `-i FILE` and `-o` options from `ignoredOptions`
    /// (both ignored), and one
    /// destination (`user@host`, `host`, `ssh://user@host:port`). Anything else (another
    /// option such as `-oProxyCommand=…`, a remote command, shell syntax) is refused, so a
    /// hostile `sshCmd` can neither add options nor run commands here.
    public static func parse(_ sshCmd: String?) -> Result<ProbeTarget, ProbeFailure> {
        guard let command = sshCmd?.trimmed, !command.isEmpty else {
            return .failure(ProbeFailure(.noTarget, "the pod has no ssh command"))
        }
        let words = command.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard let first = words.first, first == "ssh" || first.hasSuffix("/ssh") else {
            return refuse("it is not an ssh command")
        }
        // Quotes, `$`, `;`, globs, control characters: not a plain command line, and
        // podtui runs no shell to make sense of one.
        let shellish = Set(";|&$`<>()\\\"'*?{}")
        if let odd = words.dropFirst().first(where: { w in w.contains(where: shellish.contains) || w.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7f } }) {
            return refuse("it holds shell syntax or control characters (\(shown(odd)))")
        }
        var port: Int?, user: String?, destination: String?
        var endOfOptions = false
        var i = 1
        func value(_ word: String, _ flag: String) -> (String?, Int) {
            if word.count > 2 { return (String(word.dropFirst(2)), 1) }
            return (i + 1 < words.count ? words[i + 1] : nil, 2)
        }
        while i < words.count {
            let word = words[i]
            if word == "--", !endOfOptions { endOfOptions = true; i += 1; continue }
            // Options may follow the destination (`ssh root@host -p 30003`); a word that is
            // not one is a remote command.
            if !word.hasPrefix("-") || endOfOptions, destination != nil { return refuse("it carries a remote command (\(shown(word)))") }
            if word.hasPrefix("-"), !endOfOptions {
                let flag = String(word.prefix(2))
                switch flag {
                case "-p":
                    let (text, used) = value(word, flag)
                    guard let text, let p = Int(text), (1...65_535).contains(p) else { return refuse("its port is not a number (\(shown(word)))") }
                    port = p; i += used
                case "-l":
                    let (text, used) = value(word, flag)
                    guard let text, isSafeName(text) else { return refuse("its user name is not plain (\(shown(word)))") }
                    user = text; i += used
                case "-i":
                    // A key path from the API means nothing on this machine: the user's own
                    // ssh config and agent decide which key is offered.
                    let (text, used) = value(word, flag)
                    guard text != nil else { return refuse("-i names no file") }
                    i += used
                case "-o":
                    let (text, used) = value(word, flag)
                    let key = (text ?? "").split(separator: "=").first.map { $0.lowercased() } ?? ""
                    guard ignoredOptions.contains(key) else {
                        return refuse("it passes the ssh option \(shown(word == "-o" ? "-o " + (text ?? "") : word)), which podtui does not pass on")
                    }
                    i += used
                default:
                    return refuse("it passes the ssh option \(shown(word)), which podtui does not pass on")
                }
                continue
            }
            destination = word
            i += 1
        }
        guard var dest = destination else { return refuse("it names no host") }
        if dest.hasPrefix("ssh://") {
            dest.removeFirst(6)
            if dest.hasSuffix("/") { dest.removeLast() }
            // `host:port` or `[v6]:port`; a bare IPv6 address has colons but no port.
            if let colon = dest.lastIndex(of: ":"), let p = Int(dest[dest.index(after: colon)...]), (1...65_535).contains(p),
               !dest.contains("[") || dest[..<colon].hasSuffix("]") {
                port = port ?? p
                dest = String(dest[..<colon])
            }
        }
        var host = dest
        if let at = dest.lastIndex(of: "@") {
            let name = String(dest[..<at])
            guard isSafeName(name) else { return refuse("its user name is not plain (\(shown(name)))") }
            user = name
            host = String(dest[dest.index(after: at)...])
        }
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard isSafeHost(host) else { return refuse("its host is not a plain host name (\(shown(host)))") }
        return .success(ProbeTarget(host: host, port: port, user: user))
    }

    /// Letters, digits, `.`, `-`, `_`, `:` (IPv6); not starting with `-` (ssh would read an option).
    static func isSafeHost(_ text: String) -> Bool {
        !text.isEmpty && !text.hasPrefix("-") && text.count <= 253
            && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || ".-_:".contains($0)) }
    }

    static func isSafeName(_ text: String) -> Bool {
        !text.isEmpty && !text.hasPrefix("-") && text.count <= 64
            && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || ".-_".contains($0)) }
    }

    private static func refuse(_ why: String) -> Result<ProbeTarget, ProbeFailure> {
        .failure(ProbeFailure(.noTarget, "the pod's ssh command was refused: " + why))
    }

    /// A word from the API as it may appear in a message: printable ASCII, at most 60 characters.
    static func shown(_ word: String) -> String {
        let clean = String(word.unicodeScalars.map { $0.isASCII && $0.value >= 0x20 && $0.value < 0x7f ? Character($0) : "?" })
        return clean.count > 60 ? String(clean.prefix(60)) + "…" : clean
    }

    /// Text for logs and the detail pane: `root@host:30003`.
    public var label: String {
        (user.map { $0 + "@" } ?? "") + (host.contains(":") ? "[\(host)]" : host) + (port.map { ":\($0)" } ?? "")
    }
}
