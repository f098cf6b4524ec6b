import FoundationEssentials
import Libc
import PodAPI
import PodFiles

/// `$XDG_STATE_HOME/podtui` (else `~/.local/state/podtui`): the spend ledger and the pause
/// timers, shared by every podtui process of the user.
public enum StateDirectory {
    public static func path(environment: [String: String]) -> String {
        if let state = environment["XDG_STATE_HOME"], !state.isEmpty { return state + "/podtui" }
        return HomeDirectory.path(environment: environment) + "/.local/state/podtui"
    }

    /// Creates the directory (and its parents) owner-only, if missing, and refuses one that
    /// another user owns or others can write to (they could plant files or symlinks in it).
    public static func ensure(_ path: String) throws {
        try PrivateDirectory.ensure(path)
    }
}

/// An exclusive advisory lock on a file beside the data (`flock`), held for one closure: two
/// podtui processes never interleave a compaction with an append, nor claim one timer twice.
public enum FileLock {
    /// How long a caller waits for another process's lock before giving up with an error (a
    /// holder stopped with Ctrl-Z, or a stuck NFS lock, must not block a thread for good).
    public static let defaultTimeout: Double = 10

    public static func with<T>(_ lockPath: String, timeout: Double = defaultTimeout, _ body: () throws -> T) throws -> T {
        let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { throw DiskError(path: lockPath, "Cannot open \(lockPath): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        // Non-blocking attempts every 20 ms until the deadline.
        let limit = timeout.isFinite ? Int64(saturating: min(max(timeout, 0), 3600) * 1000) : 10_000
        let deadline = ContinuousClock.now + .milliseconds(limit)
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let code = errno
            guard code == EINTR || code == EWOULDBLOCK else {
                throw DiskError(path: lockPath, "Cannot lock \(lockPath): \(String(cString: strerror(code)))")
            }
            guard ContinuousClock.now < deadline else {
                throw DiskError(path: lockPath, "\(lockPath) is locked by another podtui process for more than \(NumberText.fixed(timeout, 0))s (a stopped podtui spend or timers run?); try again later")
            }
            usleep(20_000)
        }
        defer { flock(fd, LOCK_UN) }
        return try body()
    }
}

/// Small file helpers: whole-file reads, appends and atomic replacement.
public enum LocalFile {
    /// The file's text; nil only when it does not exist. A file that cannot be read, or is
    /// not UTF-8, throws (it is never taken for a missing one and written over).
    public static func read(_ path: String) throws -> String? {
        try AtomicFile.readText(path)
    }

    /// The file's last byte; nil when it is empty or missing.
    public static func lastByte(_ path: String) -> UInt8? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        guard lseek(fd, -1, SEEK_END) >= 0 else { return nil }
        var byte: UInt8 = 0
        return Libc.read(fd, &byte, 1) == 1 ? byte : nil
    }

    /// Appends `text` with one write (O_APPEND), owner-only when created.
    public static func append(_ text: String, to path: String) throws {
        try append(Array(text.utf8), to: path)
    }

    /// Appends bytes with one write (O_APPEND), owner-only when created.
    public static func append(_ bytes: [UInt8], to path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { throw DiskError(path: path, "Cannot write \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        try AtomicFile.writeAll(fd, bytes, path: path)
    }

    /// Replaces the file in one step (see `AtomicFile.write`).
    public static func replace(_ path: String, with text: String) throws {
        try AtomicFile.write(text, to: path)
    }

    /// The file's size in bytes; 0 when it is missing.
    public static func size(_ path: String) -> Int64 {
        var info = stat()
        return stat(path, &info) == 0 ? Int64(info.st_size) : 0
    }
}
