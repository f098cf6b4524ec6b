import Foundation
import Testing
import PodAPI
import PodClient
import PodLocal
import PodLocalFiles
@testable import PodTUICore
@testable import PodTUI
import Libc

/// The store and the local files: only its own endpoint's timers, and a held lock never
/// stops it.
@Suite("Store and the state directory", .serialized)
struct StoreFilesTests {
    func tempDir() -> String {
        let dir = NSTemporaryDirectory() + "podtui-storefiles-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        return dir
    }

    /// Waits (up to `seconds`) until `condition` holds for the published state. Generous: the
    /// whole suite runs at once on 2 cores; only a failure waits that long.
    func until(_ box: StateBox, seconds: Double = 30, _ condition: (AppState) -> Bool) async throws -> Bool {
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

    /// Seconds until `condition` holds for the published state, watched from a thread of its
    /// own (not the cooperative pool, which the old code starved); nil when it never did.
    func secondsUntil(_ box: StateBox, limit: Double, _ condition: @escaping @Sendable (AppState) -> Bool) async -> Double? {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                let start = Date()
                while Date().timeIntervalSince(start) < limit {
                    if condition(box.read()) { continuation.resume(returning: Date().timeIntervalSince(start)); return }
                    usleep(5_000)
                }
                continuation.resume(returning: nil)
            }
        }
    }

    @Test("firing timers waits for a held timers.lock on the file queue: keys and polls go on meanwhile")
    func fireOffThePool() async throws {
        // More stores than the cooperative pool has threads, each with a due timer whose
        // file another process holds locked: a claim that waited on a pool thread would
        // leave none for the stores' actors.
        let count = ProcessInfo.processInfo.activeProcessorCount + 2
        let t0 = Date()
        var locks: [Int32] = []
        var stores: [(StateBox, AsyncStream<Action>.Continuation, Task<Void, Never>)] = []
        var services: [FlakyService] = []
        for _ in 0..<count {
            let dir = tempDir()
            var local = LocalFiles(directory: dir, owner: .legacy)
            local.timers.lockTimeout = 4
            try local.timers.add([(id: 7, name: "due")], due: t0.addingTimeInterval(-1), now: t0.addingTimeInterval(-60), owner: .legacy)
            var state = AppState(endpoint: "x", interval: 1, now: t0)
            state.settings.timersEnabled = true
            state.timers.timers = try local.timers.load()
            let fd = open(dir + "/timers.lock", O_RDWR)
            #expect(fd >= 0 && flock(fd, LOCK_EX) == 0)
            locks.append(fd)
            state.timers.loaded = true
            state.timers.lastLoad = t0   // no reload for 5 s: only the firing touches the file
            let box = StateBox(state)
            let (actions, inbox) = AsyncStream.makeStream(of: Action.self)
            let service = FlakyService(getPod: { _ in })
            services.append(service)
            let store = Store(state: state, service: service, box: box, inbox: inbox, local: local)
            stores.append((box, inbox, Task.detached { await store.consume(actions) }))
        }
        for (_, inbox, _) in stores { inbox.yield(.tick(t0.addingTimeInterval(1))) }
        for (box, _, _) in stores {
            #expect(await secondsUntil(box, limit: 3) { $0.timers.firing } != nil)
        }
        // Every claim now waits on its lock. A key still gets its answer at once.
        let (box, inbox, _) = stores[0]
        inbox.yield(.key(.char("?"), t0.addingTimeInterval(2)))
        let took = await secondsUntil(box, limit: 3) { $0.nav.overlay == .help }
        #expect(took.map { $0 < 1.5 } == true, "the key took \(took.map { "\($0)s" } ?? "more than 3 s")")
        // The locks go: every claim goes through, and each pod is paused once.
        for fd in locks { close(fd) }
        for (box, _, _) in stores {
            #expect(await secondsUntil(box, limit: 20) { !$0.timers.firing } != nil)
        }
        #expect(services.map(\.pauses.value) == Array(repeating: 1, count: count))
        for (_, inbox, consumer) in stores {
            inbox.finish()
            await consumer.value
        }
    }

    @Test("a :profile switch: a reply still queued writes to the old endpoint's ledger, the next ones to the new one's")
    func switchRoutesLedger() async throws {
        let dir = tempDir()
        let t0 = Date()
        let url = try #require(URL(string: "http://127.0.0.1:9"))
        let two = HTTPPodService(configuration: ClientConfiguration(baseURL: url, apiKey: APIKey("k")))
        let local = LocalFiles(directory: dir)
        let oldPath = local.ledger(for: .legacy).path
        let newPath = local.ledger(for: TimerOwner(baseURL: url, profile: nil)).path
        #expect(oldPath != newPath)
        var state = AppState(endpoint: "x", interval: 1, now: t0)
        state.spend.session = "me"
        let box = StateBox(state)
        let (actions, inbox) = AsyncStream.makeStream(of: Action.self)
        let store = Store(state: state, service: FlakyService(getPod: { _ in }), box: box, inbox: inbox,
                          switchProfile: { _ in SwitchedConnection(service: two, endpoint: url.absoluteString, readOnly: false) }, local: local)
        // Queued before the store runs: `:profile two`, then a reply of the old account, so
        // the service is replaced before the reply is reduced, and the switch after it.
        inbox.yield(.key(.char(":"), t0))
        for c in "profile two" { inbox.yield(.key(.char(c), t0)) }
        inbox.yield(.key(.enter, t0))
        inbox.yield(.tagged(epoch: 0, .podsLoaded(generation: 0, PodList(pods: [Pod(id: 1, name: "old", status: .running, gpuType: "g")]), t0)))
        let consumer = Task.detached { await store.consume(actions) }
        #expect(try await until(box) { $0.epoch == 1 })
        let generation = box.read().connection.generation
        inbox.yield(.tagged(epoch: 1, .podsLoaded(generation: generation, PodList(pods: [Pod(id: 2, name: "new", status: .running, gpuType: "g")]), t0)))
        func ids(_ path: String) -> Set<Int64> {
            let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
            return Set(LedgerLine.parse(text).compactMap { if case .edge(_, let id, _, _, _, _, _) = $0 { id } else { nil } })
        }
        #expect(try await until(box) { _ in ids(oldPath) == [1] && ids(newPath) == [2] }, "old \(ids(oldPath)), new \(ids(newPath))")
        #expect(box.read().spend.total.keys.sorted() == [2])
        inbox.finish()
        await consumer.value
    }

    @Test("a ledger file at its hard size: the store says so once, and the file does not grow")
    func fullLedgerNotice() async throws {
        let dir = tempDir()
        let now = Date()
        let local = LocalFiles(directory: dir, owner: .legacy)
        let path = local.ledger(for: .legacy).path
        // Another process's live session filled it: compacting cannot shrink it.
        let name = String(repeating: "n", count: 1 << 20)
        var text = ""
        for id in 0..<33 {
            text += LedgerLine.edge(session: "other", id: Int64(id), name: name, status: "RUNNING", at: LedgerLine.ms(now), price: 1, created: nil).text + "\n"
        }
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        let size = try #require(FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber).int64Value
        var state = AppState(endpoint: "x", interval: 1, now: now)
        state.spend.session = "me"
        state.settings.timersEnabled = true
        let box = StateBox(state)
        let (actions, inbox) = AsyncStream.makeStream(of: Action.self)
        let store = Store(state: state, service: FlakyService(getPod: { _ in }), box: box, inbox: inbox, local: local)
        let consumer = Task.detached { await store.consume(actions) }
        // Two heartbeats a minute apart: two appends refused, one notice.
        inbox.yield(.tick(now))
        #expect(try await until(box) { $0.message?.text.contains("Spend ledger not written") == true })
        let first = box.read().events.count
        // The second tick's append and then its timers read go to the one file queue in that
        // order: once the read is back, a notice from the append would have come before it.
        let second = now.addingTimeInterval(60)
        inbox.yield(.tick(second))
        #expect(try await until(box) { $0.timers.lastLoad == second && !$0.timers.loading })
        #expect(box.read().events.count == first)
        #expect(try #require(FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber).int64Value == size)
        inbox.finish()
        await consumer.value
    }
}
