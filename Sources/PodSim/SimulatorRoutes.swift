import Foundation
import Hummingbird
import NIOCore
import PodAPI

/// The v2 endpoints plus the `/_sim` admin routes, on a Hummingbird router.
struct SimulatorRoutes {
    let state: SimulatorState
    let apiKey: String

    func build() -> Router<SimContext> {
        let router = Router(context: SimContext.self)
        router.add(middleware: APIKeyMiddleware(state: state, apiKey: apiKey))
        router.get("/v2/pods") { request, context in try await handle(request, context) { try await listPods(request) } }
        router.post("/v2/pods") { request, context in
            var request = request
            let body = try await request.collectBody(upTo: 4 * 1024 * 1024)
            return try await handle(request, context, body: body) { try await createPod(body) }
        }
        router.get("/v2/pods/:id") { request, context in
            try await handle(request, context) { try await getPod(context.parameters.get("id") ?? "") }
        }
        router.post("/v2/pods/:id/pause") { request, context in
            try await handle(request, context) { try await act(.pause, context.parameters.get("id") ?? "") }
        }
        router.post("/v2/pods/:id/resume") { request, context in
            try await handle(request, context) { try await act(.resume, context.parameters.get("id") ?? "") }
        }
        router.delete("/v2/pods/:id") { request, context in
            try await handle(request, context) { try await act(.delete, context.parameters.get("id") ?? "") }
        }
        router.get("/v2/vms/types") { request, context in
            try await handle(request, context) { try envelope(SeedData.gpuTypes()) }
        }
        addStorageRoutes(router)
        addMetricsRoutes(router)
        addAdminRoutes(router)
        return router
    }

    // MARK: - Request pipeline (after APIKeyMiddleware recorded and authenticated it): inject faults, answer

