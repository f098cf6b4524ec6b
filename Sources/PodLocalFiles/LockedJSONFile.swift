import FoundationEssentials
import PodAPI
import PodFiles

/// One JSON document in the state directory (`NAME.json`), read and changed only under the
/// lock beside it (`NAME.lock`, see `FileLock`), so several podtui processes share it: every
/// change is one read-modify-write, written through `AtomicFile`. A missing or empty file
/// holds `empty`; a file that cannot be read or decoded is an error naming it, never taken
/// for an empty one, and nothing is written over it (the user may want what it holds).
/// `TimerFile` and `IdleFile` are two of these.
public struct LockedJSONFile<Document: Codable & Sendable>: Sendable {
    public let directory: String
    /// The file's name without `.json`.
    public let name: String
    /// How long to wait for another process's lock (see `FileLock`).
    public var lockTimeout = FileLock.defaultTimeout
    /// What a missing or empty file holds.
    public let empty: Document

    public init(directory: String, name: String, empty: Document) {
        self.directory = directory; self.name = name; self.empty = empty
    }

    public var path: String { directory + "/" + name + ".json" }
    public var lockPath: String { directory + "/" + name + ".lock" }

    /// Dates as epoch milliseconds, keys sorted and indented: what podtui's state files have
    /// always held, so files written by earlier versions read the same.
    static var encoder: JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys]
        e.dateEncodingStrategy = .millisecondsSince1970
        return e
    }

    static var decoder: JSONDecoder {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .millisecondsSince1970
        return d
    }

    /// The document, read under the lock.
    public func read() throws -> Document {
        try StateDirectory.ensure(directory)
        return try FileLock.with(lockPath, timeout: lockTimeout) { try readLocked() }
    }

    /// Reads, changes and writes the document in one locked step. When `change` throws,
    /// nothing is written.
    public func update<T>(_ change: (inout Document) throws -> T) throws -> T {
        try StateDirectory.ensure(directory)
        return try FileLock.with(lockPath, timeout: lockTimeout) {
            var document = try readLocked()
            let result = try change(&document)
            let data = try Self.encoder.encode(document)
            try LocalFile.replace(path, with: String(decoding: data, as: UTF8.self) + "\n")
            return result
        }
    }

    /// The document; the lock is held.
    private func readLocked() throws -> Document {
        let text: String?
        do { text = try LocalFile.read(path) } catch { throw LocalFileError.unreadable(path, error) }
        guard let text, !text.isEmpty else { return empty }
        do { return try Self.decoder.decode(Document.self, from: Data(text.utf8)) } catch {
            throw LocalFileError.unreadable(path, error)
        }
    }
}

/// A type kept in one `LockedJSONFile` (`TimerFile`, `IdleFile`): its directory, path and
/// lock timeout are the file's.
public protocol LockedJSONFileBacked {
    associatedtype Document: Codable & Sendable
    /// The file the type's data is kept in.
    var file: LockedJSONFile<Document> { get set }
}

extension LockedJSONFileBacked {
    public var directory: String { file.directory }
    public var path: String { file.path }
    /// How long to wait for another process's lock (see `FileLock`).
    public var lockTimeout: Double {
        get { file.lockTimeout }
        set { file.lockTimeout = newValue }
    }
}

/// A local file that cannot be used.
public struct LocalFileError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }

    /// A file that exists but cannot be read or decoded: the user is told to move it aside,
    /// and podtui never writes over it.
    static func unreadable(_ path: String, _ error: any Error) -> LocalFileError {
        LocalFileError(message: "\(path) cannot be read (\(error)); move it aside to start over")
    }
}
