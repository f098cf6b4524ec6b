import PodTUICore
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import PodAPI
import Logging
import Synchronization

/// The log file shared by every handler; safe to write from any thread.
public final class FileLogSink: Sendable {
    private let fd: Int32
    private let lock = Mutex(())
    /// The file's path (the demo simulator's stderr is appended to it too).
    public let path: String

    /// Opens (creating with mode 0600) the file at `path` for appending.
    public init?(path: String) {
        let dir = URL(fileURLWithPath: path).deletingLastPathComponent().path
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return nil }
        self.fd = fd
        self.path = path
    }

    func write(_ line: String) {
        let clean = Secrets.redact(TextSafety.clean(line.hasSuffix("\n") ? String(line.dropLast()) : line)) + "\n"
        lock.withLock { _ in
            _ = clean.withCString { Glibc.write(fd, $0, strlen($0)) }
        }
    }

    /// `$XDG_STATE_HOME/podtui/podtui.log`, else `~/.local/state/podtui/podtui.log`.
    public static func defaultPath(environment: [String: String]) -> String {
        if let state = environment["XDG_STATE_HOME"], !state.isEmpty { return state + "/podtui/podtui.log" }
        return (environment["HOME"] ?? HomeDirectory.path(environment: ProcessInfo.processInfo.environment)) + "/.local/state/podtui/podtui.log"
    }
}
