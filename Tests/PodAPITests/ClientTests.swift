import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
@testable import PodAPI
@testable import PodClient
@testable import PodSim

@Suite("HTTP client against the simulator over loopback")
struct ClientTests {
    @Test("list, get and filters on the demo fleet")
    func listAndGet() async throws {
        // Lifecycles frozen: at speed 1 the TERMINATING pod is gone 38 s after the start, which
        // a loaded machine running every suite at once can reach before the first list.
        let sim = try await SimHarness.start(speed: 0.001)
        defer { Task { await sim.stop() } }
        let all = try await sim.service.listPods()
        #expect(all.pods.count == 15)
        #expect(all.pods.allSatisfy { $0.id > 1 << 53 })
        let running = try await sim.service.listPods(regions: [], statuses: [.running])
        #expect(!running.pods.isEmpty && running.pods.allSatisfy { $0.status == .running })
        let east = try await sim.service.listPods(regions: ["us-east-1", "sg"], statuses: [.running, .paused])
        #expect(!east.pods.isEmpty && east.pods.allSatisfy { ["us-east-1", "sg"].contains($0.region) && [.running, .paused].contains($0.status) })
        let pod = try await sim.service.getPod(id: all.pods[0].id)
        #expect(pod.id == all.pods[0].id)
        let requests = await sim.requests()
        #expect(requests.contains { $0.query == "statusList=RUNNING" })
        #expect(requests.contains { $0.query.contains("regionList=us-east-1,sg") && $0.query.contains("statusList=RUNNING,PAUSED") })
    }

    @Test("the simulator accepts statusList as names, codes, comma-separated or repeated")
    func statusListForms() async throws {
        let sim = try await SimHarness.start()
        defer { Task { await sim.stop() } }
        for query in ["statusList=RUNNING,PAUSED", "statusList=1&statusList=3", "statusList=running&statusList=3", "statusList=1,3"] {
            let url = URL(string: sim.server.baseURL.absoluteString + "/v2/pods?" + query)!
            var request = URLRequest(url: url)
            request.setValue(SimHarness.key, forHTTPHeaderField: "X-Api-Key")
            let (data, _) = try await URLSession.shared.data(for: request)
            let list: LossyArray<Pod> = try HTTPPodService.decodeData(data)
            #expect(Set(list.elements.map(\.status)) == [.running, .paused], "\(query)")
        }
    }

    @Test("headers: key, content type and user agent; the key is never recorded")
    func headers() async throws {
        let sim = try await SimHarness.start()
        defer { Task { await sim.stop() } }
        _ = try await sim.service.gpuTypes()
        _ = try await sim.service.registryCredentials()
        let requests = await sim.requests()
        #expect(requests.count == 2 && requests.allSatisfy(\.hadAPIKey))
        let dump = String(decoding: try JSONEncoder().encode(requests), as: UTF8.self)
        #expect(!dump.contains(SimHarness.key))
    }

    @Test("create, pause, resume and delete move a pod through its lifecycle")
    func lifecycle() async throws {
        let sim = try await SimHarness.start(.empty, speed: 100)
        defer { Task { await sim.stop() } }
        var request = PodV2CreateRequest(name: "life", image: "ubuntu:22.04", gpuType: "NVIDIA_RTX_4090_24G", gpuCount: 2)
        request.expose = [PortSpec(port: 22, protocol: "SSH")]
        request.environmentVars = [EnvVar(key: "K", value: "V")]
        let created = try #require(try await sim.service.createPod(request).pod)
        #expect(created.status == .initializing && created.gpuCount == 2)
        try await waitFor(.running, id: created.id, sim)
        let running = try await sim.service.getPod(id: created.id)
        #expect(running.sshCmd != nil && running.expose?.first?.healthy == true)
        try await sim.service.pausePod(id: created.id)
        // PAUSING lasts 50 ms at speed 100: a loaded machine may already see PAUSED.
        let afterPause = try await sim.service.getPod(id: created.id).status
        #expect(afterPause == .pausing || afterPause == .paused)
        try await waitFor(.paused, id: created.id, sim)
        try await sim.service.resumePod(id: created.id)
        try await waitFor(.running, id: created.id, sim)
        try await sim.service.deletePod(id: created.id)
        try await waitFor(.terminated, id: created.id, sim)
        let body = try #require(await sim.requests().first { $0.method == "POST" && $0.path == "/v2/pods" }?.body)
        #expect(body.contains(#""gpuCount":2"#) && body.contains(#""expose":[{"port":22,"protocol":"ssh"}]"#))
    }

