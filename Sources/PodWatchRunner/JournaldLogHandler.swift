import FoundationEssentials
import Libc
import Logging
import PodAPI
import Synchronization

/// The watcher's log on stderr, one line per record, in the form journald reads: under
/// systemd (`JOURNAL_STREAM` set) each line starts with its syslog priority (`<3>` error …
/// `<7>` debug) and carries no time (the journal stamps it); elsewhere it starts with the UTC
/// time and the level. Every line goes through `Secrets.redact` (a webhook URL or the key
/// never reaches the log) and has its control characters replaced.
public struct JournaldLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    private let journal: Bool
    private static let lock = Mutex(())

    public init(level: Logger.Level, environment: [String: String]) {
        logLevel = level
        journal = !(environment["JOURNAL_STREAM"] ?? "").isEmpty
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let text = Self.line(event.message.description, level: event.level, journal: journal, now: Date())
        // One write(2) per line under a lock: lines of two threads never interleave.
        let bytes = Array(text.utf8)
        Self.lock.withLock { _ in
            var done = 0
            while done < bytes.count {
                let n = bytes[done...].withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
                if n <= 0 { if n < 0, errno == EINTR { continue }; break }
                done += n
            }
        }
    }

    /// One log line (with its newline).
    static func line(_ message: String, level: Logger.Level, journal: Bool, now: Date) -> String {
        let clean = String(String.UnicodeScalarView(Secrets.redact(message).unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7f ? " " : $0 }))
        if journal { return "<\(priority(level))>\(clean)\n" }
        return "\(Timestamp.iso8601(now)) \(level.rawValue) \(clean)\n"
    }

    static func priority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: 7
        case .info: 6
        case .notice: 5
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }
}
