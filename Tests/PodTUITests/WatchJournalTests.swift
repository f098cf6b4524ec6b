import FoundationEssentials
import Libc
import Testing
import PodFiles
import PodLocalFiles
@testable import PodWatch
@testable import PodWatchRunner

/// The watcher's journal and lock: read back whole, never written over when unreadable, set
/// aside when it does not parse; one holder of the lock per profile.
@Suite("Watch: journal and lock")
struct WatchJournalTests {
    func directory() throws -> String {
        let path = FileManager.default.temporaryDirectory.path + "/podtui-journal-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test("names per profile, beside the lock")
    func names() {
        #expect(WatchJournal.path(directory: "/s", profile: nil) == "/s/watch-journal.json")
        #expect(WatchJournal.path(directory: "/s", profile: "prod eu") == "/s/watch-journal-prod_eu.json")
    }

    @Test("saved and loaded with its memory, outbox and counters")
    func roundTrip() throws {
        let dir = try directory()
        let path = WatchJournal.path(directory: dir, profile: nil)
        #expect(try WatchJournal.load(path) == .fresh)
        var journal = WatchJournal()
        journal.nextSeq = 42
        journal.memory = WatchMemory(pods: [.init(id: 1, name: "a", status: "RUNNING", idleTold: true)], overBudget: true, toldTimers: ["t"])
        journal.outbox.add([WatchEvent(seq: 41, kind: .idle, pod: nil, text: "x", time: Date(timeIntervalSince1970: 1))],
                           targets: [WatchTarget(kind: .webhook(url: "https://h.example/SECRET"))])
        journal.told = ["idle": 3]
        try journal.save(path)
        #expect(try WatchJournal.load(path) == .journal(journal))
        let text = try #require(try AtomicFile.readText(path))
        #expect(!text.contains("SECRET"))
    }

    @Test("a journal that does not parse is moved aside, never overwritten; one that cannot be read throws")
    func hostile() throws {
        let dir = try directory()
        let path = WatchJournal.path(directory: dir, profile: nil)
        try AtomicFile.write(Array("{ not json".utf8), to: path)
        guard case .setAside(let aside) = try WatchJournal.load(path, now: Date(timeIntervalSince1970: 5)) else {
            Issue.record("not set aside"); return
        }
        #expect(try AtomicFile.readText(aside) == "{ not json")
        #expect(try WatchJournal.load(path) == .fresh)
        // A directory where the file should be: an error, not "no journal".
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        #expect(throws: (any Error).self) { try WatchJournal.load(path) }
    }

    @Test("the second taker of a profile's lock is told who holds it; a release frees it")
    func lock() throws {
        let dir = try directory()
        let held = try WatcherLock.acquire(in: dir, profile: "p")
        #expect(throws: WatcherLock.Refusal.self) { _ = try WatcherLock.acquire(in: dir, profile: "p") }
        do { _ = try WatcherLock.acquire(in: dir, profile: "p") } catch let refusal as WatcherLock.Refusal {
            guard case .held(_, let pid, let since) = refusal else { Issue.record("\(refusal)"); return }
            #expect(pid == getpid())
            #expect(since != nil)
        }
        let other = try WatcherLock.acquire(in: dir, profile: nil)   // another profile: its own lock
        other.release()
        held.release()
        held.release()   // twice is harmless
        let again = try WatcherLock.acquire(in: dir, profile: "p")
        again.release()
        #expect(WatcherLock.info(dir + "/watch-p.lock")?.pid == getpid())
    }
}
