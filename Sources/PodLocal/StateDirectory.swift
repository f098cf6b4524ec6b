import FoundationEssentials
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import PodAPI

/// `$XDG_STATE_HOME/podtui` (else `~/.local/state/podtui`): the spend ledger and the pause
/// timers, shared by every podtui process of the user.
public enum StateDirectory {
    public static func path(environment: [String: String]) -> String {
        if let state = environment["XDG_STATE_HOME"], !state.isEmpty { return state + "/podtui" }
        return HomeDirectory.path(environment: environment) + "/.local/state/podtui"
    }

    /// Creates the directory (and its parents) owner-only, if missing.
    public static func ensure(_ path: String) throws {
        var partial = ""
        for part in path.split(separator: "/", omittingEmptySubsequences: false) {
            partial += partial.isEmpty && part.isEmpty ? "/" : (partial.hasSuffix("/") ? "" : "/") + part
            if partial.isEmpty || FileManager.default.fileExists(atPath: partial) { continue }
            guard mkdir(partial, 0o700) == 0 || errno == EEXIST else {
                throw PodAPIError.configuration("Cannot create \(partial): \(String(cString: strerror(errno)))")
            }
        }
    }
}

/// An exclusive advisory lock on a file beside the data (`flock`), held for one closure: two
/// podtui processes never interleave a compaction with an append, nor claim one timer twice.
public enum FileLock {
    public static func with<T>(_ lockPath: String, _ body: () throws -> T) throws -> T {
        let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw PodAPIError.configuration("Cannot open \(lockPath): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        while flock(fd, LOCK_EX) != 0 {
            guard errno == EINTR else { throw PodAPIError.configuration("Cannot lock \(lockPath): \(String(cString: strerror(errno)))") }
        }
        defer { flock(fd, LOCK_UN) }
        return try body()
    }
}

/// Small file helpers: whole-file reads, appends and atomic replacement.
public enum LocalFile {
    public static func read(_ path: String) -> String? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        return try? String(contentsOfFile: path, encoding: .utf8)
    }

    /// The file's last byte; nil when it is empty or missing.
    public static func lastByte(_ path: String) -> UInt8? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        guard lseek(fd, -1, SEEK_END) >= 0 else { return nil }
        var byte: UInt8 = 0
        return Glibc.read(fd, &byte, 1) == 1 ? byte : nil
    }

    /// Appends `text` with one write (O_APPEND), owner-only when created.
    public static func append(_ text: String, to path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw PodAPIError.configuration("Cannot write \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        try writeAll(fd, Array(text.utf8), path: path)
    }

    /// Replaces the file in one step (a temporary file, fsync, rename).
    public static func replace(_ path: String, with text: String) throws {
        let temporary = path + ".tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw PodAPIError.configuration("Cannot write \(temporary): \(String(cString: strerror(errno)))") }
        do {
            try writeAll(fd, Array(text.utf8), path: temporary)
            fsync(fd)
            close(fd)
        } catch {
            close(fd)
            unlink(temporary)
            throw error
        }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw PodAPIError.configuration("Cannot replace \(path): \(reason)")
        }
    }

    private static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws {
        var rest = bytes[...]
        while !rest.isEmpty {
            let n = rest.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw PodAPIError.configuration("Cannot write \(path): \(String(cString: strerror(errno)))") }
            rest = rest.dropFirst(n)
        }
    }
}
