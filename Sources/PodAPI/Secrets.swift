import Synchronization

/// The secrets this process knows (the API key, registry passwords), for the places that
/// have no UI state to carry a `Redactor`: the log file, the CLI's error line and crash
/// output. The UI copies it into its state (`AppState.settings.redactor`) and renders from that.
public enum Secrets {
    private static let known = Mutex(Redactor())

    /// Adds a secret to scrub. Very short values are ignored (they would mangle ordinary text).
    public static func register(_ secret: String) {
        known.withLock { $0.add(secret) }
    }

    /// `text` with every registered secret replaced by `<redacted>`.
    public static func redact(_ text: String) -> String {
        known.withLock { $0 }.redact(text)
    }

    /// Every secret registered so far, as a value.
    public static var snapshot: Redactor { known.withLock { $0 } }
}
