import Foundation
import Synchronization
import Testing
import PodAPI
@testable import PodTUICore
@testable import PodTUI

/// An in-memory PodService whose list call waits until released, to catch overlapping polls.
final class SlowService: NoStorageService {
    let calls = Mutex(0)
    let inFlight = Mutex(0)
    let maxInFlight = Mutex(0)
    let pods: [Pod]
    init(pods: [Pod]) { self.pods = pods }

    func listPods(regions: [String], statuses: [PodStatus]) async throws -> PodList {
        calls.withLock { $0 += 1 }
        let now = inFlight.withLock { $0 += 1; return $0 }
        maxInFlight.withLock { $0 = max($0, now) }
        try await Task.sleep(for: .milliseconds(150))
        inFlight.withLock { $0 -= 1 }
        return PodList(pods: pods)
    }
    func getPod(id: Int64) async throws -> Pod { throw PodAPIError.notFound(podID: id) }
    func createPod(_ request: PodV2CreateRequest) async throws -> CreateResult { throw PodAPIError.connection("no") }
    func pausePod(id: Int64) async throws {}
    func resumePod(id: Int64) async throws {}
    func deletePod(id: Int64) async throws {}
    func gpuTypes() async throws -> [GPUType] { [] }
    func registryCredentials() async throws -> [RegistryCredential] { [] }
}

@Suite("Store with an in-memory service")
struct StoreTests {
    @Test("rapid ticks never start a second list request while one is in flight")
    func noOverlap() async throws {
        let service = SlowService(pods: Fixtures.pods)
        let box = StateBox(AppState(endpoint: "x", interval: 1, now: Date()))
        let (actions, inbox) = AsyncStream.makeStream(of: Action.self)
        let store = Store(state: box.read(), service: service, box: box, inbox: inbox)
        let consumer = Task.detached { await store.consume(actions) }
        inbox.yield(.start(Date()))
        // Ticks spread over the time the first (slow) list request is out.
        for _ in 0..<20 {
            inbox.yield(.tick(Date().addingTimeInterval(100)))
            try await Task.sleep(for: .milliseconds(10))
        }
        try await waitUntil { box.read().fleet.pods.count == 4 && box.read().selectedPod != nil }
        #expect(service.maxInFlight.withLock { $0 } == 1)
        #expect(box.read().fleet.pods.count == 4)
        #expect(box.read().selectedPod?.name == "broken")
        inbox.finish()
        await consumer.value
    }

    @Test("a key waiting behind a list reply is reduced first; without keys waiting the order holds",
          arguments: [true, false])
    func keysPassAReply(keysFirst: Bool) async throws {
        // Pod "broken" is selected (name order) and the reply drops it; Enter opens the
        // detail pane. Key first: the detail of "broken" opens, then the reply takes it away
        // ("The pod you were viewing is gone"). Reply first: Enter opens its neighbour.
        let box = StateBox(Fixtures.loaded())
        #expect(box.read().selectedPod?.name == "broken")
        let (actions, inbox) = AsyncStream.makeStream(of: Action.self)
        let store = Store(state: box.read(), service: SlowService(pods: Fixtures.pods), box: box, inbox: inbox)
        let keys = KeysWaiting()
        // Both are in the inbox before the store reads either, as when a key is typed while
        // the store is busy and a reply lands.
        inbox.yield(.podsLoaded(generation: box.read().connection.generation, PodList(pods: Array(Fixtures.pods.prefix(3))), Fixtures.now))
        keys.arrived()
        inbox.yield(.key(.enter, Fixtures.now))
        inbox.finish()
        await store.consume(actions, keys: keysFirst ? keys : nil)
        let state = box.read()
        #expect(state.fleet.pods.count == 3)
        if keysFirst {
            #expect(!keys.any)
            #expect(state.message?.text == "The pod you were viewing is gone")
            #expect(state.nav.focus == .list)
        } else {
            #expect(state.nav.focus == .detail)
            #expect(state.selectedPod?.name == "llama-ft-7")
        }
    }

    @Test(":profile switches the service the store talks to, and its endpoint and read-only mode")
    func profileSwitch() async throws {
        let first = SlowService(pods: Fixtures.pods)
        let second = SlowService(pods: [Fixtures.pod(77, "other-cloud", .running)])
        let box = StateBox(AppState(endpoint: "first", interval: 1, now: Date()))
        let (actions, inbox) = AsyncStream.makeStream(of: Action.self)
        let store = Store(state: box.read(), service: first, box: box, inbox: inbox, switchProfile: { name in
            guard name == "dev" else { throw PodAPIError.configuration("No profile named \(name)") }
            return SwitchedConnection(service: second, endpoint: "dev.example", readOnly: true)
        })
        let consumer = Task.detached { await store.consume(actions) }
        inbox.yield(.start(Date()))
        try await waitUntil { box.read().fleet.pods.count == 4 }
        for key in ":profile nope\r".map({ $0 == "\r" ? Key.enter : Key.char($0) }) { inbox.yield(.key(key, Date())) }
        // In :events (the message line may have moved on by the time a loaded machine looks).
        try await waitUntil { box.read().events.contains { $0.text == "Profile nope: No profile named nope" } }
        for key in ":profile dev\r".map({ $0 == "\r" ? Key.enter : Key.char($0) }) { inbox.yield(.key(key, Date())) }
        try await waitUntil { box.read().fleet.pods.first?.name == "other-cloud" }
        let state = box.read()
        #expect(state.settings.endpoint == "dev.example" && state.settings.readOnly)
        #expect(state.fleet.pods.map(\.name) == ["other-cloud"])
        #expect(second.calls.withLock { $0 } >= 1)
        inbox.finish()
        await consumer.value
    }

    /// Polls `condition` until it holds (or 10 s pass): timing-independent on a loaded machine.
    func waitUntil(_ condition: () -> Bool, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        // Generous: in a full run on 2 cores, synchronous suites (key fuzzing runs 50 s) can
        // hold both threads of the cooperative pool this store runs on for over 30 s.
        let deadline = ContinuousClock.now + .seconds(120)
        while !condition() {
            if ContinuousClock.now > deadline { Issue.record("condition not met in 120 s", sourceLocation: sourceLocation); return }
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}
