import PodTUICore
import FoundationEssentials
import Libc
import PodAPI
import Logging
import Synchronization

/// The log file shared by every handler; safe to write from any thread.
///
/// Bounded: past `limit` bytes the file becomes `podtui.log.1` (replacing the one before)
/// and a new one is started, so a session open for weeks, or an API that fails every poll,
/// keeps at most twice `limit` on disk.
public final class FileLogSink: Sendable {
    private struct Open { var fd: Int32; var size: Int }
    private let file: Mutex<Open>
    /// The file's path (the demo simulator's stderr is appended to it too).
    public let path: String
    /// The size at which the file is rotated.
    public let limit: Int

    /// 10 MiB: weeks of ordinary logging, and little enough to keep two of.
    public static let defaultLimit = 10 * 1024 * 1024

    /// Opens (creating with mode 0600) the file at `path` for appending.
    public init?(path: String, limit: Int = FileLogSink.defaultLimit) {
        let dir = URL(fileURLWithPath: path).deletingLastPathComponent().path
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        guard let opened = Self.open(path) else { return nil }
        self.path = path
        self.limit = max(1024, limit)
        file = Mutex(opened)
    }

    deinit {
        file.withLock { _ = close($0.fd) }
    }

    private static func open(_ path: String) -> Open? {
        let fd = Libc.open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { return nil }
        var info = stat()
        let size = fstat(fd, &info) == 0 ? Int(info.st_size) : 0
        return Open(fd: fd, size: size)
    }

    func write(_ line: String) {
        let clean = Secrets.redact(TextSafety.clean(line.hasSuffix("\n") ? String(line.dropLast()) : line)) + "\n"
        file.withLock { open in
            if open.size >= limit { rotate(&open) }
            let written = clean.withCString { Libc.write(open.fd, $0, strlen($0)) }
            if written > 0 { open.size += written }
        }
    }

    /// Moves the full file aside as `PATH.1` and starts a new one; on any failure the old
    /// descriptor is kept (a log line is worth less than the log).
    private func rotate(_ open: inout Open) {
        guard rename(path, path + ".1") == 0, let fresh = Self.open(path) else {
            open.size = 0   // try again after another `limit` bytes, not on every line
            return
        }
        close(open.fd)
        open = fresh
    }

    /// `$XDG_STATE_HOME/podtui/podtui.log`, else `~/.local/state/podtui/podtui.log`.
    public static func defaultPath(environment: [String: String]) -> String {
        if let state = environment["XDG_STATE_HOME"], !state.isEmpty { return state + "/podtui/podtui.log" }
        return (environment["HOME"] ?? HomeDirectory.path(environment: ProcessInfo.processInfo.environment)) + "/.local/state/podtui/podtui.log"
    }
}
