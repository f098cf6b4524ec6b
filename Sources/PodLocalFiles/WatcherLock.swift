import FoundationEssentials
import Libc
import PodAPI

/// Where a `podtui watch` process (issue 27) holds its lock, one per profile, and how another
/// process tells whether one runs without ever taking that lock itself: taking it, even for a
/// moment, could make a watcher that starts in that moment believe another one already runs.
/// The watcher holds an exclusive `flock` on the file for its whole life; the kernel lists
/// held locks in /proc/locks, which is read here. The one place to change when the watcher
/// is written.
public enum WatcherLock {
    /// `watch.lock` for the default profile, `watch-NAME.lock` for a named one (the name's
    /// characters other than letters, digits, `-`, `_` and `.` as `_`, so it stays one file
    /// name inside the state directory).
    public static func fileName(profile: String?) -> String {
        guard let profile, !profile.isEmpty else { return "watch.lock" }
        let safe = String(String.UnicodeScalarView(profile.unicodeScalars.map { scalar in
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "-_.".unicodeScalars.contains(scalar)) ? scalar : "_"
        }))
        return "watch-" + safe + ".lock"
    }

    /// A watcher's lock found held.
    public struct Holder: Sendable, Equatable {
        /// The lock file.
        public var path: String
        /// The process holding it, as /proc/locks gives it.
        public var pid: Int32
    }

    /// What a look at the state directory found.
    public enum Finding: Sendable, Equatable {
        /// These locks are held (one per running watcher).
        case running([Holder])
        /// No lock file is held (or there is none).
        case none
        /// The system does not say (no /proc/locks, as on macOS).
        case unknown
    }

    /// The held watcher locks in `directory` (every `watch*.lock`, whatever the profile).
    public static func find(in directory: String, procLocks: String = "/proc/locks") -> Finding {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return .none }
        let locks = names.filter { $0.hasPrefix("watch") && $0.hasSuffix(".lock") }.sorted()
        guard !locks.isEmpty else { return .none }
        guard let table = try? String(contentsOfFile: procLocks, encoding: .utf8) else { return .unknown }
        var held: [Holder] = []
        for name in locks {
            let path = directory + "/" + name
            var info = stat()
            guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { continue }
            let dev = UInt64(info.st_dev)
            // glibc's gnu_dev_major/minor, which are macros Swift cannot call.
            let major = ((dev >> 8) & 0xfff) | ((dev >> 32) & ~UInt64(0xfff))
            let minor = (dev & 0xff) | ((dev >> 12) & ~UInt64(0xff))
            for pid in holders(in: table, major: major, minor: minor, inode: UInt64(info.st_ino)) {
                held.append(Holder(path: path, pid: pid))
            }
        }
        return held.isEmpty ? .none : .running(held)
    }

    /// The processes that hold (not wait for) a lock on the file MAJOR:MINOR:INODE in the text
    /// of /proc/locks: `1: FLOCK  ADVISORY  WRITE 1234 00:2b:5678 0 EOF`, where the device
    /// numbers are hexadecimal and waiters are marked `->`.
    public static func holders(in table: String, major: UInt64, minor: UInt64, inode: UInt64) -> [Int32] {
        var pids: [Int32] = []
        for line in table.split(separator: "\n") {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard !fields.contains("->") else { continue }
            for (i, field) in fields.enumerated() where i > 0 {
                let parts = field.split(separator: ":")
                guard parts.count == 3, let ma = UInt64(parts[0], radix: 16), let mi = UInt64(parts[1], radix: 16),
                      let ino = UInt64(parts[2]) else { continue }
                if ma == major, mi == minor, ino == inode, let pid = Int32(fields[i - 1]), pid > 0 { pids.append(pid) }
                break
            }
        }
        return pids
    }
}
