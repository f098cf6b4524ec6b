import FoundationEssentials
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import PodAPI

/// `timers.json` in the state directory: every change is a read-modify-write under
/// `timers.lock`, so a timer is claimed by exactly one process (the TUI or `timers run`)
/// before any pause is sent.
public struct TimerFile: Sendable {
    public let directory: String
    /// How long to wait for another process's lock (see `FileLock`).
    public var lockTimeout = FileLock.defaultTimeout
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

    /// Every timer (none when the file is missing). A file that cannot be read or decoded
    /// is an error naming it, and no change is ever written over it.
    public func load() throws -> [PauseTimer] {
        try StateDirectory.ensure(directory)
        return try FileLock.with(lockPath, timeout: lockTimeout) { try read() }
    }

    private func read() throws -> [PauseTimer] {
        let text: String?
        do { text = try LocalFile.read(path) } catch { throw PodAPIErrorText.unreadable(path, error) }
        guard let text, !text.isEmpty else { return [] }
        do { return try Self.decoder.decode(Document.self, from: Data(text.utf8)).timers } catch {
            throw PodAPIErrorText.unreadable(path, error)
        }
    }

    /// Reads, changes and writes the timers in one locked step.
    public func update<T>(now: Date = Date(), _ change: (inout [PauseTimer]) throws -> T) throws -> T {
        try StateDirectory.ensure(directory)
        return try FileLock.with(lockPath, timeout: lockTimeout) {
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

    /// Sets (or moves) a pending timer for each pod, owned by `owner` (see `TimerOwner`).
    /// `idleMinutes` makes them "pause when idle" timers (`due` is then not used).
    public func add(_ pods: [(id: Int64, name: String?)], due: Date, idleMinutes: Double? = nil, now: Date = Date(),
                    owner: TimerOwner = .legacy) throws {
        try update(now: now) { timers in
            for pod in pods {
                timers.removeAll { $0.podID == pod.id && ($0.state == .pending || $0.state == .firing) && owner.owns($0) }
                timers.append(idleMinutes.map { PauseTimer(podID: pod.id, name: pod.name, idleMinutes: $0, created: now, owner: owner) }
                              ?? PauseTimer(podID: pod.id, name: pod.name, due: due, created: now, owner: owner))
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

    /// Marks every due pending timer (and every stale claim) of `owner` as claimed by
    /// `claimant` and returns them: the caller, and only it, sends their pauses. `idle`
    /// (seconds idle per pod, from this process's probes) decides the "when idle" timers.
    /// Timers of other endpoints or profiles are left as they are.
    public func claimDue(now: Date = Date(), by claimant: String, idle: [Int64: Double] = [:], owner: TimerOwner = .legacy) throws -> [PauseTimer] {
        try update(now: now) { timers in
            var claimed: [PauseTimer] = []
            for i in timers.indices where owner.owns(timers[i]) {
                let due = timers[i].state == .pending && timers[i].isDue(now: now, idle: idle)
                guard due || timers[i].isStaleClaim(now: now) else { continue }
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
            for i in timers.indices where Self.same(timers[i], timer) {
                timers[i].state = .done
                timers[i].result = result
            }
        }
    }

    /// What `retry` did with a timer.
    public enum Retry: Sendable, Equatable {
        /// Pending again, not before its `retryAfter`.
        case later
        /// The failures went on for `PauseTimer.retryWindow`: recorded as failed.
        case gaveUp
        /// It is no longer this claim's (cancelled, or taken over meanwhile): left alone.
        case notClaimed
    }

    /// Gives a claimed timer back after a transient failure: pending again, not before a
    /// backoff; once the failures have gone on for `PauseTimer.retryWindow`, done with
    /// `result` saying it gave up.
    @discardableResult
    public func retry(_ timer: PauseTimer, result: String, now: Date = Date()) throws -> Retry {
        try update(now: now) { timers in
            var outcome = Retry.notClaimed
            for i in timers.indices where Self.same(timers[i], timer) {
                let since = timers[i].failingSince ?? now
                let failures = min((timers[i].failures ?? 0) + 1, 1000)
                timers[i].failures = failures
                timers[i].failingSince = since
                if now.timeIntervalSince(since) >= PauseTimer.retryWindow {
                    timers[i].state = .done
                    timers[i].result = result + " (gave up after \(failures) tries)"
                    outcome = .gaveUp
                    continue
                }
                timers[i].state = .pending
                timers[i].claimedBy = nil
                timers[i].claimedAt = nil
                timers[i].retryAfter = now.addingTimeInterval(Self.backoff(failures: failures))
                timers[i].result = result
                outcome = .later
            }
            return outcome
        }
    }

    /// Seconds before the next try after `failures` transient failures: 15 s, doubling, at
    /// most 5 minutes.
    public static func backoff(failures: Int) -> Double {
        min(300, 15 * Double(1 << min(max(failures - 1, 0), 5)))
    }

    /// The same timer as a claimed copy: same pod, due time, owner, and still firing.
    static func same(_ a: PauseTimer, _ b: PauseTimer) -> Bool {
        a.podID == b.podID && a.due == b.due && a.endpoint == b.endpoint && a.profile == b.profile && a.state == .firing
            && a.claimedBy == b.claimedBy
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
