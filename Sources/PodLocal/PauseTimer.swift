import FoundationEssentials
import PodAPI

/// "Pause this pod at": kept in `timers.json` in the state directory, shared by the TUI,
/// `podtui timers` and `podtui timers run`; acted on only while some podtui process runs.
public struct PauseTimer: Sendable, Equatable, Codable {
    public enum State: String, Sendable, Codable {
        case pending
        /// Claimed by one process, which is sending the pause now.
        case firing
        case done
        case cancelled
    }

    public var podID: Int64
    public var name: String?
    public var due: Date
    public var created: Date
    public var state: State
    /// Who claimed it (`pid@host`) and when: a claim older than `staleClaim` is taken over.
    public var claimedBy: String?
    public var claimedAt: Date?
    /// What happened, in words ("paused", "not sent: it was PAUSED by then", an error).
    public var result: String?
    /// "Pause when idle": fires when the pod's GPUs have been idle this many minutes (as a
    /// podtui probing them saw), not at `due`, which is then `PauseTimer.never`.
    public var idleMinutes: Double?
    /// The API endpoint (`TimerOwner.endpoint`) and profile it was set for: only a podtui
    /// talking to that endpoint with that profile fires it. Nil in files written before
    /// timers had owners: those belong to the production API (any profile).
    public var endpoint: String?
    public var profile: String?
    /// After a transient failure (timeout, 5xx, 429): not tried again before this, and how
    /// many tries failed since when (given up `retryWindow` after the first failure).
    public var retryAfter: Date?
    public var failures: Int?
    public var failingSince: Date?

    public init(podID: Int64, name: String?, due: Date, created: Date, owner: TimerOwner? = nil) {
        self.podID = podID; self.name = name; self.due = due; self.created = created; self.state = .pending
        self.endpoint = owner?.endpoint; self.profile = owner?.profile
    }

    /// The `due` of a "when idle" timer: never by the clock (a podtui that does not know
    /// `idleMinutes` leaves it alone too).
    public static let never = Date(timeIntervalSince1970: 253_402_214_400)   // 9999-12-31

    /// A "pause when idle for N minutes" timer.
    public init(podID: Int64, name: String?, idleMinutes: Double, created: Date, owner: TimerOwner? = nil) {
        self.init(podID: podID, name: name, due: Self.never, created: created, owner: owner)
        self.idleMinutes = idleMinutes
    }

    /// Due now: by the clock, or by the pod's idle seconds (`idle`, from probes); never
    /// before a retry time a transient failure set.
    public func isDue(now: Date, idle: [Int64: Double]) -> Bool {
        if let retryAfter, retryAfter > now { return false }
        if let minutes = idleMinutes { return (idle[podID] ?? 0) >= minutes * 60 }
        return due <= now
    }

    /// A process that claimed a timer and vanished (killed mid-request) gives it up after
    /// this. Longer than the longest firing (`TimerRunner.fireDeadline`), so a live but slow
    /// claim is never taken over and its pause never sent twice.
    public static let staleClaim: Double = 120

    /// A claim that is older than `staleClaim` (or has no time): any podtui may take it over.
    public func isStaleClaim(now: Date) -> Bool {
        state == .firing && (claimedAt.map { now.timeIntervalSince($0) > Self.staleClaim } ?? true)
    }

    /// How long transient failures are retried, from the first one, before the timer is
    /// reported as failed.
    public static let retryWindow: Double = 1800

    /// What to call it in a sentence.
    public var label: String { name.map { $0.isEmpty ? "pod \(podID)" : $0 } ?? "pod \(podID)" }
}

/// Whose a timer is: the API endpoint (scheme, host, port and path of the base URL) and the
/// profile a podtui talks to. A podtui fires, and marks gone, only timers of its own owner:
/// another account's pod is not found on this one, and the simulator's pods are not the
/// user's.
public struct TimerOwner: Sendable, Equatable, Hashable {
    public var endpoint: String
    public var profile: String?
    /// An owner by its endpoint string (a `TimerOwner.endpoint(of:)` result) and profile.
    public init(endpoint: String, profile: String?) { self.endpoint = endpoint; self.profile = profile }
    /// The owner a service with this base URL and profile acts as.
    public init(baseURL: URL, profile: String?) { self.init(endpoint: Self.endpoint(of: baseURL), profile: profile) }

