import Foundation
import Hummingbird
import NIOCore
import PodAPI

/// `/v2/volumes` and `/v2/container-registry-auths`: the storage endpoints.
extension SimulatorRoutes {
    func addStorageRoutes(_ router: Router<SimContext>) {
        router.get("/v2/volumes") { request, context in
            try await handle(request, context) {
                let params = request.uri.queryParameters
                let quirks = await state.quirks
                let outcome = await state.volumePage(type: params["storageType"].map(String.init), region: params["region"].map(String.init),
                                                     page: params["page"].map(String.init), size: params["size"].map(String.init))
                return try await answer(outcome) { WireVolumePage(page: $0, quirks: quirks) }
            }
        }
        router.post("/v2/volumes") { request, context in
            var request = request
            let body = try await request.collectBody(upTo: 1024 * 1024)
            return try await handle(request, context, body: body) {
                guard let json = Self.json(body) else { return malformed() }
                let quirks = await state.quirks
                return try await answer(await state.createVolume(json)) { WireVolume(volume: $0, quirks: quirks) }
            }
        }
        router.get("/v2/volumes/:id") { request, context in
            try await handle(request, context) {
                guard let id = PodID.parse(context.parameters.get("id") ?? "") else { return badID() }
                guard let volume = await state.volume(id) else { return await storageNotFound() }
                return try envelope(WireVolume(volume: volume, quirks: await state.quirks))
            }
        }
        router.post("/v2/volumes/:id/name") { request, context in
            var request = request
            let body = try await request.collectBody(upTo: 1024 * 1024)
            return try await handle(request, context, body: body) {
                guard let id = PodID.parse(context.parameters.get("id") ?? "") else { return badID() }
                if let missing = await missingEdit(rename: true) { return missing }
                guard let json = Self.json(body) else { return malformed() }
                return try await answer(await state.renameVolume(id, json)) { $0 }
            }
        }
        router.post("/v2/volumes/:id/resize") { request, context in
            var request = request
            let body = try await request.collectBody(upTo: 1024 * 1024)
            return try await handle(request, context, body: body) {
                guard let id = PodID.parse(context.parameters.get("id") ?? "") else { return badID() }
                if let missing = await missingEdit(rename: false) { return missing }
                guard let json = Self.json(body) else { return malformed() }
                return try await answer(await state.resizeVolume(id, json)) { $0 }
            }
        }
        router.delete("/v2/volumes/:id") { request, context in
            try await handle(request, context) {
                guard let id = PodID.parse(context.parameters.get("id") ?? "") else { return badID() }
                return try await answer(await state.deleteVolume(id)) { $0 }
            }
        }

        router.get("/v2/container-registry-auths") { request, context in
            try await handle(request, context) {
                let quirks = await state.quirks
                return try envelope(await state.credentialList().map { WireCredential(credential: $0, quirks: quirks) })
            }
        }
        router.post("/v2/container-registry-auths") { request, context in
            var request = request
            let body = try await request.collectBody(upTo: 1024 * 1024)
            return try await handle(request, context, body: body) {
                guard let json = Self.json(body) else { return malformed() }
                let quirks = await state.quirks
                return try await answer(await state.createCredential(json)) { WireCredential(credential: $0, quirks: quirks) }
            }
        }
        router.get("/v2/container-registry-auths/:id") { request, context in
            try await handle(request, context) {
                guard let id = PodID.parse(context.parameters.get("id") ?? "") else { return badID() }
                guard let credential = await state.credential(id) else { return await storageNotFound() }
                return try envelope(WireCredential(credential: credential, quirks: await state.quirks))
            }
        }
        router.patch("/v2/container-registry-auths/:id") { request, context in
            var request = request
            let body = try await request.collectBody(upTo: 1024 * 1024)
            return try await handle(request, context, body: body) {
                guard let id = PodID.parse(context.parameters.get("id") ?? "") else { return badID() }
                guard let json = Self.json(body) else { return malformed() }
                return try await answer(await state.updateCredential(id, json)) { $0 }
            }
        }
        router.delete("/v2/container-registry-auths/:id") { request, context in
            try await handle(request, context) {
                guard let id = PodID.parse(context.parameters.get("id") ?? "") else { return badID() }
                return try await answer(await state.deleteCredential(id)) { $0 }
            }
        }
    }

    private static func json(_ body: ByteBuffer) -> SimJSON? {
        try? JSONDecoder().decode(SimJSON.self, from: Data(body.readableBytesView))
    }

    private func answer<T: Sendable, W: Encodable>(_ outcome: SimulatorState.StorageOutcome<T>, _ wire: (T) -> W) async throws -> Response {
        switch outcome {
        case .ok(let value): return try envelope(wire(value))
        case .invalid(let message): return error(.badRequest, code: PodAPIError.Code.invalidParameters, message)
        case .refused(let message): return error(.ok, code: PodAPIError.Code.statusInvalid, message)
        case .notFound: return await storageNotFound()
        }
    }

    /// The `volumes=` quirk: a server without rename or resize answers them as a web
    /// server answers any unknown path, or refuses them as a whole with 10001.
    private func missingEdit(rename: Bool) async -> Response? {
        let quirk = await state.quirks.volumes
        if quirk == .code10001 { return error(.badRequest, code: PodAPIError.Code.invalidParameters, "Unsupported operation") }
        return (rename ? quirk.lacksRename : quirk.lacksResize) ? plain(.notFound, "Not Found") : nil
    }

    private func malformed() -> Response { error(.badRequest, code: PodAPIError.Code.invalidParameters, "body: malformed JSON") }
    private func badID() -> Response { error(.badRequest, code: PodAPIError.Code.invalidParameters, "id: must be a positive integer") }

    /// "No such record": 10007 unless the quirks ask for an HTTP 404 dialect.
    private func storageNotFound() async -> Response {
        switch await state.quirks.notFound {
        case .http404: error(.notFound, code: 40400, "Not Found")
        case .http404Plain: plain(.notFound, "Not Found")
        default: error(.ok, code: PodAPIError.Code.recordNotFound, "Record does not exist")
        }
    }
}
