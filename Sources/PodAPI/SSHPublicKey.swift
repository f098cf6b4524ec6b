/// The user's ssh public key, sent at create as the `PUBLIC_KEY` environment variable (the
/// official Yotta images add it to `authorized_keys`, so ssh works without a console step).
/// What may be sent, and how a template refers to a key file instead of holding its text.
public enum SSHPublicKey {
    /// The environment variable the images read.
    public static let environmentKey = "PUBLIC_KEY"

    /// The files tried, in order, in `~/.ssh` when no `--ssh-key` is given.
    public static let defaultFiles = ["id_ed25519.pub", "id_ecdsa.pub", "id_rsa.pub"]

    /// A key file longer than this is not a public key (an RSA-16384 line is about 2.8 KB).
    public static let sizeLimit = 16 * 1024

    /// Key types OpenSSH writes into a `.pub` file.
    static let types: Set<String> = [
        "ssh-ed25519", "ssh-rsa", "ssh-dss", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521",
        "sk-ssh-ed25519@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com",
    ]

    /// In a saved template or a `--from-file` request, `PUBLIC_KEY` whose value is
    /// `@PATH` names the key file (read at create), never the key itself: a real key starts
    /// with its type, never with `@`.
    public static func reference(path: String) -> String { "@" + path }

    /// The path a `@PATH` value names, or nil for any other value.
    public static func referencedPath(_ value: String) -> String? {
        guard value.hasPrefix("@"), value.count > 1 else { return nil }
        return String(value.dropFirst())
    }

    /// The one line of a `.pub` file to send (`TYPE BASE64 [COMMENT]`), or why the text is
    /// not one: a private key, several lines, an unknown type, a body that is not base64, or
    /// control characters are all refused, so nothing but a public key leaves the machine.
    public static func line(from text: String) -> Result<String, SSHPublicKeyProblem> {
        if text.contains("PRIVATE KEY") {
            return .failure(SSHPublicKeyProblem("it holds a PRIVATE key; give the .pub file"))
        }
        let lines = text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }).map { $0.trimmed }.filter { !$0.isEmpty }
        guard lines.count == 1, let line = lines.first else {
            return .failure(SSHPublicKeyProblem(lines.isEmpty ? "it is empty" : "it has \(lines.count) lines; a public key file has one"))
        }
        guard line.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7f && $0.value < 0x80 }) else {
            return .failure(SSHPublicKeyProblem("it holds control or non-ASCII characters"))
        }
        let words = line.split(separator: " ", omittingEmptySubsequences: true)
        guard words.count >= 2, types.contains(String(words[0])) else {
            return .failure(SSHPublicKeyProblem("it does not start with a key type such as ssh-ed25519"))
        }
        let body = words[1]
        guard body.count >= 16, body.unicodeScalars.allSatisfy({ s in
            (s.value >= 0x30 && s.value <= 0x39) || (s.value >= 0x41 && s.value <= 0x5A) || (s.value >= 0x61 && s.value <= 0x7A) || "+/=".unicodeScalars.contains(s)
        }) else {
            return .failure(SSHPublicKeyProblem("its key is not base64"))
        }
        return .success(line)
    }
}

/// Why a file is not sent as the ssh public key.
public struct SSHPublicKeyProblem: Error, Sendable, Equatable {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
}