    func waitFor(_ status: PodStatus, id: Int64, _ sim: SimHarness) async throws {
        try await eventually("pod \(id) reaching \(status)") { try await sim.service.getPod(id: id).status == status }
    }

    @Test("an image that says fail ends FAILED; terminated pods disappear")
    func failureAndDisappearance() async throws {
        let server = try await SimulatorServer.start(options: SimulatorOptions(apiKey: "k", scenario: .empty, speed: 1000, keepTerminated: 1))
        defer { Task { await server.stop() } }
        let pod = try await server.state.create(PodV2CreateRequest(name: "f", image: "will-fail:1", gpuType: "NVIDIA_RTX_4090_24G", gpuCount: 1)).get()
        await eventually("the pod FAILED") { await server.state.get(pod.id)?.status == .failed }
        _ = await server.state.perform(.delete, id: pod.id)
        await eventually("the terminated pod gone") { await server.state.get(pod.id) == nil }
    }

    @Test("a port that is taken is an error at once, not a simulator that never starts")
    func portTaken() async throws {
        let first = try await SimHarness.start(.empty)
        defer { Task { await first.stop() } }
        let port = try #require(first.server.baseURL.port)
        let second = await apiError {
            _ = try await SimulatorServer.start(options: SimulatorOptions(apiKey: "k", scenario: .empty, port: port))
        }
        #expect(second != nil)
    }

    @Test("401 when the key is wrong")
    func unauthorized() async throws {
        let sim = try await SimHarness.start(key: "wrong-key-123")
        defer { Task { await sim.stop() } }
        let error = await apiError { _ = try await sim.service.listPods() }
        #expect(error == .unauthorized(httpStatus: 401, detail: "Unauthorized"))
    }

    @Test("10001 names the field; nothing invalid is sent at all")
    func validation() async throws {
        let sim = try await SimHarness.start()
        defer { Task { await sim.stop() } }
        let local = await apiError { _ = try await sim.service.createPod(PodV2CreateRequest(name: "x", image: "u", gpuType: "NVIDIA_RTX_4090_24G", gpuCount: 3)) }
        #expect(local == .invalidRequest([FieldError(field: "gpuCount", message: "must be a power of two: 1, 2, 4, 8…")]))
        #expect(await sim.requests().isEmpty)
        let remote = await apiError { _ = try await sim.service.createPod(PodV2CreateRequest(name: "x", image: "u", gpuType: "NVIDIA_NOPE", gpuCount: 1)) }
        #expect(remote?.fieldErrors == [FieldError(field: "gpuType", message: "unknown GPU type NVIDIA_NOPE")])
        if case .api(400, 10001, _, _)? = remote {} else { Issue.record("expected HTTP 400 code 10001, got \(String(describing: remote))") }
    }

    @Test("12001 for an invalid transition, not found for an unknown pod")
    func businessErrors() async throws {
        let sim = try await SimHarness.start()
        defer { Task { await sim.stop() } }
        let paused = try #require(try await sim.service.listPods(regions: [], statuses: [.paused]).pods.first)
        let invalid = await apiError { try await sim.service.pausePod(id: paused.id) }
        if case .api(200, 12001, let message, _)? = invalid {
            #expect(message.contains("Pod is PAUSED; pause needs RUNNING"))
        } else { Issue.record("expected 12001, got \(String(describing: invalid))") }
        let missing = await apiError { _ = try await sim.service.getPod(id: 362_740_422_811_062_273) }
        #expect(missing == .notFound(podID: 362_740_422_811_062_273))
        #expect(missing?.message == "Pod ID not found: 362740422811062273")
    }

