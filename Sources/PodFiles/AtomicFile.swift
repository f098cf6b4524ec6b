import FoundationEssentials
import PodAPI
import Libc

/// A file podtui could not read or write, naming it: a disk problem, not an API one, so it is
/// never shown as "Cannot reach the API" nor retried as a network error.
public struct DiskError: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var message: String
    public init(path: String, _ message: String) { self.path = path; self.message = message }
    public var description: String { message }

    /// The message for a failed system call, with errno's words.
    static func errno(_ path: String, _ what: String, _ code: Int32) -> DiskError {
        DiskError(path: path, "\(what) \(path): \(String(cString: strerror(code)))")
    }
}

/// The system calls whose failure decides whether a write is kept; tests replace them to
/// inject `EIO` at the moment a real disk would report it.
public struct FileSyscalls: Sendable {
    public var fsync: @Sendable (Int32) -> Int32
    public var close: @Sendable (Int32) -> Int32
    public init(fsync: @escaping @Sendable (Int32) -> Int32, close: @escaping @Sendable (Int32) -> Int32) {
        self.fsync = fsync; self.close = close
    }
    /// The real calls.
    public static let system = FileSyscalls(fsync: { Libc.fsync($0) }, close: { Libc.close($0) })
}

/// The one way podtui reads and replaces a file of the user's: a read fails loudly for every
/// reason but "no such file", and a write goes to a fresh temporary file beside the target
/// (`O_CREAT|O_EXCL|O_NOFOLLOW`, a random name, the final mode from the start), is synced,
/// renamed over the target and its directory synced. Any failure before the rename (a short
/// write, `fsync` or `close` reporting `ENOSPC`/`EIO`) removes the temporary file and leaves
/// the old file as it was.
public enum AtomicFile {
    /// The file's bytes; nil only when it does not exist (`ENOENT`). Every other failure
    /// (permission, a directory, an I/O error) throws, so a caller never mistakes an
    /// unreadable file for a missing one and writes over it. With `limit`, a file longer
    /// than that many bytes throws too (it is never read whole into memory).
    public static func readBytes(_ path: String, limit: Int? = nil) throws -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            let code = Libc.errno
            if code == ENOENT { return nil }
            throw DiskError.errno(path, "Cannot read", code)
        }
        defer { _ = Libc.close(fd) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = chunk.withUnsafeMutableBytes { Libc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                let code = Libc.errno
                if code == EINTR { continue }
                throw DiskError.errno(path, "Cannot read", code)
            }
            if n == 0 { return out }
            out.append(contentsOf: chunk[..<n])
            if let limit, out.count > limit {
                throw DiskError(path: path, "\(path) is larger than \(limit) bytes; not read")
            }
        }
    }

    /// The file as UTF-8 text; nil only when it does not exist. Bytes that are not UTF-8
    /// are an error naming the file (never silently "no file").
    public static func readText(_ path: String, limit: Int? = nil) throws -> String? {
        guard let bytes = try readBytes(path, limit: limit) else { return nil }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw DiskError(path: path, "\(path) is not valid UTF-8 text; move it aside (or fix it) and try again")
        }
        return text
    }

    /// Where a write to `path` must go: `path` itself, or, when it is a symlink (a dotfile
    /// manager's), the file it points to, so the link is kept and the target updated.
    public static func writeTarget(_ path: String) throws -> String {
        var info = stat()
        guard lstat(path, &info) == 0 else {
            let code = Libc.errno
            if code == ENOENT { return path }
            throw DiskError.errno(path, "Cannot inspect", code)
        }
        guard info.st_mode & S_IFMT == S_IFLNK else { return path }
        guard let resolved = realpath(path, nil) else {
            throw DiskError(path: path, "\(path) is a symlink whose target cannot be resolved (\(String(cString: strerror(Libc.errno)))); nothing was written")
        }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Replaces `path` with `bytes` (see the type's documentation). `mode` is the new file's
    /// permission from its creation; `followSymlink` writes through a symlink at `path`
    /// instead of replacing the link with a plain file.
    public static func write(_ bytes: [UInt8], to path: String, mode: mode_t = 0o600, followSymlink: Bool = false,
                             syscalls: FileSyscalls = .system) throws {
        let target = followSymlink ? try writeTarget(path) : path
        let slash = target.lastIndex(of: "/")
        let directory = slash.map { $0 == target.startIndex ? "/" : String(target[..<$0]) } ?? "."
        let base = slash.map { String(target[target.index(after: $0)...]) } ?? target
        var fd: Int32 = -1
        var temporary = ""
        for _ in 0..<8 {
            temporary = directory + "/." + base + ".tmp-" + String(UInt64.random(in: 0...UInt64.max), radix: 16)
            fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
            if fd >= 0 || Libc.errno != EEXIST { break }
        }
        guard fd >= 0 else { throw DiskError.errno(target, "Cannot write beside", Libc.errno) }
        var failure: DiskError?
        // The mode asked for, whatever the umask took away at creation.
        if fchmod(fd, mode) != 0 { failure = .errno(target, "Cannot set the mode of", Libc.errno) }
        if failure == nil {
            do { try writeAll(fd, bytes, path: target) } catch let error as DiskError { failure = error } catch {
                failure = DiskError(path: target, "Cannot write \(target): \(error)")
            }
        }
        if failure == nil, syscalls.fsync(fd) != 0 { failure = .errno(target, "Cannot sync", Libc.errno) }
        // A failing close is a failed write too (NFS and quotas report ENOSPC there).
        if syscalls.close(fd) != 0, failure == nil { failure = .errno(target, "Cannot finish writing", Libc.errno) }
        if let failure {
            unlink(temporary)
            throw failure
        }
        guard rename(temporary, target) == 0 else {
            let code = Libc.errno
            unlink(temporary)
            throw DiskError.errno(target, "Cannot replace", code)
        }
        try syncDirectory(directory, syscalls: syscalls)
    }

    /// `write` of text.
    public static func write(_ text: String, to path: String, mode: mode_t = 0o600, followSymlink: Bool = false,
                             syscalls: FileSyscalls = .system) throws {
        try write(Array(text.utf8), to: path, mode: mode, followSymlink: followSymlink, syscalls: syscalls)
    }

    /// Makes a rename in `directory` durable. File systems that cannot sync a directory
    /// (`EINVAL`) are accepted as they are.
    static func syncDirectory(_ directory: String, syscalls: FileSyscalls) throws {
        let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        let synced = syscalls.fsync(fd) == 0 ? 0 : Libc.errno
        _ = Libc.close(fd)
        if synced != 0 && synced != EINVAL && synced != EROFS {
            throw DiskError(path: directory, "Wrote the file, but \(directory) could not be synced (\(String(cString: strerror(synced)))): it may not survive a crash")
        }
    }

    /// Writes every byte, retrying short writes and EINTR.
    public static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws {
        var rest = bytes[...]
        while !rest.isEmpty {
            let n = rest.withUnsafeBytes { Libc.write(fd, $0.baseAddress, $0.count) }
            if n < 0 && Libc.errno == EINTR { continue }
            guard n > 0 else { throw DiskError.errno(path, "Cannot write", n < 0 ? Libc.errno : EIO) }
            rest = rest.dropFirst(n)
        }
    }
}

/// Directories that hold podtui's state or the user's configuration: created owner-only, and
/// an existing one used only when it is the user's own and nobody else can write in it
/// (otherwise another local user could plant files or symlinks there).
public enum PrivateDirectory {
    /// Creates `path` (and missing parents) 0700, then checks it (see `check`).
    public static func ensure(_ path: String) throws {
        var partial = ""
        for part in path.split(separator: "/", omittingEmptySubsequences: false) {
            partial += partial.isEmpty && part.isEmpty ? "/" : (partial.hasSuffix("/") ? "" : "/") + part
            if partial.isEmpty { continue }
            var info = stat()
            if stat(partial, &info) == 0 { continue }
            guard mkdir(partial, 0o700) == 0 || Libc.errno == EEXIST else {
                throw DiskError.errno(partial, "Cannot create", Libc.errno)
            }
        }
        try check(path)
    }

    /// Refuses a directory that is not one, is not owned by this user, or that group or
    /// others can write to.
    public static func check(_ path: String) throws {
        var info = stat()
        guard stat(path, &info) == 0 else { throw DiskError.errno(path, "Cannot use", Libc.errno) }
        guard info.st_mode & S_IFMT == S_IFDIR else { throw DiskError(path: path, "\(path) is not a directory") }
        guard info.st_uid == getuid() else {
            throw DiskError(path: path, "\(path) belongs to another user (uid \(info.st_uid)); podtui keeps its files only in a directory of its own user")
        }
        let mode = info.st_mode & 0o777
        guard mode & 0o022 == 0 else {
            throw DiskError(path: path, "\(path) is writable by others (mode \(String(mode, radix: 8))); run: chmod go-w \(path)")
        }
    }
}
