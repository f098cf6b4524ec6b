import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
@testable import PodAPI
@testable import PodSim

/// Every client call against the simulator in every API dialect it can speak (`SimQuirks`):
/// each is a variant one of Yotta's own sources shows, and podtui must work with all of them.
@Suite("Client × every API dialect, over loopback")
struct DialectTests {
    static let dialects = [
        "", "status-filter=names", "status-filter=codes",
        "not-found=404", "not-found=404-plain", "not-found=12000", "not-found=10007",
        "empty-data=null", "create-returns=id", "create-returns=null", "ids=string", "names=optional",
        "timestamps=s", "timestamps=iso", "numbers=string", "statuses=aliases", "statuses=codes",
        // Everything that is not the default at once.
        "status-filter=codes,not-found=404-plain,empty-data=null,create-returns=id,ids=string,names=optional,timestamps=s,numbers=string,statuses=aliases",
    ]

    @Test("list, filter, get, create, pause, delete and not-found", arguments: dialects)
    func everyCall(quirks: String) async throws {
        let sim = try await SimHarness.start(.demo, quirks: quirks)   // speed 1: the fleet holds still while compared
        defer { Task { await sim.stop() } }
        let truth = await sim.server.state.currentPods()

        // Every pod the server holds, with its exact id, including the nameless and CPU ones.
        let all = try await sim.service.listPods()
        // The demo's fleet moves on its own clock (a pod finishes starting a little after the
        // start): on a loaded machine the list may come after such a step, so a status may be
        // the one before the list or the one after it, nothing else.
        let after = await sim.server.state.currentPods()
        #expect(all.skipped.isEmpty, "\(all.skipped)")
        #expect(Set(all.pods.map(\.id)) == Set(truth.map(\.id)))
        let nameless = try #require(all.pods.first { $0.isUnnamed })
        #expect(nameless.name == nil && nameless.status == .running)
        let cpu = try #require(all.pods.first { $0.isCPU })
        #expect(cpu.gpuType == nil && cpu.gpuName == "CPU" && cpu.pricePerHour != nil)
        for pod in all.pods {
            let expected = try #require(truth.first { $0.id == pod.id })
            let later = after.first { $0.id == pod.id }?.status
            #expect(pod.status == expected.status || pod.status == later, "\(pod.id)")
            #expect(pod.name == expected.name)
            #expect(pod.singleCardPrice == expected.singleCardPrice)
            // Seconds, milliseconds or ISO: the same instant to the second.
            let created = try #require(pod.createdAt)
            #expect(abs(created.timeIntervalSince(try #require(expected.createdAt))) < 1.01)
        }

        // A status filter works whatever form the server takes, and the form is remembered.
        await sim.server.state.resetRecords()
        func runningOrPaused(_ pods: [Pod]) -> Set<Int64> { Set(pods.filter { [.running, .paused].contains($0.status) }.map(\.id)) }
        let beforeFilter = runningOrPaused(await sim.server.state.currentPods())
        let running = try await sim.service.listPods(regions: [], statuses: [.running, .paused])
        let afterFilter = runningOrPaused(await sim.server.state.currentPods())
        #expect([beforeFilter, afterFilter].contains(Set(running.pods.map(\.id))))
        let firstTry = await sim.requests().filter { $0.path == "/v2/pods" }.count
        #expect(firstTry <= 2, "at most one refused query")
        await sim.server.state.resetRecords()
        _ = try await sim.service.listPods(regions: [], statuses: [.running])
        #expect(await sim.requests().filter { $0.path == "/v2/pods" }.count == 1)

        // get, including a pod with no name.
        #expect(try await sim.service.getPod(id: nameless.id).id == nameless.id)
        #expect(try await sim.service.getPod(id: nameless.id).name == nil)

        // create: pod object, bare id or null are all success, and one POST is sent.
        await sim.server.state.resetRecords()
        let request = PodV2CreateRequest(name: "dialect-pod", image: "ubuntu:22.04", gpuType: "NVIDIA_RTX_4090_24G", gpuCount: 1)
        let result = try await sim.service.createPod(request)
        #expect(await sim.requests().filter { $0.method == "POST" && $0.path == "/v2/pods" }.count == 1)
        if quirks.contains("create-returns=null") {
            #expect(result == .acceptedWithoutID)
        } else {
            let created = try #require(result.pod)
            #expect(created.name == "dialect-pod" && created.id > 0)
            #expect(try await sim.service.getPod(id: created.id).name == "dialect-pod")
        }

        // pause, refusal of a second pause, and not found in this dialect.
        let target = try #require(all.pods.first { $0.status == .running && !$0.isUnnamed && !$0.isCPU })
        try await sim.service.pausePod(id: target.id)
        let again = await apiError { try await sim.service.pausePod(id: target.id) }
        if case .api(_, PodAPIError.Code.statusInvalid, _, _)? = again {} else { Issue.record("expected 12001, got \(String(describing: again))") }
        let unknown: Int64 = 999_999_999_999_999_999
        #expect(await apiError { _ = try await sim.service.getPod(id: unknown) } == .notFound(podID: unknown))
        #expect(await apiError { try await sim.service.deletePod(id: unknown) } == .notFound(podID: unknown))
        #expect(await apiError { try await sim.service.pausePod(id: unknown) }?.message == "Pod ID not found: \(unknown)")

        // The nameless and CPU pods can be acted on like any other.
        try await sim.service.pausePod(id: nameless.id)
        try await sim.service.deletePod(id: cpu.id)

        // Catalogue calls.
        #expect(try await !sim.service.gpuTypes().isEmpty)
        #expect(try await !sim.service.registryCredentials().isEmpty)
    }

