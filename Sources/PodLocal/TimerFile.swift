import FoundationEssentials
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `timers.json` in the state directory: every change is a read-modify-write under
/// `timers.lock`, so a timer is claimed by exactly one process (the TUI or `timers run`)
/// before any pause is sent.
public struct TimerFile: Sendable {
    public let directory: String
    public init(directory: String) { self.directory = directory }

    public var path: String { directory + "/timers.json" }
    var lockPath: String { directory + "/timers.lock" }

    /// Finished and cancelled timers are kept this long (for `timers list` and the view).
    public static let keepFinished: Double = 86_400

    struct Document: Codable { var timers: [PauseTimer] }

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

    /// Every timer (none when the file is missing).
    public func load() throws -> [PauseTimer] {
        try StateDirectory.ensure(directory)
        return try FileLock.with(lockPath) { try read() }
    }

    private func read() throws -> [PauseTimer] {
        guard let text = LocalFile.read(path), !text.isEmpty else { return [] }
        do { return try Self.decoder.decode(Document.self, from: Data(text.utf8)).timers } catch {
            throw PodAPIErrorText.unreadable(path, error)
        }
    }

    /// Reads, changes and writes the timers in one locked step.
    public func update<T>(now: Date = Date(), _ change: (inout [PauseTimer]) throws -> T) throws -> T {
        try StateDirectory.ensure(directory)
        return try FileLock.with(lockPath) {
            var timers = try read()
            let result = try change(&timers)
            // A finished timer is kept a day after it came due ("when idle" ones have no due
            // time: after they were claimed, or set when cancelled unclaimed).
            timers.removeAll { ($0.state == .done || $0.state == .cancelled)
                && now.timeIntervalSince($0.idleMinutes == nil ? $0.due : ($0.claimedAt ?? $0.created)) > Self.keepFinished }
            let data = try Self.encoder.encode(Document(timers: timers))
            try LocalFile.replace(path, with: String(decoding: data, as: UTF8.self) + "\n")
            return result
        }
    }

    /// Sets (or moves) a pending timer for each pod.
    /// `idleMinutes` makes them "pause when idle" timers (`due` is then not used).
    public func add(_ pods: [(id: Int64, name: String?)], due: Date, idleMinutes: Double? = nil, now: Date = Date()) throws {
        try update(now: now) { timers in
            for pod in pods {
                timers.removeAll { $0.podID == pod.id && ($0.state == .pending || $0.state == .firing) }
                timers.append(idleMinutes.map { PauseTimer(podID: pod.id, name: pod.name, idleMinutes: $0, created: now) }
                              ?? PauseTimer(podID: pod.id, name: pod.name, due: due, created: now))
            }
        }
    }

    /// Cancels the pending timers of these pods; returns how many there were.
    @discardableResult
    public func cancel(_ ids: Set<Int64>, now: Date = Date()) throws -> Int {
        try update(now: now) { timers in
            var count = 0
            for i in timers.indices where ids.contains(timers[i].podID) && timers[i].state == .pending {
                timers[i].state = .cancelled
                timers[i].result = "cancelled"
                count += 1
            }
            return count
        }
    }

    /// Marks every due pending timer (and every stale claim) as claimed by `claimant` and
    /// returns them: the caller, and only it, sends their pauses. `idle` (seconds idle per
    /// pod, from this process's probes) decides the "when idle" timers.
    public func claimDue(now: Date = Date(), by claimant: String, idle: [Int64: Double] = [:]) throws -> [PauseTimer] {
        try update(now: now) { timers in
            var claimed: [PauseTimer] = []
            for i in timers.indices where timers[i].isDue(now: now, idle: idle) || timers[i].state == .firing {
                let stale = timers[i].state == .firing && (timers[i].claimedAt.map { now.timeIntervalSince($0) > PauseTimer.staleClaim } ?? true)
                guard timers[i].state == .pending || stale else { continue }
                timers[i].state = .firing
                timers[i].claimedBy = claimant
                timers[i].claimedAt = now
                claimed.append(timers[i])
            }
            return claimed
        }
    }

    /// Records what a claimed timer did.
    public func finish(_ timer: PauseTimer, result: String, now: Date = Date()) throws {
        try update(now: now) { timers in
            for i in timers.indices where timers[i].podID == timer.podID && timers[i].due == timer.due && timers[i].state == .firing {
                timers[i].state = .done
                timers[i].result = result
            }
        }
    }

    /// Who this process is, for claims.
    public static var claimant: String {
        var buffer = [CChar](repeating: 0, count: 256)
        gethostname(&buffer, buffer.count - 1)
        let end = buffer.firstIndex(of: 0) ?? buffer.count
        return "\(getpid())@" + String(decoding: buffer[..<end].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// Errors of the local files, in words.
enum PodAPIErrorText {
    static func unreadable(_ path: String, _ error: any Error) -> any Error {
        LocalFileError(message: "\(path) cannot be read (\(error)); move it aside to start over")
    }
}

/// A local file that cannot be used.
public struct LocalFileError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
