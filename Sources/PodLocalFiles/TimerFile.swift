import FoundationEssentials
import Libc
import PodAPI
import PodLocal

/// `timers.json` in the state directory: every change is a read-modify-write under
/// `timers.lock` (a `LockedJSONFile`), so a timer is claimed by exactly one process (the TUI
/// or `timers run`) before any pause is sent.
public struct TimerFile: Sendable, LockedJSONFileBacked {
    /// The file's JSON.
    public struct Document: Codable, Sendable { var timers: [PauseTimer] }

    public var file: LockedJSONFile<Document>
    public init(directory: String) {
        file = LockedJSONFile(directory: directory, name: "timers", empty: Document(timers: []))
    }

    /// Finished and cancelled timers are kept this long (for `timers list` and the view).
    public static let keepFinished: Double = 86_400

    /// Every timer (none when the file is missing). A file that cannot be read or decoded
    /// is an error naming it, and no change is ever written over it.
    public func load() throws -> [PauseTimer] {
        Self.distinct(try file.read().timers)
    }

    /// The timers with every id told apart: a second timer with an id already seen (two
    /// timers of an earlier version's file that derive the same one, or a hand-edited file)
    /// gets `#2`, `#3`... after it, in file order, so each read gives the same ids and a
    /// claim or result is recorded on one timer only.
    static func distinct(_ timers: [PauseTimer]) -> [PauseTimer] {
        var seen: Set<String> = []
        return timers.map { timer in
            var timer = timer
            var n = 1
            let base = timer.id
            while !seen.insert(timer.id).inserted {
                n += 1
                timer.id = base + "#\(n)"
            }
            return timer
        }
    }

    /// Reads, changes and writes the timers in one locked step.
    public func update<T>(now: Date = Date(), _ change: (inout [PauseTimer]) throws -> T) throws -> T {
        try file.update { document in
            document.timers = Self.distinct(document.timers)
            let result = try change(&document.timers)
            // A finished timer is kept a day (see `PauseTimer.finishedSince`).
            document.timers.removeAll { ($0.state == .done || $0.state == .cancelled)
                && now.timeIntervalSince($0.finishedSince) > Self.keepFinished }
            return result
        }
    }

    /// Sets (or moves) a pending timer for each pod, owned by `owner` (see `TimerOwner`),
    /// each with a new id.
    public func add(_ pods: [(id: Int64, name: String?)], trigger: PauseTimer.Trigger, now: Date = Date(),
                    owner: TimerOwner = .legacy) throws {
        try update(now: now) { timers in
            for pod in pods {
                timers.removeAll { $0.podID == pod.id && ($0.state == .pending || $0.state == .firing) && owner.owns($0) }
                timers.append(PauseTimer(id: UUID().uuidString, podID: pod.id, name: pod.name, trigger: trigger, created: now, owner: owner))
            }
        }
    }

    /// Sets (or moves) a "pause at" timer for each pod (see `add(_:trigger:now:owner:)`).
    public func add(_ pods: [(id: Int64, name: String?)], due: Date, now: Date = Date(), owner: TimerOwner = .legacy) throws {
        try add(pods, trigger: .at(due), now: now, owner: owner)
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

    /// The same timer as a claimed copy: the same id, still firing, under the same claim.
    static func same(_ a: PauseTimer, _ b: PauseTimer) -> Bool {
        a.id == b.id && a.state == .firing && a.claimedBy == b.claimedBy
    }

    /// Who this process is, for claims.
    public static var claimant: String {
        var buffer = [CChar](repeating: 0, count: 256)
        gethostname(&buffer, buffer.count - 1)
        let end = buffer.firstIndex(of: 0) ?? buffer.count
        return "\(getpid())@" + String(decoding: buffer[..<end].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
