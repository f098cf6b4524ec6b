import FoundationEssentials
import PodAPI
import PodLocal

/// `gpu-idle.json` in the state directory: the idle clocks of probed pods, written by the
/// TUI while it probes, so a restart does not start them over (within the clock's gap
/// rule) and `podtui pods top` can say how long a pod has been idle.
public struct IdleFile: Sendable, LockedJSONFileBacked {
    /// The file's JSON: records by pod id (a string, as JSON keys are).
    public struct Document: Codable, Sendable { var pods: [String: IdleRecord] }

    public var file: LockedJSONFile<Document>
    public init(directory: String) {
        file = LockedJSONFile(directory: directory, name: "gpu-idle", empty: Document(pods: [:]))
    }

    /// Records not refreshed for this long are dropped.
    public static let keep: Double = 3600

    /// Every pod's record (none when the file is missing).
    public func load() throws -> [Int64: IdleRecord] {
        Self.records(try file.read())
    }

    private static func records(_ document: Document) -> [Int64: IdleRecord] {
        var records: [Int64: IdleRecord] = [:]
        for (key, record) in document.pods { if let id = Int64(key) { records[id] = record } }
        return records
    }

    /// Sets these pods' records and removes `cleared` ones, in one locked step (another
    /// podtui's records for other pods stay). A file that cannot be read or decoded is an
    /// error, and nothing is written over it (the user may want what it holds).
    public func save(_ records: [Int64: IdleRecord], cleared: Set<Int64>, now: Date = Date()) throws {
        try file.update { document in
            var all = Self.records(document)
            for id in cleared { all[id] = nil }
            for (id, record) in records { all[id] = record }
            all = all.filter { now.timeIntervalSince($0.value.lastIdleSample) <= Self.keep }
            document = Document(pods: Dictionary(uniqueKeysWithValues: all.map { (String($0.key), $0.value) }))
        }
    }
}
