import AsyncHTTPClient
import FoundationEssentials
import PodAPI
import Libc
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

// How an HTTP answer becomes a value or a PodAPIError (static, so tests can feed it bytes).
extension HTTPPodService {
    // MARK: - Decoding (static so tests can feed it bytes directly)

    /// Applies the envelope rules of API notes §2 to one HTTP answer: throws unless it is a
    /// 2xx envelope with code 10000.
    static func checkEnvelope(status: Int, retryAfter: String?, body: Data, podID: Int64?) throws {
        let header = try? JSONDecoder().decode(EnvelopeHeader.self, from: body)
        // "No such pod" comes in several dialects (open question 9); one error for all.
        if podID != nil, status == 404 || (header?.code).map(PodAPIError.Code.notFoundCodes.contains) == true {
            throw PodAPIError.notFound(podID: podID)
        }
        guard (200..<300).contains(status) else {
            if status == 429 { throw PodAPIError.rateLimited(retryAfter: RetryPolicy.parseRetryAfter(retryAfter)) }
            if status == 401 || status == 403 {
                throw PodAPIError.unauthorized(httpStatus: status, detail: header?.message ?? Self.snippet(body))
            }
            if let header, let code = header.code {
                throw PodAPIError.api(httpStatus: status, code: code, message: header.message ?? "", podID: podID)
            }
            throw PodAPIError.http(status: status, body: Self.snippet(body))
        }
        guard let header else {
            throw PodAPIError.malformedResponse("HTTP \(status) with a body that is not JSON: \(Self.snippet(body))")
        }
        guard let code = header.code else { throw PodAPIError.malformedResponse("reply has no \"code\" field") }
        guard code == PodAPIError.Code.success else {
            throw PodAPIError.api(httpStatus: status, code: code, message: header.message ?? "", podID: podID)
        }
    }

    /// Decodes a 2xx reply: one JSON parse for the usual good envelope (code 10000 with
    /// readable data); anything else goes through `checkEnvelope` and `decodeData` for the
    /// precise error.
    public static func decodeReply<T: Decodable>(status: Int, body: Data, podID: Int64? = nil) throws -> T {
        guard let data: T = try decodeOptionalReply(status: status, body: body, podID: podID) else {
            throw PodAPIError.malformedResponse("field data is null")
        }
        return data
    }

    /// Like `decodeReply`, but `data: null` (or no `data`) is nil rather than an error.
    public static func decodeOptionalReply<T: Decodable>(status: Int, body: Data, podID: Int64? = nil) throws -> T? {
        if (200..<300).contains(status), let envelope = try? JSONDecoder().decode(FullEnvelope<T>.self, from: body),
           envelope.code == PodAPIError.Code.success {
            return envelope.data
        }
        try checkEnvelope(status: status, retryAfter: nil, body: body, podID: podID)
        let data: T? = try decodeData(body)
        return data
    }

    /// Decodes the envelope's `data` of a body `checkEnvelope` accepted.
    static func decodeData<T: Decodable>(_ body: Data) throws -> T {
        do {
            return try JSONDecoder().decode(Envelope<T>.self, from: body).data
        } catch {
            throw PodAPIError.malformedResponse(DecodingReason.describe(error))
        }
    }

    /// The first 200 printable characters of a body, for error messages.
    static func snippet(_ body: Data) -> String {
        let text = String(decoding: body.prefix(400), as: UTF8.self)
        let clean = String(String.UnicodeScalarView(text.unicodeScalars.map {
            $0.properties.generalCategory == .control ? " " : $0
        }))
        let trimmed = clean.trimmed
        return trimmed.count > 200 ? String(trimmed.prefix(200)) + "…" : trimmed
    }

    static func map(transportError error: any Error, timeout: Double, deadline: Double? = nil) -> PodAPIError {
        if let error = error as? PodAPIError { return error }
        if let error = error as? HTTPClientError {
            switch error {
            case .deadlineExceeded: return .timeout(seconds: deadline ?? timeout)
            case .readTimeout, .connectTimeout, .writeTimeout: return .timeout(seconds: timeout)
            case .remoteConnectionClosed: return .connection("connection closed before a reply")
            case .cancelled: return .connection("request cancelled")
            default: return .connection(String(describing: error))
            }
        }
        if error is CancellationError { return .connection("request cancelled") }
        let text = String(describing: error)
        if text.contains("connectionRefused") || text.contains("Connection refused") || text.contains("ECONNREFUSED") {
            return .connection("connection refused")
        }
        if text.contains("connectionReset") || text.contains("Connection reset") { return .connection("connection reset") }
        if text.lowercased().contains("dns") || text.contains("resolve") || text.contains("getaddrinfo") {
            return .connection("could not resolve the host name")
        }
        return .connection(text.count > 120 ? String(text.prefix(120)) + "…" : text)
    }
}
