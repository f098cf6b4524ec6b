import Foundation
import Logging
import Synchronization

/// A swift-log handler that appends to a file, never to the terminal curses owns, and
/// scrubs every registered secret from each line before writing it.
public struct FileLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let sink: FileLogSink

    public init(label: String, sink: FileLogSink, level: Logger.Level = .info) {
        self.label = label
        self.sink = sink
        self.logLevel = level
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        let meta = merged.isEmpty ? "" : " " + merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        let stamp = Date().formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
        sink.write("\(stamp) \(event.level) \(label): \(event.message)\(meta)\n")
    }
}

/// The log file shared by every handler; safe to write from any thread.
public final class FileLogSink: Sendable {
    private let fd: Int32
    private let lock = Mutex(())

    /// Opens (creating with mode 0600) the file at `path` for appending.
    public init?(path: String) {
        let dir = (path as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return nil }
        self.fd = fd
    }

    func write(_ line: String) {
        let clean = Secrets.redact(TextSafety.clean(line.hasSuffix("\n") ? String(line.dropLast()) : line)) + "\n"
        lock.withLock { _ in
            _ = clean.withCString { Foundation.write(fd, $0, strlen($0)) }
        }
    }

    /// `$XDG_STATE_HOME/podtui/podtui.log`, else `~/.local/state/podtui/podtui.log`.
    public static func defaultPath(environment: [String: String]) -> String {
        if let state = environment["XDG_STATE_HOME"], !state.isEmpty { return state + "/podtui/podtui.log" }
        return (environment["HOME"] ?? NSHomeDirectory()) + "/.local/state/podtui/podtui.log"
    }
}

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
