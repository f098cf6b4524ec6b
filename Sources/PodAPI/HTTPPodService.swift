import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// `PodService` over HTTP with AsyncHTTPClient: sends `X-Api-Key`, `Content-Type` and
/// `User-Agent`, applies the envelope rules (always check `code`), retries GETs per
/// `RetryPolicy`, and never retries create, pause, resume or delete.
public final class HTTPPodService: PodService {
    public let configuration: ClientConfiguration
    private let client: HTTPClient
    private let logger: Logger
    private let listCache = ListReplyCache()

    /// Makes a service; the key is never logged.
    public init(configuration: ClientConfiguration, logger: Logger = Logger(label: "podtui.api")) {
        self.configuration = configuration
        self.client = SharedHTTPClients.client(connectTimeout: configuration.connectTimeout)
        self.logger = logger
    }

    // MARK: - PodService

    public func listPods(regions: [String], statuses: [PodStatus]) async throws -> PodList {
        var query: [(String, String)] = []
        if !regions.isEmpty { query.append(("regionList", regions.joined(separator: ","))) }
        let codes = statuses.compactMap { $0.code.map(String.init) ?? ($0.wireName.isEmpty ? nil : $0.wireName) }
        if !codes.isEmpty { query.append(("statusList", codes.joined(separator: ","))) }
        let (status, data) = try await sendRaw(.GET, "/v2/pods", query: query)
        let queryKey = query.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
        // A steady fleet sends the same bytes every poll: reuse the last decode (a
        // 10,000-pod reply costs ~170 ms of JSON decoding; comparing bytes costs ~0.1 ms).
        if let cached = listCache.lookup(query: queryKey, body: data) { return cached }
        let list: LossyArray<Pod> = try Self.decodeReply(status: status, body: data)
        if !list.failures.isEmpty {
            logger.warning("list: skipped \(list.failures.count) unreadable pod(s): \(list.failures.map { "#\($0.index) \($0.reason)" }.joined(separator: "; "))")
        }
        let result = PodList(pods: list.elements, skipped: list.failures)
        listCache.store(query: queryKey, body: data, list: result)
        return result
    }

    public func getPod(id: Int64) async throws -> Pod {
        try await send(.GET, "/v2/pods/\(id)", podID: id)
    }

    public func createPod(_ request: PodV2CreateRequest) async throws -> Pod {
        let problems = CreateRequestValidator.validate(request)
        guard problems.isEmpty else { throw PodAPIError.invalidRequest(problems) }
        let body = try JSONEncoder.api.encode(request)
        return try await send(.POST, "/v2/pods", body: body)
    }

    public func pausePod(id: Int64) async throws {
        _ = try await sendChecked(.POST, "/v2/pods/\(id)/pause", podID: id)
    }

    public func resumePod(id: Int64) async throws {
        _ = try await sendChecked(.POST, "/v2/pods/\(id)/resume", podID: id)
    }

    public func deletePod(id: Int64) async throws {
        _ = try await sendChecked(.DELETE, "/v2/pods/\(id)", podID: id)
    }

    public func gpuTypes() async throws -> [GPUType] {
        let list: LossyArray<GPUType> = try await send(.GET, "/v2/vms/types")
        return list.elements
    }

    public func registryCredentials() async throws -> [RegistryCredential] {
        let list: LossyArray<RegistryCredential> = try await send(.GET, "/v2/container-registry-auths")
        return list.elements
    }

    // MARK: - Transport

    /// Sends one request (retrying GETs) and returns the envelope's decoded `data`.
    private func send<T: Decodable>(_ method: HTTPMethod, _ path: String, query: [(String, String)] = [],
                                    body: Data? = nil, podID: Int64? = nil) async throws -> T {
        let (status, data) = try await sendRaw(method, path, query: query, body: body, podID: podID)
        return try Self.decodeReply(status: status, body: data, podID: podID)
    }

    /// Sends one request (retrying GETs), checks the envelope and returns the raw body.
    private func sendChecked(_ method: HTTPMethod, _ path: String, query: [(String, String)] = [],
                             body: Data? = nil, podID: Int64? = nil) async throws -> Data {
        let (status, data) = try await sendRaw(method, path, query: query, body: body, podID: podID)
        try Self.checkEnvelope(status: status, retryAfter: nil, body: data, podID: podID)
        return data
    }

    /// Sends one request, retrying GETs on transient failures (network, 5xx, 429). Non-2xx
    /// answers are turned into errors here; a 2xx body is returned unchecked, for the caller
    /// to decode once.
    private func sendRaw(_ method: HTTPMethod, _ path: String, query: [(String, String)] = [],
                         body: Data? = nil, podID: Int64? = nil) async throws -> (Int, Data) {
        let attempts = method == .GET ? configuration.retry.maxAttempts : 1
        var attempt = 1
        while true {
            do {
                return try await sendOnce(method, path, query: query, body: body, podID: podID)
            } catch let error as PodAPIError where error.isTransient && attempt < attempts {
                let wait = configuration.retry.delay(beforeRetry: attempt, after: error)
                logger.info("\(method) \(path) failed (\(error.shortReason)); retry \(attempt) in \(String(format: "%.2f", wait))s")
                try await Task.sleep(for: .milliseconds(Int(wait * 1000)))
                attempt += 1
            }
        }
    }

    private func sendOnce(_ method: HTTPMethod, _ path: String, query: [(String, String)],
                          body: Data?, podID: Int64?) async throws -> (Int, Data) {
        var request = HTTPClientRequest(url: try url(path, query: query))
        request.method = method
        request.headers.add(name: "X-Api-Key", value: configuration.apiKey.secret)
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "User-Agent", value: configuration.userAgent)
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }

