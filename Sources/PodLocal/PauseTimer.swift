import FoundationEssentials
import PodAPI

/// "Pause this pod at" (or "when idle"): kept in `timers.json` in the state directory,
/// shared by the TUI, `podtui timers` and `podtui timers run`; acted on only while some
/// podtui process runs.
public struct PauseTimer: Sendable, Equatable, Codable {
    public enum State: String, Sendable, Codable {
        case pending
        /// Claimed by one process, which is sending the pause now.
        case firing
        case done
        case cancelled
    }

    /// What makes a timer fire.
    public enum Trigger: Sendable, Equatable, Hashable {
        /// By the clock.
        case at(Date)
        /// When the pod's GPUs have been idle this many minutes, as a podtui probing them saw.
        case whenIdle(minutes: Double)

        /// The clock time, for a clock timer.
        public var date: Date? {
            if case .at(let date) = self { return date }
            return nil
        }

        /// The minutes, for a "when idle" timer.
        public var idleMinutes: Double? {
            if case .whenIdle(let minutes) = self { return minutes }
            return nil
        }
    }

    /// Which timer this is, whatever else changes (its state, claim, retries): claims and
    /// results are recorded on the timer with this id.
    public var id: String
    public var podID: Int64
    public var name: String?
    public var trigger: Trigger
    public var created: Date
    public var state: State
    /// Who claimed it (`pid@host`) and when: a claim older than `staleClaim` is taken over.
    public var claimedBy: String?
    public var claimedAt: Date?
    /// What happened, in words ("paused", "not sent: it was PAUSED by then", an error).
    public var result: String?
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

    /// A pending timer. Without an `id`, it gets `derivedID` (what a timer of a file written
    /// before timers had ids gets too); `TimerFile` gives the timers it adds a UUID.
    public init(id: String? = nil, podID: Int64, name: String?, trigger: Trigger, created: Date, owner: TimerOwner? = nil) {
        self.id = id ?? Self.derivedID(podID: podID, created: created)
        self.podID = podID; self.name = name; self.trigger = trigger; self.created = created; self.state = .pending
        self.endpoint = owner?.endpoint; self.profile = owner?.profile
    }

    /// A "pause at" timer (the shorthand for `trigger: .at(due)`).
    public init(podID: Int64, name: String?, due: Date, created: Date, owner: TimerOwner? = nil) {
        self.init(podID: podID, name: name, trigger: .at(due), created: created, owner: owner)
    }

    /// The id of a timer that has none: from its pod and creation time, so every read of an
    /// old file gives a timer the same id until one is written.
    public static func derivedID(podID: Int64, created: Date) -> String {
        "\(podID)@\(LedgerLine.ms(created))"
    }

    /// Due now: by the clock, or by the pod's idle seconds (`idle`, from probes); never
    /// before a retry time a transient failure set.
    public func isDue(now: Date, idle: [Int64: Double]) -> Bool {
        if let retryAfter, retryAfter > now { return false }
        switch trigger {
        case .at(let due): return due <= now
        case .whenIdle(let minutes): return (idle[podID] ?? 0) >= minutes * 60
        }
    }

    /// True when a clock timer came due more than `margin` seconds before `now` (while no
    /// podtui ran, as the UI says); never for a "when idle" one.
    public func isLate(now: Date, margin: Double) -> Bool {
        trigger.date.map { $0 < now.addingTimeInterval(-margin) } ?? false
    }

    /// The order timers are listed in: clock ones soonest first, then "when idle" ones,
    /// shortest idle first (then the oldest).
    public static func listedBefore(_ a: PauseTimer, _ b: PauseTimer) -> Bool {
        switch (a.trigger, b.trigger) {
        case (.at(let x), .at(let y)): return x < y
        case (.at, .whenIdle): return true
        case (.whenIdle, .at): return false
        case (.whenIdle(let x), .whenIdle(let y)): return x != y ? x < y : a.created < b.created
        }
    }

    /// When a finished (done or cancelled) timer's keeping starts: a clock timer from its
    /// due time; a "when idle" one, which has none, from its claim or else its creation.
    public var finishedSince: Date {
        trigger.date ?? claimedAt ?? created
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

    // MARK: - The file's shape

    /// The trigger is stored as it always was, so files of earlier versions read and earlier
    /// versions read this one: a clock timer's `due`; a "when idle" one's `idleMinutes`, with
    /// a `due` no clock reaches (what earlier versions required and never fire by).
    enum CodingKeys: String, CodingKey {
        case id, podID, name, due, idleMinutes, created, state, claimedBy, claimedAt, result, endpoint, profile,
             retryAfter, failures, failingSince
    }

    /// The `due` written for a "when idle" timer, for earlier versions only: 9999-12-31.
    static let farDue = Date(timeIntervalSince1970: 253_402_214_400)

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        podID = try c.decode(Int64.self, forKey: .podID)
        created = try c.decode(Date.self, forKey: .created)
        if let minutes = try c.decodeIfPresent(Double.self, forKey: .idleMinutes) {
            trigger = .whenIdle(minutes: minutes)
        } else {
            trigger = .at(try c.decode(Date.self, forKey: .due))
        }
        id = try c.decodeIfPresent(String.self, forKey: .id) ?? Self.derivedID(podID: podID, created: created)
        name = try c.decodeIfPresent(String.self, forKey: .name)
        state = try c.decode(State.self, forKey: .state)
        claimedBy = try c.decodeIfPresent(String.self, forKey: .claimedBy)
        claimedAt = try c.decodeIfPresent(Date.self, forKey: .claimedAt)
        result = try c.decodeIfPresent(String.self, forKey: .result)
        endpoint = try c.decodeIfPresent(String.self, forKey: .endpoint)
        profile = try c.decodeIfPresent(String.self, forKey: .profile)
        retryAfter = try c.decodeIfPresent(Date.self, forKey: .retryAfter)
        failures = try c.decodeIfPresent(Int.self, forKey: .failures)
        failingSince = try c.decodeIfPresent(Date.self, forKey: .failingSince)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(podID, forKey: .podID)
        try c.encodeIfPresent(name, forKey: .name)
        switch trigger {
        case .at(let due): try c.encode(due, forKey: .due)
        case .whenIdle(let minutes):
            try c.encode(Self.farDue, forKey: .due)
            try c.encode(minutes, forKey: .idleMinutes)
        }
        try c.encode(created, forKey: .created)
        try c.encode(state, forKey: .state)
        try c.encodeIfPresent(claimedBy, forKey: .claimedBy)
        try c.encodeIfPresent(claimedAt, forKey: .claimedAt)
        try c.encodeIfPresent(result, forKey: .result)
        try c.encodeIfPresent(endpoint, forKey: .endpoint)
        try c.encodeIfPresent(profile, forKey: .profile)
        try c.encodeIfPresent(retryAfter, forKey: .retryAfter)
        try c.encodeIfPresent(failures, forKey: .failures)
        try c.encodeIfPresent(failingSince, forKey: .failingSince)
    }
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
    public static let production = endpoint(of: URL(string: YottaAPI.defaultBaseURL))

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
