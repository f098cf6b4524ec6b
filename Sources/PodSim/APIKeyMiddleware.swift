import Foundation
import Hummingbird
import NIOCore

/// Every request passes here first: API requests (`/v2/…`) are recorded for `/_sim/requests`
/// (the key itself never is, only whether one came), then any request without the right
/// `X-Api-Key`, API or admin, gets HTTP 401 `Unauthorized` as plain text, as [MCP]'s tests
/// expect of the real service.
struct APIKeyMiddleware: RouterMiddleware {
    typealias Context = SimContext
    let state: SimulatorState
    let apiKey: String

    func handle(_ request: Request, context: SimContext, next: (Request, SimContext) async throws -> Response) async throws -> Response {
        var request = request
        let key = request.headers[.init("X-Api-Key")!]
        if request.uri.path.hasPrefix("/v2/") {
            // Collecting keeps the body readable for the route (it is buffered, not consumed).
            let body = request.method == .post || request.method == .patch
                ? String(buffer: try await request.collectBody(upTo: 4 * 1024 * 1024)) : ""
            await state.record(.init(method: request.method.rawValue, path: request.uri.path, query: request.uri.query ?? "",
                                     body: body, hadAPIKey: key != nil, time: Date()))
        }
        guard let key, key == apiKey else {
            return Response(status: .unauthorized, headers: [.contentType: "text/plain"],
                            body: .init(byteBuffer: ByteBuffer(string: "Unauthorized")))
        }
        return try await next(request, context)
    }
}
