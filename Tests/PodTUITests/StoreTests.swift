import Foundation
import Synchronization
import Testing
import PodAPI
@testable import PodTUI

/// An in-memory PodService whose list call waits until released, to catch overlapping polls.
final class SlowService: PodService {
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
    func getPod(id: Int64) async throws -> Pod { throw PodAPIError.api(httpStatus: 200, code: 13000, message: "", podID: id) }
    func createPod(_ request: PodV2CreateRequest) async throws -> Pod { throw PodAPIError.connection("no") }
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
        let box = StateBox(AppState(endpoint: "x", interval: 1))
        let (actions, inbox) = AsyncStream.makeStream(of: Action.self)
        let store = Store(state: box.read(), service: service, box: box, inbox: inbox)
        let consumer = Task.detached { await store.consume(actions) }
        inbox.yield(.start(Date()))
        for _ in 0..<20 {
            inbox.yield(.tick(Date().addingTimeInterval(100)))
            try await Task.sleep(for: .milliseconds(10))
        }
        try await Task.sleep(for: .milliseconds(400))
        #expect(service.maxInFlight.withLock { $0 } == 1)
        #expect(box.read().pods.count == 4)
        #expect(box.read().selectedPod?.name == "broken")
        inbox.finish()
        await consumer.value
    }
}
