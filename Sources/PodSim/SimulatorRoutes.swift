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
        router.get("/v2/container-registry-auths") { request, context in
            try await handle(request, context) { try envelope(SeedData.credentials) }
        }
        router.get("/v2/container-registry-auths/:id") { request, context in
            try await handle(request, context) {
                guard let id = PodID.parse(context.parameters.get("id") ?? ""),
                      let credential = SeedData.credentials.first(where: { $0.id == id }) else {
                    return error(.ok, code: PodAPIError.Code.recordNotFound, "Record does not exist")
                }
                return try envelope(credential)
            }
        }
        addAdminRoutes(router)
        return router
    }

    // MARK: - Request pipeline: record, authenticate, inject faults, answer

    private func handle(_ request: Request, _ context: SimContext, body: ByteBuffer? = nil,
                        _ answer: () async throws -> Response) async throws -> Response {
        let path = request.uri.path
        let method = request.method.rawValue
        let key = request.headers[.init("X-Api-Key")!]
        await state.record(.init(method: method, path: path, query: request.uri.query ?? "",
                                 body: body.map { String(buffer: $0) } ?? "", hadAPIKey: key != nil, time: Date()))
        guard let key, key == apiKey else { return plain(.unauthorized, "Unauthorized") }
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
            }
        }
        return try await answer()
    }

    // MARK: - Endpoints

    private func listPods(_ request: Request) async throws -> Response {
        let params = request.uri.queryParameters
        let regions = Set(params.getAll("regionList").flatMap(Self.splitList))
        var statuses = Set<PodStatus>()
        for raw in params.getAll("statusList").flatMap(Self.splitList) {
            let status = PodStatus(parsing: raw)
            if case .unknown = status {
                return error(.badRequest, code: PodAPIError.Code.invalidParameters, "statusList: unknown status \(raw)")
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
        } else {
            body = try await podsEnvelopeData(pods)
            await state.storeListBody(body, for: pods)
        }
        let response = Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: body)))
        await state.endList()
        return response
    }

    private func getPod(_ rawID: String) async throws -> Response {
        guard let id = PodID.parse(rawID) else {
            return error(.badRequest, code: PodAPIError.Code.invalidParameters, "id: must be a positive integer")
        }
        guard let pod = await state.get(id) else { return error(.ok, code: PodAPIError.Code.podNotFound, "Pod not found") }
        return try await podsEnvelope(pod)
    }

    private func act(_ action: PodAction, _ rawID: String) async throws -> Response {
        guard let id = PodID.parse(rawID) else {
            return error(.badRequest, code: PodAPIError.Code.invalidParameters, "id: must be a positive integer")
        }
        switch await state.perform(action, id: id) {
        case .ok: return try envelope(true)
        case .notFound: return error(.ok, code: PodAPIError.Code.podNotFound, "Pod not found")
        case .invalid(let status):
            return error(.ok, code: PodAPIError.Code.statusInvalid,
                         "Resource status invalid: " + (action.refusal(for: status) ?? "pod is \(status.wireName)"))
        }
    }

    private func createPod(_ body: ByteBuffer) async throws -> Response {
        let request: PodV2CreateRequest
        do {
            request = try JSONDecoder().decode(PodV2CreateRequest.self, from: Data(body.readableBytesView))
        } catch {
            let reason = DecodingReason.describe(error)
            return self.error(.badRequest, code: PodAPIError.Code.invalidParameters, reason.hasPrefix("missing field ")
                ? "\(reason.dropFirst("missing field ".count)): is required" : "body: \(reason)")
        }
        if let first = CreateRequestValidator.validate(request).first {
            return error(.badRequest, code: PodAPIError.Code.invalidParameters, "\(first.field): \(first.message)")
        }
        guard let offer = SeedData.offer(for: request.gpuType) else {
            return error(.badRequest, code: PodAPIError.Code.invalidParameters, "gpuType: unknown GPU type \(request.gpuType)")
        }
        if let regions = request.regions, !regions.isEmpty,
           !regions.contains(where: { region in offer.regions.contains { $0.0 == region && $0.1 } }) {
            return error(.badRequest, code: PodAPIError.Code.invalidParameters,
                         "regions: \(request.gpuType) is not available in \(regions.joined(separator: ", "))")
        }
        if let id = request.containerRegistryAuthId, !SeedData.credentials.contains(where: { $0.id == id }) {
            return error(.badRequest, code: PodAPIError.Code.invalidParameters, "containerRegistryAuthId: no credential \(id)")
        }
        let pod = await state.create(request)
        return try await podsEnvelope(pod)
    }

    // MARK: - Admin routes (`/_sim/...`), same key as the API

    private func addAdminRoutes(_ router: Router<SimContext>) {
        router.post("/_sim/faults") { request, _ in
            guard request.headers[.init("X-Api-Key")!] == apiKey else { return plain(.unauthorized, "Unauthorized") }
            var request = request
            let body = try await request.collectBody(upTo: 1024 * 1024)
            guard let rule = try? JSONDecoder().decode(FaultRule.self, from: Data(body.readableBytesView)) else {
                return plain(.badRequest, "expected {\"kind\": one of \(FaultRule.Kind.allCases.map(\.rawValue).joined(separator: ", ")), \"count\"?, \"fraction\"?, \"path\"?, \"method\"?, \"delaySeconds\"?, \"retryAfter\"?}")
            }
            await state.addFault(rule)
            return try envelope(await state.activeFaults())
        }
        router.delete("/_sim/faults") { request, _ in
            guard request.headers[.init("X-Api-Key")!] == apiKey else { return plain(.unauthorized, "Unauthorized") }
            await state.clearFaults()
            return try envelope(true)
        }
        router.get("/_sim/requests") { request, _ in
            guard request.headers[.init("X-Api-Key")!] == apiKey else { return plain(.unauthorized, "Unauthorized") }
            return try envelope(await state.recordedRequests())
        }
        router.get("/_sim/stats") { request, _ in
            guard request.headers[.init("X-Api-Key")!] == apiKey else { return plain(.unauthorized, "Unauthorized") }
            let requests = await state.recordedRequests()
            return try envelope(SimStats(maxConcurrentLists: await state.maxConcurrentLists, requests: requests.count,
                                         pods: await state.currentPods().count))
        }
        router.post("/_sim/pods") { request, _ in
            guard request.headers[.init("X-Api-Key")!] == apiKey else { return plain(.unauthorized, "Unauthorized") }
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

    private func podsEnvelope<T: Encodable & Sendable>(_ value: T) async throws -> Response {
        Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: try await podsEnvelopeData(value))))
    }

    private func podsEnvelopeData<T: Encodable & Sendable>(_ value: T) async throws -> Data {
        var data = try JSONEncoder.api.encode(Envelope(message: "success", code: 10000, data: value))
        if state.options.statusAliases {
            // Rewrite status names on the wire only; the model keeps the canonical ones.
            var text = String(decoding: data, as: UTF8.self)
            for status in [PodStatus.initializing, .pausing, .paused] {
                text = text.replacingOccurrences(of: "\"status\":\"\(status.wireName)\"", with: "\"status\":\"\(await state.wireStatus(status))\"")
            }
            data = Data(text.utf8)
        }
        return data
    }

    private func envelope<T: Encodable>(_ value: T) throws -> Response {
        let data = try JSONEncoder.api.encode(Envelope(message: "success", code: 10000, data: value))
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    private func error(_ status: HTTPResponse.Status, code: Int, _ message: String) -> Response {
        let body = (try? JSONEncoder.api.encode(Envelope<String?>(message: message, code: code, data: nil))) ?? Data()
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    private func plain(_ status: HTTPResponse.Status, _ text: String) -> Response {
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
