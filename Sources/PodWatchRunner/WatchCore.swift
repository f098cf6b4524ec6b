import FoundationEssentials
import Logging
import PodAPI
import PodTUICore
import PodWatch

/// The watcher's bookkeeping, one actor so looks and deliveries never race: the journal
/// (memory, outbox, counters), the targets, and the health counters of `/metrics`. New
/// events are written to the journal file before anything depends on them; how deliveries
/// went is written at most once a second (`saveSoon`), since rewriting a journal of 10,000
/// owed events after each of their POSTs made a backlog's delivery quadratic (11 a second
/// at 2.7 MB). A crash, not a stop, may so send the last second's deliveries once more.
public actor WatchCore {
    private var journal: WatchJournal
    private let path: String
    private var targets: [WatchTarget]
    private let logger: Logger
    /// API list requests that failed since start, and the failures-in-a-row count last seen.
    private(set) var apiErrors = 0
    private var lastFailures = 0
    private var lastErrorText: String?
    private var lastVersion = -1
    /// The highest spend total shown: `yotta_spend_observed_dollars_total` is a counter, which
    /// must never go down (the ledger's compaction drops pods gone for long).
    private var spendHigh = 0.0
    /// The journal could not be written (full or read-only disk): said once, tried again at
    /// every change.
    private var unsaved = false
    /// Delivery outcomes not written yet, and when the journal was last written.
    private var dirty = false
    private var lastSave: ContinuousClock.Instant?
    /// Journal writes since start (tests).
    private(set) var saves = 0
    /// The least time between two writes for delivery outcomes alone.
    static let saveInterval: Duration = .seconds(1)

    public init(journal: WatchJournal, path: String, targets: [WatchTarget], logger: Logger) {
        self.journal = journal
        self.path = path
        self.targets = targets
        self.logger = logger
        let dropped = self.journal.outbox.forget(targetsNotIn: Set(targets.map(\.id)))
        if dropped > 0 { logger.warning("\(dropped) deliveries owed to targets no longer configured were dropped") }
    }

    /// Looks at a published state: counts API failures, tells what changed since the last
    /// look as events (logged, queued for each target that wants them) and writes the journal.
    /// Returns the events told.
    @discardableResult
    public func observe(_ state: AppState, now: Date = Date()) -> [WatchEvent] {
        guard state.version != lastVersion else { return [] }
        lastVersion = state.version
        let failures = state.connection.failures
        if failures > lastFailures { apiErrors += failures - lastFailures }
        if failures == 0, lastFailures > 0 { logger.notice("the API answers again") }
        lastFailures = failures
        let errorText = state.connection.lastError?.message
        if let errorText, errorText != lastErrorText { logger.warning("API: \(errorText) (tried again at the next poll)") }
        lastErrorText = errorText
        let look = WatchLook.from(state)
        let (events, memory) = EventDetector.detect(look, memory: journal.memory, nextSeq: journal.nextSeq, now: now)
        guard !events.isEmpty || memory != journal.memory else { return [] }
        journal.memory = memory
        journal.nextSeq += Int64(events.count)
        for event in events {
            journal.told[event.kind.rawValue, default: 0] += 1
            logger.notice("event \(event.kind.rawValue): \(event.text)")
        }
        let dropped = journal.outbox.add(events, targets: targets)
        if dropped > 0 { logger.error("outbox full: the \(dropped) oldest undelivered events were dropped (at most \(Outbox.maxEvents) events and \(Outbox.maxDeliveries) deliveries wait)") }
        save()
        return events
    }

    /// The next delivery due for `target`, if any.
    public func next(for target: String, now: Date = Date()) -> (Outbox.Delivery, WatchEvent)? {
        journal.outbox.next(for: target, now: now)
    }

    /// Seconds until `target`'s next delivery is due (nil: nothing owed).
    public func wait(for target: String, now: Date = Date()) -> Double? {
        journal.outbox.nextTry(for: target, now: now).map { max(0, $0.timeIntervalSince(now)) }
    }

    /// Records how a delivery went (logged: the target by its display name, never a URL).
    public func finished(_ target: WatchTarget, seq: Int64, result: WebhookSender.Result, now: Date = Date()) {
        let outcome: Outbox.Outcome
        switch result {
        case .delivered: outcome = journal.outbox.record(target: target, seq: seq, error: nil, now: now)
        case .failed(let why, let permanent): outcome = journal.outbox.record(target: target, seq: seq, error: why, permanent: permanent, now: now)
        }
        switch outcome {
        case .delivered: logger.info("event \(seq) delivered to \(target.display)")
        case .retry(let at): logger.warning("event \(seq) to \(target.display) failed: \(Self.why(result)); tried again at \(Timestamp.iso8601(at))")
        case .gaveUp(let why): logger.error("event \(seq) to \(target.display) given up: \(why)")
        }
        saveSoon()
    }

    /// Writes the journal now if it was not written in the last `saveInterval`, else leaves
    /// it for `flush` (the watcher's look loop) or the next change.
    func saveSoon() {
        dirty = true
        flush()
    }

    /// Writes delivery outcomes not written yet, once `saveInterval` has passed since the
    /// last write.
    public func flush() {
        guard dirty else { return }
        if let lastSave, ContinuousClock.now - lastSave < Self.saveInterval { return }
        save()
    }

    private static func why(_ result: WebhookSender.Result) -> String {
        if case .failed(let why, _) = result { return why }
        return "delivered"
    }

    /// The spend counter for `/metrics`: `total`, or the highest shown before if that is higher.
    public func spendCounter(_ total: Double) -> Double {
        if total.isFinite { spendHigh = max(spendHigh, total) }
        return spendHigh
    }

    /// Replaces the targets (SIGHUP): deliveries owed to removed ones are dropped and said so.
    public func setTargets(_ new: [WatchTarget]) {
        targets = new
        let dropped = journal.outbox.forget(targetsNotIn: Set(new.map(\.id)))
        if dropped > 0 { logger.warning("\(dropped) deliveries owed to targets no longer configured were dropped") }
        save()
    }

    public var currentTargets: [WatchTarget] { targets }

    /// Events told since the journal began, per kind, and deliveries owed.
    public var counters: (told: [WatchEventKind: Int], owed: Int) {
        var told: [WatchEventKind: Int] = [:]
        for (name, count) in journal.told { if let kind = WatchEventKind(rawValue: name) { told[kind] = count } }
        return (told, journal.outbox.count)
    }

    /// A copy of the journal (tests, and the last save at exit).
    public var snapshot: WatchJournal { journal }

    /// Writes the journal; a failure is logged once until a write works again.
    public func save() {
        saves += 1
        // Even a failed write counts: a full disk is not tried more than once a second for
        // delivery outcomes alone.
        lastSave = ContinuousClock.now
        dirty = false
        do {
            try journal.save(path)
            if unsaved { logger.notice("the journal is written again: \(path)") }
            unsaved = false
        } catch {
            if !unsaved { logger.error("cannot write the journal (\(error)); events are kept in memory and written when it can") }
            unsaved = true
            dirty = true   // `flush` tries again a second later, without waiting for a change
        }
    }
}
