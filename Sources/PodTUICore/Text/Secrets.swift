import Foundation
import Synchronization

/// Secrets registered at start-up (the API key, registry passwords); logs and error text
/// shown on screen are scrubbed of them.
public enum Secrets {
    private static let known = Mutex<[String]>([])

    /// Adds a secret to scrub. Very short values are ignored (they would mangle ordinary text).
    public static func register(_ secret: String) {
        guard secret.count >= 6 else { return }
        known.withLock { if !$0.contains(secret) { $0.append(secret) } }
    }

    /// `text` with every registered secret replaced by `<redacted>`.
    public static func redact(_ text: String) -> String {
        let secrets = known.withLock { $0 }
        var out = text
        for secret in secrets where out.contains(secret) {
            out = out.replacingOccurrences(of: secret, with: "<redacted>")
        }
        return out
    }
}
