import FoundationEssentials
import Libc
import PodAPI
import PodFiles
import Synchronization

extension WatcherLock {
    /// A watcher's lock, held by this process until `release()` (or its end: the kernel
    /// drops a flock with the last descriptor, so a watcher killed with SIGKILL frees it).
    public final class Held: Sendable {
        /// The lock file.
        public let path: String
        /// The descriptor, -1 once released (so a second release closes nothing).
        private let fd: Mutex<Int32>

        init(path: String, fd: Int32) { self.path = path; self.fd = Mutex(fd) }

        /// Gives the lock up (the file stays: removing it could let two watchers lock two
        /// different files of one name).
        public func release() {
            fd.withLock { fd in
                guard fd >= 0 else { return }
                flock(fd, LOCK_UN)
                close(fd)
                fd = -1
            }
        }
    }

    /// Why the lock was not taken.
    public enum Refusal: Error, Sendable, Equatable, CustomStringConvertible {
        /// Another process holds it (its pid when /proc/locks says, and since when it says).
        case held(path: String, pid: Int32?, since: Date?)
        case disk(String)

        public var description: String {
            switch self {
            case .held(let path, let pid, let since):
                let who = pid.map { "process \($0)" } ?? "another process"
                let when = since.map { " since \(Timestamp.iso8601($0))" } ?? ""
                return "a watcher already runs for this profile: \(who) holds \(path)\(when)"
            case .disk(let message): return message
            }
        }
    }

    /// Takes `directory`'s lock for `profile` without waiting, and writes this process's id and
    /// start time into it (what `podtui doctor` and the TUI's header read). Throws `.held`
    /// naming the holder when another watcher has it.
    public static func acquire(in directory: String, profile: String?, endpoint: String? = nil, now: Date = Date()) throws -> Held {
        let path = directory + "/" + fileName(profile: profile)
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { throw Refusal.disk("Cannot open \(path): \(String(cString: strerror(errno)))") }
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let code = errno
            if code == EINTR { continue }
            close(fd)
            guard code == EWOULDBLOCK else { throw Refusal.disk("Cannot lock \(path): \(String(cString: strerror(code)))") }
            let found = find(in: directory)
            var pid: Int32?
            if case .running(let holders) = found { pid = holders.first { $0.path == path }?.pid }
            throw Refusal.held(path: path, pid: pid, since: info(path)?.since)
        }
        // Rewritten in place (the lock is on this inode: a rename would move it away).
        // The endpoint (`TimerOwner.endpoint`, no spaces) so a TUI on another endpoint with
        // the same profile name does not take this watcher for its own.
        let text = "\(getpid()) \(Timestamp.iso8601(now))" + (endpoint.map { " " + $0.replacing(" ", with: "_") } ?? "") + "\n"
        _ = ftruncate(fd, 0)
        _ = text.withCString { pwrite(fd, $0, strlen($0), 0) }
        return Held(path: path, fd: fd)
    }

    /// What a holder wrote in its lock file: its pid, since when and its endpoint (nil when the file says
    /// something else: it is only ever informative, the lock itself is the truth).
    public static func info(_ path: String) -> (pid: Int32, since: Date, endpoint: String?)? {
        guard let bytes = try? AtomicFile.readBytes(path, limit: 256), let text = String(validating: bytes, as: UTF8.self) else { return nil }
        let parts = text.split(whereSeparator: { $0 == " " || $0 == "\n" })
        guard parts.count >= 2, let pid = Int32(parts[0]), pid > 0, let since = Timestamp.parse(String(parts[1])) else { return nil }
        return (pid, since, parts.count >= 3 ? String(parts[2]) : nil)
    }
}
