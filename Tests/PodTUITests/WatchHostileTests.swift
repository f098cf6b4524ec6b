import Dispatch
import FoundationEssentials
import Libc
import Logging
import Synchronization
import Testing
import PodAPI
import PodFiles
@testable import PodWatch
@testable import PodWatchRunner

/// `podtui watch` against hostile input (issue 27's "Bad input"): a config.yaml with
/// thousands of targets, names of any length, a journal too large to read, a state
/// directory that warns at every poll, a hook still running when the watcher stops.
@Suite("Watch: hostile input")
struct WatchHostileTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    func parse(_ yaml: String) throws -> WatchSettings {
        let (config, _) = try ConfigFile.parse(yaml, path: "/tmp/config.yaml")
        return WatchSettings.parse(config.raw["watch"])
    }

    @Test("10,000 webhooks: the first 32 targets are used, the rest said once, not read")
    func manyTargets() throws {
        var yaml = "watch:\n  webhooks:\n"
        for i in 0..<10_000 { yaml += "    - url: https://hooks.example/h\(i)/SECRETMANY\(i)\n" }
        yaml += "  exec:\n    - command: [/bin/true]\n"
        let s = try parse(yaml)
        #expect(s.targets.count == WatchSettings.maxTargets)
        #expect(s.problems.count == 1)
        #expect(s.problems.first?.contains("the 9969 after them are left out") == true)
        #expect(!(s.problems.first ?? "").contains("SECRETMANY"))
        // Flags added after config.yaml's are capped the same way.
        var merged = s
        merged.targets.append(WatchTarget(kind: .webhook(url: "https://flag.example/x")))
        merged.capTargets()
        #expect(merged.targets.count == WatchSettings.maxTargets)
        #expect(merged.problems.last?.contains("the 1 after them") == true)
    }

    @Test("a bad URL's reason reads as a sentence")
    func urlWording() throws {
        let s = try parse("watch:\n  webhooks:\n    - url: \"https://ok.example/a b\"\n    - url: ftp://x/y\n    - url: \"http:///nohost\"\n")
        #expect(s.problems.contains("watch.webhooks[1]: the url contains spaces or control characters"))
        #expect(s.problems.contains("watch.webhooks[2]: the url is not an http:// or https:// URL"))
        #expect(s.problems.contains("watch.webhooks[3]: the url has no host"))
        #expect(!s.problems.contains { $0.contains("is contains") || $0.contains("is has") })
    }

    @Test("32 targets and a receiver down for long: the deliveries owed stay bounded, oldest dropped first")
    func deliveriesBounded() {
        let targets = (0..<WatchSettings.maxTargets).map { WatchTarget(kind: .webhook(url: "https://h\($0).example/x")) }
        var box = Outbox()
        var dropped = 0
        for seq in Int64(1)...2_000 {
            dropped += box.add([WatchEvent(seq: seq, kind: .idle, pod: nil, text: "e\(seq)", time: t0)], targets: targets)
        }
        #expect(box.count <= Outbox.maxDeliveries)
        #expect(box.count > Outbox.maxDeliveries - WatchSettings.maxTargets)
        #expect(dropped == 2_000 - box.count / WatchSettings.maxTargets)
        // The newest are kept, in order, for every target.
        #expect(box.next(for: targets[0].id, now: t0)?.1.seq == Int64(2_000 - box.count / WatchSettings.maxTargets + 1))
        #expect(box.owedCount(for: targets[31].id) == box.count / WatchSettings.maxTargets)
    }

    @Test("a journal at its bounds, with the longest names and errors, is well under its read limit")
    func journalAtBoundsReadsBack() throws {
        let huge = String(repeating: "n", count: 1 << 20)
        let name = WatchLook.short(huge)
        #expect(name.count == WatchLook.textLimit && name.hasSuffix("…"))
        #expect(WatchLook.short("a\u{1b}]52;c;x\u{7}") == "a\u{FFFD}]52;c;x\u{FFFD}")
        // The size of a journal with `count` of the largest events, each owed once and failed
        // with the longest error: what one more event and delivery add, times the bound.
        func size(_ count: Int64) throws -> Int {
            let target = WatchTarget(kind: .webhook(url: "https://h.example/x"))
            var journal = WatchJournal()
            for seq in 1...count {
                let pod = WatchEvent.PodRef(id: Int64.max - seq, name: name, status: "TERMINATING")
                journal.outbox.add([WatchEvent(seq: seq, kind: .idle, pod: pod, text: "\(pod.label): its GPUs have been idle for 59m ($19.20/h)",
                                               time: t0)], targets: [target])
                _ = journal.outbox.record(target: target, seq: seq, error: String(repeating: "e", count: 300), now: t0)
            }
            return try JSONEncoder.api.encode(journal).count
        }
        let one = try size(1), two = try size(2)
        let atBounds = one + (two - one) * Outbox.maxDeliveries
        #expect(atBounds < WatchJournal.readLimit / 2, "\(atBounds) bytes")
    }

    @Test("a journal larger than the read limit is set aside, not refused (a refused one stops every later watcher)")
    func hugeJournalSetAside() throws {
        let dir = FileManager.default.temporaryDirectory.path + "/podtui-hostile-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let path = WatchJournal.path(directory: dir, profile: nil)
        let fd = open(path, O_WRONLY | O_CREAT, 0o600)
        #expect(fd >= 0)
        #expect(ftruncate(fd, off_t(WatchJournal.readLimit) + 1) == 0)   // sparse: no 32 MB written
        close(fd)
        guard case .setAside(let aside) = try WatchJournal.load(path, now: t0) else {
            Issue.record("not set aside"); return
        }
        #expect(FileManager.default.fileExists(atPath: aside))
        #expect(try WatchJournal.load(path) == .fresh)
    }

    @Test("a FIFO where the journal should be is refused at once, not read forever")
    func fifoJournal() async throws {
        let dir = FileManager.default.temporaryDirectory.path + "/podtui-hostile-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let path = WatchJournal.path(directory: dir, profile: nil)
        #expect(mkfifo(path, 0o600) == 0)
        final class Outcome: Sendable { let threw = Mutex<Bool?>(nil) }
        let outcome = Outcome()
        DispatchQueue.global().async {
            let threw: Bool
            do { _ = try WatchJournal.load(path); threw = false } catch { threw = true }
            outcome.threw.withLock { $0 = threw }
        }
        try await waitUntil(seconds: 5) { outcome.threw.withLock { $0 } != nil }
        if outcome.threw.withLock({ $0 }) == nil {
            // Still blocked in the read: a writer that closes at once lets it end.
            let fd = open(path, O_WRONLY | O_NONBLOCK)
            if fd >= 0 { close(fd) }
        }
        #expect(outcome.threw.withLock { $0 } == true)
    }

    /// Keeps what reaches it.
    struct Recorder: LogHandler {
        final class Lines: Sendable { let all = Mutex<[String]>([]) }
        let lines = Lines()
        var logLevel: Logger.Level = .trace
        var metadata: Logger.Metadata = [:]
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) { lines.all.withLock { $0.append("\(event.level) \(event.message)") } }
    }

    final class Clock: Sendable {
        let now = Mutex(Date(timeIntervalSince1970: 1_800_000_000))
        func advance(_ seconds: Double) { now.withLock { $0 = $0.addingTimeInterval(seconds) } }
    }

    @Test("the same warning at every poll is said once per window, then with how many were left out")
    func quietRepeats() {
        let recorder = Recorder()
        let clock = Clock()
        let logger = Logger(label: "t") { _ in QuietRepeats(recorder, window: 600, clock: { clock.now.withLock { $0 } }) }
        for _ in 0..<100 {
            logger.warning("ledger append: Cannot write x: No space left on device")
            logger.info("event 1 delivered")
            clock.advance(1)
        }
        logger.error("another failure")
        clock.advance(600)
        logger.warning("ledger append: Cannot write x: No space left on device")
        let lines = recorder.lines.all.withLock { $0 }
        #expect(lines.filter { $0.hasPrefix("warning") } == [
            "warning ledger append: Cannot write x: No space left on device",
            "warning ledger append: Cannot write x: No space left on device (99 more of this line left out)",
        ])
        #expect(lines.filter { $0.hasPrefix("info") }.count == 100)   // below warning: every one
        #expect(lines.contains("error another failure"))
    }

    @Test("a backlog delivered after an outage rewrites the journal about once a second, not after every POST")
    func deliveriesSavedInBatches() async throws {
        let dir = FileManager.default.temporaryDirectory.path + "/podtui-hostile-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let path = WatchJournal.path(directory: dir, profile: nil)
        let target = WatchTarget(kind: .webhook(url: "https://h.example/x"))
        var journal = WatchJournal()
        journal.outbox.add((1...200).map { WatchEvent(seq: $0, kind: .idle, pod: nil, text: "e\($0)", time: t0) }, targets: [target])
        let core = WatchCore(journal: journal, path: path, targets: [target], logger: Logger(label: "t") { _ in SwiftLogNoOpLogHandler() })
        for seq in Int64(1)...200 { await core.finished(target, seq: seq, result: .delivered) }
        #expect(await core.saves <= 2)
        // The look loop's flush writes the rest once the interval has passed.
        func owedOnDisk() -> Int? {
            guard case .journal(let read)? = try? WatchJournal.load(path) else { return nil }
            return read.outbox.count
        }
        // A flush before each check: on a busy machine one wakeup may come long after the last.
        let deadline = ContinuousClock.now + .seconds(60)
        while true {
            await core.flush()
            if owedOnDisk() == 0 || ContinuousClock.now >= deadline { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(owedOnDisk() == 0)
        #expect(await core.saves <= 3)
    }

    @Test("stopping ends a hook still running (its deadline dies with the watcher); the event stays owed")
    func hookKilledAtStop() async throws {
        let event = WatchEvent(seq: 1, kind: .idle, pod: nil, text: "t", time: t0)
        let start = ContinuousClock.now
        let hooks = RunningHooks()   // this test's own: other tests' hooks are not its to end
        let run = Task { await ExecHook.run(["/bin/sh", "-c", "sleep 300"], event: event, timeout: 300, running: hooks) }
        try await waitUntil(seconds: 60) { hooks.count == 1 }
        #expect(hooks.stopAll() == 1)
        let result = await run.value
        #expect(ContinuousClock.now - start < .seconds(120))
        #expect(result != .delivered)
        #expect(hooks.count == 0)
    }
}
