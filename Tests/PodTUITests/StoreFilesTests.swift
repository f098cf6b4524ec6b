import Foundation
import Testing
import PodAPI
import PodLocal
@testable import PodTUICore
@testable import PodTUI
#if canImport(Glibc)
import Glibc
#endif

/// The store and the local files: only its own endpoint's timers, and a held lock never
/// stops it.
@Suite("Store and the state directory", .serialized)
struct StoreFilesTests {
    func tempDir() -> String {
        let dir = NSTemporaryDirectory() + "podtui-storefiles-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        return dir
    }

    /// Waits (up to `seconds`) until `condition` holds for the published state.
    func until(_ box: StateBox, seconds: Double = 10, _ condition: (AppState) -> Bool) async throws -> Bool {
        let end = ContinuousClock.now + .milliseconds(Int64(seconds * 1000))
        while ContinuousClock.now < end {
            if condition(box.read()) { return true }
            try await Task.sleep(for: .milliseconds(20))
        }
        return condition(box.read())
    }

    func start(_ local: LocalFiles) -> (StateBox, AsyncStream<Action>.Continuation, Task<Void, Never>) {
        var state = AppState(endpoint: "x", interval: 1, now: Date())
        state.settings.timersEnabled = true
        let box = StateBox(state)
        let (actions, inbox) = AsyncStream.makeStream(of: Action.self)
        let store = Store(state: box.read(), service: FlakyService(getPod: { _ in }), box: box, inbox: inbox, local: local)
        let consumer = Task.detached { await store.consume(actions) }
        return (box, inbox, consumer)
    }

    @Test("the TUI shows and fires only its own endpoint's timers")
    func ownTimersOnly() async throws {
        let dir = tempDir()
        let sim = TimerOwner(endpoint: "http://127.0.0.1:8080", profile: nil)
        let file = TimerFile(directory: dir)
        try file.add([(id: 1, name: "real")], due: Date().addingTimeInterval(3600), owner: .legacy)
        try file.add([(id: 2, name: "simulated")], due: Date().addingTimeInterval(3600), owner: sim)
        let (box, inbox, consumer) = start(LocalFiles(directory: dir, owner: sim))
        inbox.yield(.start(Date()))
        #expect(try await until(box) { $0.timers.loaded })
        #expect(box.read().timers.timers.map(\.podID) == [2])
        inbox.finish()
        await consumer.value
    }

    @Test("a timer lock held by another process: the store reports it within the bound and keeps answering")
    func heldLock() async throws {
        let dir = tempDir()
        var local = LocalFiles(directory: dir, owner: .legacy)
        local.timers.lockTimeout = 0.5
        _ = try local.timers.load()
        let fd = open(dir + "/timers.lock", O_RDWR)
        #expect(fd >= 0 && flock(fd, LOCK_EX) == 0)
        defer { close(fd) }
        let (box, inbox, consumer) = start(local)
        let t0 = Date()
        inbox.yield(.start(t0))
        // The store answers keys while the file work waits for the lock.
        inbox.yield(.key(.char("?"), t0.addingTimeInterval(1)))
        #expect(try await until(box, seconds: 2) { $0.nav.overlay == .help })
        #expect(try await until(box, seconds: 8) { $0.timers.problem?.contains("locked") == true })
        inbox.finish()
        await consumer.value
    }
}
