import FoundationEssentials
import PodAPI
import Libc
import PodFiles
import PodLocalFiles
import PodWatch

/// The watcher's memory on disk, one file per profile in the state directory
/// (`watch-journal.json`, `watch-journal-NAME.json`): the next event number, what was last
/// told (`WatchMemory`), the deliveries still owed (`Outbox`) and the events told per kind.
/// Written whole and atomically after every look that told something, events and memory
/// together, so a watcher that dies loses nothing and, restarted, tells nothing twice
/// (delivery outcomes at most a second later: `WatchCore`). Only the process holding the
/// watcher lock writes it.
public struct WatchJournal: Sendable, Codable, Equatable {
    public var version = 1
    public var nextSeq: Int64 = 1
    public var memory = WatchMemory()
    public var outbox = Outbox()
    /// Events told since the journal began, per kind (the /metrics counter).
    public var told: [String: Int] = [:]

    public init() {}

    /// The journal's file for `profile` in `directory`.
    public static func path(directory: String, profile: String?) -> String {
        let lock = WatcherLock.fileName(profile: profile)   // watch.lock / watch-NAME.lock
        return directory + "/" + lock.replacing("watch", with: "watch-journal", maxReplacements: 1).replacing(".lock", with: ".json")
    }

    /// The largest journal read: the outbox at its bounds (`Outbox.maxEvents` events and
    /// `Outbox.maxDeliveries` deliveries, names cut to `WatchLook.textLimit`) fits well under it.
    public static let readLimit = 32 << 20

    /// What reading found.
    public enum Loaded: Sendable, Equatable {
        case journal(WatchJournal)
        /// None yet: the first watcher here.
        case fresh
        /// The file did not parse: it was moved aside to this path and a fresh one begins (the
        /// caller logs it: events owed in it are not sent).
        case setAside(String)
    }

    /// Reads the journal. A file that cannot be read (permissions, I/O) throws: it is never
    /// taken for a missing one and written over.
    public static func load(_ path: String, now: Date = Date()) throws -> Loaded {
        // Larger than any journal a watcher writes (its outbox is bounded): not one of ours,
        // so set aside like one that does not parse; refusing it would keep every later
        // watcher (a service restarted by systemd) from starting.
        var info = stat()
        if stat(path, &info) == 0 {
            // Not a plain file: a FIFO would block the read forever (before the watcher
            // listens for SIGTERM), a directory cannot be one. Refused, never written over.
            guard info.st_mode & S_IFMT == S_IFREG else {
                throw DiskError(path: path, "\(path) is not a regular file; move it away and start again")
            }
            if info.st_size > readLimit { return try setAside(path, now: now) }
        }
        guard let bytes = try AtomicFile.readBytes(path, limit: readLimit) else { return .fresh }
        if let journal = try? JSONDecoder().decode(WatchJournal.self, from: Data(bytes)), journal.version == 1, journal.nextSeq >= 1 {
            return .journal(journal)
        }
        return try setAside(path, now: now)
    }

    private static func setAside(_ path: String, now: Date) throws -> Loaded {
        let aside = path + ".bad-" + String(Timestamp.milliseconds(now))
        guard rename(path, aside) == 0 else { throw DiskError(path: path, "\(path) does not parse and cannot be moved aside; move it and start again") }
        return .setAside(aside)
    }

    /// Writes it (atomically: a full disk or a read-only directory throws and the old file stays).
    public func save(_ path: String) throws {
        let bytes = try JSONEncoder.api.encode(self)
        try AtomicFile.write(Array(bytes), to: path)
    }
}