    @Test("an empty account lists as empty in every dialect (data [] or null)", arguments: ["", "empty-data=null", "empty-data=null,ids=string"])
    func emptyList(quirks: String) async throws {
        let sim = try await SimHarness.start(.empty, quirks: quirks)
        defer { Task { await sim.stop() } }
        #expect(try await sim.service.listPods().pods.isEmpty)
        #expect(try await sim.service.listPods(regions: ["us-east-1"], statuses: [.running]).pods.isEmpty)
    }

    @Test("statusList: names first, then codes, then no server filter; each refused form tried once and remembered")
    func statusFilterFallback() async throws {
        // A server that takes codes only: names are refused once, then codes are used.
        let codes = try await SimHarness.start(quirks: "status-filter=codes")
        defer { Task { await codes.stop() } }
        _ = try await codes.service.listPods(regions: [], statuses: [.paused])
        #expect(await codes.requests().map(\.query) == ["statusList=PAUSED", "statusList=3"])
        #expect(codes.service.statusFilterDialect == .codes)

        // A server that refuses both: the third request has no statusList and the client filters.
        let neither = try await SimHarness.start()
        defer { Task { await neither.stop() } }
        await neither.fault(FaultRule(kind: .invalidParameters, count: 2, path: "/v2/pods", message: "statusList: not supported"))
        let paused = try await neither.service.listPods(regions: ["us-west-1"], statuses: [.paused])
        #expect(await neither.requests().map(\.query) == ["regionList=us-west-1&statusList=PAUSED", "regionList=us-west-1&statusList=3", "regionList=us-west-1"])
        #expect(!paused.pods.isEmpty && paused.pods.allSatisfy { $0.status == .paused && $0.region == "us-west-1" })
        #expect(neither.service.statusFilterDialect == .local)
        _ = try await neither.service.listPods(regions: [], statuses: [.running])
        #expect(await neither.requests().count == 4, "remembered: no statusList sent again")

        // A refusal with no status filter is an error, not retried.
        await neither.fault(FaultRule(kind: .invalidParameters, count: 1, path: "/v2/pods", message: "regionList: bad"))
        #expect(await apiError { _ = try await neither.service.listPods(regions: ["x"], statuses: []) }?.isInvalidRequestRefusal == true)
    }

    @Test("the simulator's own create rules can disagree with the client's validator")
    func simulatorRulesAreItsOwn() async throws {
        let sim = try await SimHarness.start()
        defer { Task { await sim.stop() } }
        func post(_ body: String) async throws -> (Int, String) {
            var request = URLRequest(url: sim.server.baseURL.appendingPathComponent("v2/pods"))
            request.httpMethod = "POST"
            request.httpBody = Data(body.utf8)
            request.setValue(SimHarness.key, forHTTPHeaderField: "X-Api-Key")
            let (data, response) = try await URLSession.shared.data(for: request)
            return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
        }
        // gpuCount 3 never leaves the client; the server says 10001 on its own.
        let (status, body) = try await post(#"{"name":"x","image":"ubuntu","gpuType":"NVIDIA_RTX_4090_24G","gpuCount":3}"#)
        #expect(status == 400 && body.contains("10001") && body.contains("gpuCount"))
        // No name: refused by default (API guide), accepted with names=optional (official SDK).
        let noName = #"{"image":"ubuntu","gpuType":"NVIDIA_RTX_4090_24G","gpuCount":1}"#
        #expect(try await post(noName).0 == 400)
        try await sim.setQuirks("names=optional")
        let (okStatus, okBody) = try await post(noName)
        #expect(okStatus == 200 && okBody.contains(#""code":10000"#) && !okBody.contains(#""name""#))
        // A CPU pod needs no GPU type.
        let (cpuStatus, cpuBody) = try await post(#"{"name":"cpu","image":"ubuntu","resourceType":"CPU"}"#)
        #expect(cpuStatus == 200 && cpuBody.contains(#""gpuType":null"#))
        // Upper-case protocols are accepted too.
        #expect(try await post(#"{"name":"p","image":"u","gpuType":"NVIDIA_RTX_4090_24G","gpuCount":1,"expose":[{"port":80,"protocol":"HTTP"}]}"#).0 == 200)
    }

    @Test("quirk text: parsed, printed and refused with the accepted values")
    func quirkParsing() throws {
        let q = try SimQuirks(parsing: "status-filter=names, not-found=404,ids=string")
        #expect(q.statusFilter == .names && q.notFound == .http404 && q.ids == .string && q.names == .required)
        #expect(try SimQuirks(parsing: q.text) == q)
        #expect(throws: SimQuirks.ParseError.self) { try SimQuirks(parsing: "not-found=410") }
        #expect(throws: SimQuirks.ParseError.self) { try SimQuirks(parsing: "frobnicate=yes") }
        do { _ = try SimQuirks(parsing: "not-found=410") } catch { #expect(error.description.contains("404|")) }
    }
}

@Suite("statusList fallback is not fooled")
struct StatusFilterRefusalTests {
    @Test("a 400 that has nothing to do with statusList does not downgrade it")
    func unrelatedRefusal() async throws {
        let sim = try await SimHarness.start()
        defer { Task { await sim.stop() } }
        // Every list request refused (as if regionList were the problem): names, codes and
        // no filter all fail, so the form of statusList was never the cause.
        await sim.fault(FaultRule(kind: .invalidParameters, count: 3, path: "/v2/pods", message: "regionList: unknown region"))
        let error = await apiError { _ = try await sim.service.listPods(regions: ["nowhere"], statuses: [.running]) }
        #expect(error?.isInvalidRequestRefusal == true)
        #expect(sim.service.statusFilterDialect == .names)
        #expect(await sim.requests().count == 3, "each form tried once, no more")
    }
}