    @Test("GETs retry through 500s; writes are never retried")
    func retries() async throws {
        let sim = try await SimHarness.start(speed: 0.001)   // frozen, as in listAndGet
        defer { Task { await sim.stop() } }
        await sim.fault(FaultRule(kind: .http500, count: 2))
        let list = try await sim.service.listPods()
        #expect(list.pods.count == 15)
        #expect(await sim.requests().count == 3)
        let running = try #require(list.pods.first { $0.status == .running })
        await sim.fault(FaultRule(kind: .http500, count: 1))
        let error = await apiError { try await sim.service.pausePod(id: running.id) }
        #expect(error?.shortReason == "HTTP 500, code 10002")
        #expect(await sim.requests().filter { $0.path.hasSuffix("/pause") }.count == 1)
    }

    @Test("429 honours Retry-After")
    func rateLimit() async throws {
        let sim = try await SimHarness.start()
        defer { Task { await sim.stop() } }
        await sim.fault(FaultRule(kind: .rateLimit, count: 1, retryAfter: 1))
        let started = ContinuousClock.now
        _ = try await sim.service.listPods()
        #expect(ContinuousClock.now - started >= .milliseconds(950))
    }

    @Test("a reply larger than the cap fails once, unretried, without reading it all")
    func hugeReply() async throws {
        let sim = try await SimHarness.start()
        defer { Task { await sim.stop() } }
        // Three times armed, once asked: a retry would take the second.
        await sim.fault(FaultRule(kind: .huge, count: 3, megabytes: 65))   // just past the 64 MiB cap
        let error = await apiError { _ = try await sim.service.listPods() }
        #expect(error == .malformedResponse("the reply is larger than 64 MiB"))
        #expect(await sim.requests().count == 1)
        await sim.server.state.clearFaults()
        let pod = try #require(try await sim.service.listPods().pods.first)
        await sim.fault(FaultRule(kind: .huge, count: 1, megabytes: 9))
        #expect(await apiError { _ = try await sim.service.getPod(id: pod.id) } == .malformedResponse("the reply is larger than 8 MiB"))
    }

    @Test("a reply that never comes times out; a dropped connection and bad JSON are reported")
    func transportFaults() async throws {
        let hung = try await SimHarness.start(timeout: 0.5, retry: .none)
        defer { Task { await hung.stop() } }
        await hung.fault(FaultRule(kind: .hang, count: 1))
        #expect(await apiError { _ = try await hung.service.listPods() } == .timeout(seconds: 0.5))
        // The other faults with a generous timeout: on a loaded machine (the whole suite runs
        // in parallel) half a second can pass before a malformed reply is read.
        let sim = try await SimHarness.start(timeout: 30, retry: .none)
        defer { Task { await sim.stop() } }
        await sim.fault(FaultRule(kind: .drop, count: 1))
        let dropped = await apiError { _ = try await sim.service.listPods() }
        if case .connection? = dropped {} else { Issue.record("expected a connection error, got \(String(describing: dropped))") }
        await sim.fault(FaultRule(kind: .malformed, count: 1))
        let malformed = await apiError { _ = try await sim.service.listPods() }
        if case .malformedResponse? = malformed {} else { Issue.record("expected malformed, got \(String(describing: malformed))") }
        await sim.fault(FaultRule(kind: .http503, count: 1))
        #expect(await apiError { _ = try await sim.service.listPods() }?.shortReason == "HTTP 503")
        // And it works again afterwards.
        #expect(try await sim.service.listPods().pods.count == 15)
    }

    @Test("connection refused is a clear error")
    func refused() async throws {
        let service = HTTPPodService(configuration: ClientConfiguration(baseURL: URL(string: "http://127.0.0.1:1")!, apiKey: APIKey("k"), retry: .none))
        let error = await apiError { _ = try await service.listPods() }
        #expect(error?.message.hasPrefix("Cannot reach the API") == true)
    }

    @Test("a generated fleet of any size, deterministic for a seed")
    func generatedFleet() async throws {
        let a = SimulatorState(options: SimulatorOptions(apiKey: "k", scenario: .many, podCount: 500, seed: 7))
        let b = SimulatorState(options: SimulatorOptions(apiKey: "k", scenario: .many, podCount: 500, seed: 7))
        let podsA = await a.currentPods(), podsB = await b.currentPods()
        #expect(podsA.count == 500)
        #expect(podsA.map(\.id) == podsB.map(\.id) && podsA.map(\.name) == podsB.map(\.name))
    }
}