        let started = ContinuousClock.now
        let status: Int
        let headers: HTTPHeaders
        let bytes: ByteBuffer
        do {
            let response = try await client.execute(request, timeout: .milliseconds(Int64(configuration.requestTimeout * 1000)))
            status = Int(response.status.code)
            headers = response.headers
            bytes = try await response.body.collect(upTo: 256 * 1024 * 1024)
        } catch {
            let mapped = Self.map(transportError: error, timeout: configuration.requestTimeout)
            logger.info("\(method) \(path) → \(mapped.shortReason)")
            throw mapped
        }
        logger.debug("\(method) \(path) → \(status) in \(ContinuousClock.now - started)")
        let data = Data(bytes.readableBytesView)
        if !(200..<300).contains(status) {
            try Self.checkEnvelope(status: status, retryAfter: headers.first(name: "Retry-After"), body: data, podID: podID)
        }
        return (status, data)
    }

    private func url(_ path: String, query: [(String, String)]) throws -> String {
        guard var components = URLComponents(url: configuration.baseURL, resolvingAgainstBaseURL: false) else {
            throw PodAPIError.configuration("Invalid base URL \(configuration.baseURL)")
        }
        let prefix = components.path.hasSuffix("/") ? String(components.path.dropLast()) : components.path
        components.path = prefix + path
        if !query.isEmpty { components.queryItems = query.map { URLQueryItem(name: $0.0, value: $0.1) } }
        guard let text = components.string else { throw PodAPIError.configuration("Invalid base URL \(configuration.baseURL)") }
        return text
    }

    // MARK: - Decoding (static so tests can feed it bytes directly)

    /// Applies the envelope rules of API notes §2 to one HTTP answer: throws unless it is a
    /// 2xx envelope with code 10000.
    static func checkEnvelope(status: Int, retryAfter: String?, body: Data, podID: Int64?) throws {
        let header = try? JSONDecoder().decode(EnvelopeHeader.self, from: body)
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
        if (200..<300).contains(status), let envelope = try? JSONDecoder().decode(FullEnvelope<T>.self, from: body),
           envelope.code == PodAPIError.Code.success, let data = envelope.data {
            return data
        }
        try checkEnvelope(status: status, retryAfter: nil, body: body, podID: podID)
        return try decodeData(body)
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
        let trimmed = clean.trimmingCharacters(in: .whitespaces)
        return trimmed.count > 200 ? String(trimmed.prefix(200)) + "…" : trimmed
    }

    static func map(transportError error: any Error, timeout: Double) -> PodAPIError {
        if let error = error as? PodAPIError { return error }
        if let error = error as? HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout, .connectTimeout, .writeTimeout: return .timeout(seconds: timeout)
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

/// The last list reply and its decoded pods, so an identical reply is not decoded again.
final class ListReplyCache: Sendable {
    private struct Entry { var query: String; var body: Data; var list: PodList }
    private let entry = Mutex<Entry?>(nil)

    func lookup(query: String, body: Data) -> PodList? {
        entry.withLock { e in
            guard let e, e.query == query, e.body == body else { return nil }
            return e.list
        }
    }

    func store(query: String, body: Data, list: PodList) {
        entry.withLock { $0 = Entry(query: query, body: body, list: list) }
    }
}

/// `code` and `message` of the envelope, readable whatever `data` holds.
struct EnvelopeHeader: Decodable {
    var code: Int?
    var message: String?
    enum CodingKeys: String, CodingKey { case code, message }
    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        code = c.decodeLenientInt(forKey: .code)
        message = c.decodeLenientString(forKey: .message)
    }
}

/// Code, message and a typed `data` in one parse.
struct FullEnvelope<T: Decodable>: Decodable {
    var code: Int?
    var data: T?
    enum CodingKeys: String, CodingKey { case code, data }
    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        code = c.decodeLenientInt(forKey: .code)
        data = try c.decodeIfPresent(T.self, forKey: .data)
    }
}

/// The whole envelope with a typed `data`.
struct Envelope<T: Decodable>: Decodable {
    var data: T
}

extension JSONEncoder {
    /// The encoder for request bodies: stable key order so bodies are predictable in tests.
    public static var api: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}

/// One `HTTPClient` per connect timeout, kept for the life of the process.
///
/// AsyncHTTPClient requires `shutdown()` before a client is released (debug builds trap
/// otherwise). Clients here are never released, so no code path can forget that, and
/// connections are pooled across services with the same settings.
enum SharedHTTPClients {
    private static let clients = Mutex<[Double: HTTPClient]>([:])

    static func client(connectTimeout: Double) -> HTTPClient {
        clients.withLock { clients in
            if let client = clients[connectTimeout] { return client }
            var configuration = HTTPClient.Configuration()
            configuration.timeout = .init(connect: .milliseconds(Int64(connectTimeout * 1000)))
            configuration.redirectConfiguration = .disallow
            let client = HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, configuration: configuration)
            clients[connectTimeout] = client
            return client
        }
    }
}