    /// `https://api.yottalabs.ai`: the owner of timers written before owners were recorded.
    public static let production = endpoint(of: URL(string: ConnectionResolver.defaultBaseURL))

    /// The production API with no profile: what a caller that names no owner acts as (the
    /// owner of timers written before owners were recorded).
    public static let legacy = TimerOwner(endpoint: production, profile: nil)

    /// A base URL as one comparable string (see `EndpointKey`).
    public static func endpoint(of url: URL?) -> String { EndpointKey.of(url) }

    /// True when this owner fires `timer`: same endpoint and profile, or (for a timer that
    /// names no endpoint) the production API under any profile.
    public func owns(_ timer: PauseTimer) -> Bool {
        guard let endpoint = timer.endpoint else { return self.endpoint == Self.production }
        return endpoint == self.endpoint && timer.profile == profile
    }

    /// True when the endpoint is the production API (whose ledger is `ledger.jsonl`).
    public var isProduction: Bool { endpoint == Self.production }
}

/// Durations and clock times a user types for a timer: `90s`, `45m`, `2h`, `1h30m`, `1d`,
/// `18:30` (today, or tomorrow when it has passed); `idle`, `idle 30m` for "when idle".
public enum TimerWhen {
    /// `idle` (nil minutes: the idle setting's), `idle 30m`, `idle 1h`, `idle30`: minutes,
    /// as `.some(nil)` for a bare `idle`; nil when the text is not an idle form.
    public static func parseIdle(_ text: String) -> Double?? {
        let t = text.trimmed.lowercased()
        guard t.hasPrefix("idle") else { return nil }
        var rest = t.dropFirst(4).trimmed
        if rest.hasPrefix("for ") { rest = rest.dropFirst(4).trimmed }
        if rest.isEmpty { return .some(nil) }
        let now = Date(timeIntervalSince1970: 0)
        guard !rest.contains(":"), let due = parse(rest, now: now, zoneOffset: { _ in 0 }) else { return nil }
        let minutes = due.timeIntervalSince1970 / 60
        return minutes > 0 ? .some(minutes) : nil
    }

    /// The due time, or nil with nothing understood.
    public static func parse(_ text: String, now: Date, zoneOffset: (Date) -> Int) -> Date? {
        let t = text.trimmed.lowercased()
        guard !t.isEmpty else { return nil }
        if let colon = t.firstIndex(of: ":") {
            guard let h = Int(t[..<colon]), let m = Int(t[t.index(after: colon)...]), (0...23).contains(h), (0...59).contains(m) else { return nil }
            // Today's local h:m, else tomorrow's.
            let offset = Double(zoneOffset(now))
            let local = now.timeIntervalSince1970 + offset
            let midnight = (local / 86_400).rounded(.down) * 86_400
            var due = midnight + Double(h * 3600 + m * 60) - offset
            if due <= now.timeIntervalSince1970 { due += 86_400 }
            return Date(timeIntervalSince1970: due)
        }
        var total = 0.0
        var number = ""
        var any = false
        for ch in t {
            if ch.isNumber { number.append(ch); continue }
            guard let n = Double(number) else { return nil }
            switch ch {
            case "s": total += n
            case "m": total += n * 60
            case "h": total += n * 3600
            case "d": total += n * 86_400
            default: return nil
            }
            number = ""
            any = true
        }
        if !number.isEmpty {
            // A bare number is minutes.
            guard let n = Double(number) else { return nil }
            total += n * 60
            any = true
        }
        // Past a century it is a typo (and an infinite one could not be written to the file).
        guard any, total > 0, total < 100 * 365 * 86_400 else { return nil }
        return now.addingTimeInterval(total)
    }
}
