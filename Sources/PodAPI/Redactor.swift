/// A set of secret values and the text with them blanked out: a plain value, so the UI's
/// state can carry one and rendering stays a pure function of that state.
public struct Redactor: Sendable, Equatable {
    /// The values to blank out, longest first (so a secret that contains another is
    /// replaced whole).
    public private(set) var secrets: [String] = []

    public init(_ secrets: [String] = []) {
        for secret in secrets { add(secret) }
    }

    /// Adds a value. Very short values are ignored (they would mangle ordinary text).
    public mutating func add(_ secret: String) {
        guard secret.count >= 6, !secrets.contains(secret) else { return }
        secrets.append(secret)
        secrets.sort { $0.count > $1.count }
    }

    /// `text` with every secret replaced by `<redacted>`.
    public func redact(_ text: String) -> String {
        var out = text
        for secret in secrets where out.contains(secret) {
            out = out.replacing(secret, with: "<redacted>")
        }
        return out
    }
}