    func handle(_ request: Request, _ context: SimContext, body: ByteBuffer? = nil,
                        _ answer: () async throws -> Response) async throws -> Response {
        let path = request.uri.path
        let method = request.method.rawValue
        if let fault = await state.nextFault(method: method, path: path) {
            switch fault.kind {
            case .http500: return error(.internalServerError, code: PodAPIError.Code.systemError, "System error")
            case .http502: return html(.badGateway)
            case .http503: return html(.serviceUnavailable)
            case .rateLimit:
                var response = error(.tooManyRequests, code: 429, "Too many requests")
                response.headers[.retryAfter] = String(fault.retryAfter ?? 2)
                return response
            case .slow:
                try await Task.sleep(for: .milliseconds(Int((fault.delaySeconds ?? 5) * 1000)))
            case .hang:
                // Never answer; the server's shutdown cancels this.
                while true { try await Task.sleep(for: .seconds(3600)) }
            case .drop:
                try? await context.channel.close()
                throw CancellationError()
            case .malformed:
                return Response(status: .ok, headers: [.contentType: "application/json"],
                                body: .init(byteBuffer: ByteBuffer(string: #"{"message":"success","code":10000,"data":[{"id":3627404228"#)))
            case .unknownCode:
                return error(.ok, code: 19999, "Quota exceeded for this account")
            case .unauthorized:
                return plain(.unauthorized, "Unauthorized")
            case .invalidParameters:
                return error(.badRequest, code: PodAPIError.Code.invalidParameters, fault.message ?? "Invalid request parameters")
            case .huge:
                let chunk = ByteBuffer(repeating: UInt8(ascii: " "), count: 1024 * 1024)
                let count = max(1, min(fault.megabytes ?? 80, 4096))
                return Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody { writer in
                    for _ in 0..<count { try await writer.write(chunk) }
                    try await writer.finish(nil)
                })
            }
        }
        return try await answer()
    }

    // MARK: - Endpoints

    private func listPods(_ request: Request) async throws -> Response {
        let params = request.uri.queryParameters
        let regions = Set(params.getAll("regionList").flatMap(Self.splitList))
        let quirks = await state.quirks
        var statuses = Set<PodStatus>()
        for raw in params.getAll("statusList").flatMap(Self.splitList) {
            // The server's own reading: exact upper-case names or the codes 0-6, as the
            // dialect allows; anything else is refused, as a Spring enum binding would.
            let code = Int(raw).flatMap(PodStatus.init(code:))
            let upper = raw.uppercased()
            let name = PodStatus.known.first { $0.wireName == upper || WirePod.alias($0) == upper }
            let status: PodStatus?
            switch quirks.statusFilter {
            case .any: status = code ?? name
            case .names: status = name
            case .codes: status = code
            }
            guard let status else {
                return error(.badRequest, code: PodAPIError.Code.invalidParameters, "statusList: invalid status \(raw)")
            }
            statuses.insert(status)
        }
        await state.beginList()
        let pods = await state.list(regions: regions, statuses: statuses)
        // A steady fleet gets the same bytes without encoding thousands of pods again: the
        // simulator shares the machine with the client it serves in benchmarks.
        let body: Data
        if let cached = await state.cachedListBody(for: pods) {
            body = cached
        } else if pods.isEmpty && quirks.emptyData == .null {
            body = try JSONEncoder.api.encode(Envelope<String?>(message: "success", code: 10000, data: nil))
        } else {
            body = try JSONEncoder.api.encode(Envelope(message: "success", code: 10000, data: pods.map { WirePod(pod: $0, quirks: quirks) }))
            await state.storeListBody(body, for: pods, dialect: quirks)
        }
        let response = Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: body)))
        await state.endList()
        return response
    }

    private func getPod(_ rawID: String) async throws -> Response {
        guard let id = PodID.parse(rawID) else {
            return error(.badRequest, code: PodAPIError.Code.invalidParameters, "id: must be a positive integer")
        }
        guard let pod = await state.get(id) else { return await notFound() }
        return try await podEnvelope(pod)
    }

    private func act(_ action: PodAction, _ rawID: String) async throws -> Response {
        guard let id = PodID.parse(rawID) else {
            return error(.badRequest, code: PodAPIError.Code.invalidParameters, "id: must be a positive integer")
        }
        switch await state.perform(action, id: id) {
        case .ok: return try envelope(true)
        case .notFound: return await notFound()
        case .invalid(let status):
            return error(.ok, code: PodAPIError.Code.statusInvalid,
                         "Resource status invalid: " + (action.refusal(for: status) ?? "pod is \(status.wireName)"))
        }
    }

    private func createPod(_ body: ByteBuffer) async throws -> Response {
        guard let json = try? JSONDecoder().decode(SimJSON.self, from: Data(body.readableBytesView)) else {
            return error(.badRequest, code: PodAPIError.Code.invalidParameters, "body: malformed JSON")
        }
        let quirks = await state.quirks
        switch SimCreateRules.check(json, quirks: quirks, credentials: await state.credentialIDs()) {
        case .failure(let refusal):
            return error(.badRequest, code: PodAPIError.Code.invalidParameters, refusal.message)
        case .success(let request):
            let pod: Pod
            switch await state.create(request) {
            case .failure(let refusal): return error(.badRequest, code: PodAPIError.Code.invalidParameters, refusal.message)
            case .success(let created): pod = created
            }
            switch quirks.createReturns {
            case .pod: return try await podEnvelope(pod)
            case .id: return quirks.ids == .string ? try envelope(String(pod.id)) : try envelope(pod.id)
            case .null: return try envelope(String?.none)
            }
        }
    }

    /// "No such pod", in the dialect the quirks choose.
    func notFound() async -> Response {
        switch await state.quirks.notFound {
        case .code13000: error(.ok, code: PodAPIError.Code.podNotFound, "Pod not found")
        case .code12000: error(.ok, code: 12000, "Pod not exist")
        case .code10007: error(.ok, code: PodAPIError.Code.recordNotFound, "Record does not exist")
        case .http404: error(.notFound, code: 40400, "Not Found")
        case .http404Plain: plain(.notFound, "Not Found")
        }
    }

    // MARK: - Admin routes (`/_sim/...`), same key as the API

    private func addAdminRoutes(_ router: Router<SimContext>) {
        router.post("/_sim/faults") { request, _ in
            var request = request
            let body = try await request.collectBody(upTo: 1024 * 1024)
            guard let rule = try? JSONDecoder().decode(FaultRule.self, from: Data(body.readableBytesView)) else {
                return plain(.badRequest, "expected {\"kind\": one of \(FaultRule.Kind.allCases.map(\.rawValue).joined(separator: ", ")), \"count\"?, \"fraction\"?, \"path\"?, \"method\"?, \"delaySeconds\"?, \"retryAfter\"?}")
            }
            await state.addFault(rule)
            return try envelope(await state.activeFaults())
        }
        router.delete("/_sim/faults") { request, _ in
            await state.clearFaults()
            return try envelope(true)
        }
        router.get("/_sim/requests") { request, _ in
            return try envelope(await state.recordedRequests())
        }
        router.get("/_sim/stats") { request, _ in
            let requests = await state.recordedRequests()
            return try envelope(SimStats(maxConcurrentLists: await state.maxConcurrentLists, requests: requests.count,
                                         pods: await state.currentPods().count))
        }
        router.get("/_sim/quirks") { request, _ in
            return try envelope(await state.quirks.text)
        }
        router.post("/_sim/quirks") { request, _ in
            var request = request
            let body = String(buffer: try await request.collectBody(upTo: 64 * 1024))
            // `{"quirks": "a=b,…"}` or the bare text; replaces every switch (unnamed ones go back to default).
            let text = (try? JSONDecoder().decode([String: String].self, from: Data(body.utf8)))?["quirks"] ?? body
            do {
                let quirks = try SimQuirks(parsing: text.trimmingCharacters(in: .whitespacesAndNewlines))
                await state.setQuirks(quirks)
                return try envelope(quirks.text)
            } catch {
                return plain(.badRequest, String(describing: error))
            }
        }
        router.delete("/_sim/quirks") { request, _ in
            await state.setQuirks(SimQuirks())
            return try envelope(SimQuirks().text)
        }
        router.post("/_sim/pods") { request, _ in
            var request = request
            let body = try await request.collectBody(upTo: 64 * 1024 * 1024)
            guard let pods = try? JSONDecoder().decode([Pod].self, from: Data(body.readableBytesView)) else {
                return plain(.badRequest, "expected a JSON array of pod objects")
            }
            await state.inject(pods)
            return try envelope(pods.count)
        }
    }

    // MARK: - Response helpers

    static func splitList(_ value: String) -> [String] {
        value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    private func podEnvelope(_ pod: Pod) async throws -> Response {
        let wire = WirePod(pod: pod, quirks: await state.quirks)
        return try envelope(wire)
    }

    func envelope<T: Encodable>(_ value: T) throws -> Response {
        let data = try JSONEncoder.api.encode(Envelope(message: "success", code: 10000, data: value))
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    func error(_ status: HTTPResponse.Status, code: Int, _ message: String) -> Response {
        let body = (try? JSONEncoder.api.encode(Envelope<String?>(message: message, code: code, data: nil))) ?? Data()
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    func plain(_ status: HTTPResponse.Status, _ text: String) -> Response {
        Response(status: status, headers: [.contentType: "text/plain"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    private func html(_ status: HTTPResponse.Status) -> Response {
        let text = "<html><head><title>\(status.code) \(status.reasonPhrase)</title></head><body><h1>\(status.code) \(status.reasonPhrase)</h1><hr><center>nginx</center></body></html>"
        return Response(status: status, headers: [.contentType: "text/html"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}

/// The wire envelope `{message, code, data}`.
struct Envelope<T: Encodable>: Encodable {
    var message: String
    var code: Int
    var data: T
    enum CodingKeys: String, CodingKey { case message, code, data }
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(message, forKey: .message)
        try c.encode(code, forKey: .code)
        try c.encode(data, forKey: .data)   // null stays null
    }
}

/// What `GET /_sim/stats` reports.
public struct SimStats: Codable, Sendable {
    /// The most list requests ever handled at once (podtui must keep this at 1).
    public var maxConcurrentLists: Int
    public var requests: Int
    public var pods: Int
}
