import FoundationEssentials
import PodAPI

/// How long a pod's GPUs had been idle, as a probing podtui last saw it.
public struct IdleRecord: Sendable, Equatable, Codable {
    public var idleSince: Date
    public var lastIdleSample: Date
    public init(idleSince: Date, lastIdleSample: Date) { self.idleSince = idleSince; self.lastIdleSample = lastIdleSample }
}

/// `gpu-idle.json` in the state directory: the idle clocks of probed pods, written by the
/// TUI while it probes, so a restart does not start them over (within the clock's gap
/// rule) and `podtui pods top` can say how long a pod has been idle.
public struct IdleFile: Sendable {
    public let directory: String
    /// How long to wait for another process's lock (see `FileLock`).
    public var lockTimeout = FileLock.defaultTimeout
    public init(directory: String) { self.directory = directory }

    public var path: String { directory + "/gpu-idle.json" }
    var lockPath: String { directory + "/gpu-idle.lock" }

    /// Records not refreshed for this long are dropped.
    public static let keep: Double = 3600

    struct Document: Codable { var pods: [String: IdleRecord] }

    /// Every pod's record (none when the file is missing).
    public func load() throws -> [Int64: IdleRecord] {
        try StateDirectory.ensure(directory)
        return try FileLock.with(lockPath, timeout: lockTimeout) { try read() }
    }

    private func read() throws -> [Int64: IdleRecord] {
        let text: String?
        do { text = try LocalFile.read(path) } catch { throw PodAPIErrorText.unreadable(path, error) }
        guard let text, !text.isEmpty else { return [:] }
        do {
            let document = try TimerFile.decoder.decode(Document.self, from: Data(text.utf8))
            var records: [Int64: IdleRecord] = [:]
            for (key, record) in document.pods { if let id = Int64(key) { records[id] = record } }
            return records
        } catch {
            throw PodAPIErrorText.unreadable(path, error)
        }
    }

    /// Sets these pods' records and removes `cleared` ones, in one locked step (another
    /// podtui's records for other pods stay). A file that cannot be read or decoded is an
    /// error, and nothing is written over it (the user may want what it holds).
    public func save(_ records: [Int64: IdleRecord], cleared: Set<Int64>, now: Date = Date()) throws {
        try StateDirectory.ensure(directory)
        try FileLock.with(lockPath, timeout: lockTimeout) {
            var all = try read()
            for id in cleared { all[id] = nil }
            for (id, record) in records { all[id] = record }
            all = all.filter { now.timeIntervalSince($0.value.lastIdleSample) <= Self.keep }
            let document = Document(pods: Dictionary(uniqueKeysWithValues: all.map { (String($0.key), $0.value) }))
            let data = try TimerFile.encoder.encode(document)
            try LocalFile.replace(path, with: String(decoding: data, as: UTF8.self) + "\n")
        }
    }
}
