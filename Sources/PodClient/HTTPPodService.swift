import AsyncHTTPClient
import NIOFoundationEssentialsCompat
import FoundationEssentials
import PodAPI
import Libc
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
    /// For reads: ended by `readIdleTimeout` without bytes.
    private let client: HTTPClient
    /// For writes: no idle-read limit, only the whole-request deadline (a slow create must
    /// not look failed while the server is still making the pod).
    private let writeClient: HTTPClient
    let logger: Logger
    private let listCache = ListReplyCache()
    private let dialect = Mutex<StatusFilterDialect>(.names)

    /// Makes a service; the key is never logged.
    public init(configuration: ClientConfiguration, logger: Logger = Logger(label: "podtui.api")) {
        self.configuration = configuration
        self.client = SharedHTTPClients.client(connectTimeout: configuration.connectTimeout, readIdle: configuration.readIdleTimeout)
        self.writeClient = SharedHTTPClients.client(connectTimeout: configuration.connectTimeout, readIdle: nil)
        self.logger = logger
    }

    // MARK: - PodService

    /// How the server last accepted a status filter; remembered for the life of the service.
    public var statusFilterDialect: StatusFilterDialect { dialect.withLock { $0 } }

    public func listPods(regions: [String], statuses: [PodStatus]) async throws -> PodList {
        var dialect = self.dialect.withLock { $0 }
        var firstRefusal: PodAPIError?
        while true {
            let query = Self.listQuery(regions: regions, statuses: statuses, dialect: dialect)
            do {
                let list = try await fetchList(query: query)
                if firstRefusal != nil {
                    // This form worked where the earlier ones were refused: keep it.
                    logger.warning("list: statusList as \(dialect.rawValue) works here; using it from now on")
                    self.dialect.withLock { $0 = dialect }
                }
                return Self.filterLocally(list, regions: regions, statuses: statuses)
            } catch let error as PodAPIError where error.isInvalidRequestRefusal && !statuses.isEmpty {
                // Servers differ on statusList (API notes, open question 2): names, then
                // integer codes, then no server-side status filter at all. Each form is
                // tried once; the one that works is kept for the rest of the run.
                if firstRefusal == nil { firstRefusal = error }
                guard dialect != .local else {
                    // Refused even without statusList: it was never the status filter's fault.
                    throw firstRefusal ?? error
                }
                let next: StatusFilterDialect = dialect == .names ? .codes : .local
                logger.warning("list: the server refused statusList as \(dialect.rawValue) (\(error.shortReason)); trying \(next.rawValue)")
                dialect = next
            }
        }
    }

    /// The list query for a dialect: `statusList` as names or codes, or left out.
    static func listQuery(regions: [String], statuses: [PodStatus], dialect: StatusFilterDialect) -> [(String, String)] {
        var query: [(String, String)] = []
        if !regions.isEmpty { query.append(("regionList", regions.joined(separator: ","))) }
        let values: [String]
        switch dialect {
        case .names: values = statuses.map(\.wireName).filter { !$0.isEmpty }
        case .codes: values = statuses.compactMap { $0.code.map(String.init) ?? ($0.wireName.isEmpty ? nil : $0.wireName) }
        case .local: values = []
        }
        if !values.isEmpty { query.append(("statusList", values.joined(separator: ","))) }
        return query
    }

    /// Applies the filters on this side too, so the result is right whatever the server did
    /// with them. A pod that does not say its region is kept (the server chose it).
    static func filterLocally(_ list: PodList, regions: [String], statuses: [PodStatus]) -> PodList {
        guard !regions.isEmpty || !statuses.isEmpty else { return list }
        let regionSet = Set(regions), statusSet = Set(statuses)
        var result = list
        result.pods = list.pods.filter { pod in
            (statusSet.isEmpty || statusSet.contains(pod.status))
                && (regionSet.isEmpty || pod.region.map(regionSet.contains) ?? true)
        }
        return result
    }

    private func fetchList(query: [(String, String)]) async throws -> PodList {
        let (status, data) = try await sendRaw(.GET, "/v2/pods", query: query)
        let queryKey = query.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
        // A steady fleet sends the same bytes every poll: reuse the last decode (a
        // 10,000-pod reply costs ~170 ms of JSON decoding; its print, a keyed hash, ~1 ms).
        let print = listCache.print(data)
        if let cached = listCache.lookup(query: queryKey, print: print) { return cached }
        // A good list is read by the fast path (about 10 times quicker; only the pods whose
        // bytes changed since the last list); anything it is not sure of (an error
        // envelope, `data: null`, an odd pod) by JSONDecoder.
        if (200..<300).contains(status), let pods = listCache.decodeFast(data) {
            let result = PodList(pods: pods, skipped: [])
            listCache.store(query: queryKey, print: print, list: result)
            return result
        }
        // `data: null` is how some servers say "no pods".
        let list: LossyArray<Pod>? = try Self.decodeOptionalReply(status: status, body: data)
        let failures = list?.failures ?? []
        if !failures.isEmpty {
            // At most five reasons a line: a fleet of broken pods must not write megabytes a poll.
            let shown = failures.prefix(5).map { "#\($0.index) \($0.reason)" }.joined(separator: "; ")
            let more = failures.count > 5 ? "; and \(failures.count - 5) more" : ""
            logger.warning("list: skipped \(failures.count) unreadable pod(s): \(shown)\(more)")
        }
        let result = PodList(pods: list?.elements ?? [], skipped: failures)
        listCache.store(query: queryKey, print: print, list: result)
        return result
    }

    public func getPod(id: Int64) async throws -> Pod {
        try await send(.GET, "/v2/pods/\(id)", podID: id)
    }

    public func getPodRaw(id: Int64) async throws -> String {
        let data = try await sendChecked(.GET, "/v2/pods/\(id)", podID: id)
        return String(decoding: data, as: UTF8.self)
    }

    public func createPod(_ request: PodV2CreateRequest) async throws -> CreateResult {
        let problems = CreateRequestValidator.validate(request)
        guard problems.isEmpty else { throw PodAPIError.invalidRequest(problems) }
        let body = try JSONEncoder.api.encode(request)
        let (status, data) = try await sendRaw(.POST, "/v2/pods", body: body)
        // Servers answer with the pod, with only its id, or with null (open question 7).
        // From here on the pod exists: nothing below may fail the call, or a user would be
        // invited to create it twice.
        let reply: CreatedData? = try Self.decodeOptionalReply(status: status, body: data)
        switch reply {
        case .pod(let pod)?:
            return .created(pod)
        case .id(let id)?:
            do {
                return .created(try await getPod(id: id))
            } catch {
                logger.warning("create: accepted as \(id), but reading it back failed: \(error)")
                return .created(Pod(id: id, name: request.name, status: .initializing, gpuType: request.gpuType,
                                    image: request.image, gpuCount: request.gpuCount, resourceType: request.resourceType))
            }
        case .noID?, nil:
            logger.warning("create: accepted without an id in the reply")
            return .acceptedWithoutID
        }
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
        let (status, data) = try await sendRaw(.GET, "/v2/vms/types")
        let list: LossyArray<GPUType>? = try Self.decodeOptionalReply(status: status, body: data)
        return list?.elements ?? []
    }

    public func registryCredentials() async throws -> [RegistryCredential] {
        let (status, data) = try await sendRaw(.GET, "/v2/container-registry-auths")
        let list: LossyArray<RegistryCredential>? = try Self.decodeOptionalReply(status: status, body: data)
        return list?.elements ?? []
    }

    // MARK: - Transport

    /// Sends one request (retrying GETs) and returns the envelope's decoded `data`.
    func send<T: Decodable>(_ method: HTTPMethod, _ path: String, query: [(String, String)] = [],
                                    body: Data? = nil, podID: Int64? = nil) async throws -> T {
        let (status, data) = try await sendRaw(method, path, query: query, body: body, podID: podID)
        return try Self.decodeReply(status: status, body: data, podID: podID)
    }

    /// Sends one request (retrying GETs), checks the envelope and returns the raw body.
    func sendChecked(_ method: HTTPMethod, _ path: String, query: [(String, String)] = [],
                             body: Data? = nil, podID: Int64? = nil) async throws -> Data {
        let (status, data) = try await sendRaw(method, path, query: query, body: body, podID: podID)
        try Self.checkEnvelope(status: status, retryAfter: nil, body: data, podID: podID)
        return data
    }

    /// Sends one request, retrying GETs on transient failures (network, 5xx, 429). Non-2xx
    /// answers are turned into errors here; a 2xx body is returned unchecked, for the caller
    /// to decode once.
    func sendRaw(_ method: HTTPMethod, _ path: String, query: [(String, String)] = [],
                         body: Data? = nil, podID: Int64? = nil) async throws -> (Int, Data) {
        let attempts = method == .GET ? configuration.retry.maxAttempts : 1
        var attempt = 1
        while true {
            do {
                return try await sendOnce(method, path, query: query, body: body, podID: podID)
            } catch let error as PodAPIError where error.isTransient && attempt < attempts {
                let wait = configuration.retry.delay(beforeRetry: attempt, after: error)
                logger.info("\(method) \(path) failed (\(error.shortReason)); retry \(attempt) in \(NumberText.fixed(wait, 2))s")
                try await Task.sleep(for: .milliseconds(Int(saturating: wait * 1000)))
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
        // Reads: no bytes for `readIdleTimeout` ends them (a big reply on a slow link keeps
        // going); writes: one whole-request deadline.
        let isRead = method == .GET
        let limit = isRead ? configuration.readDeadline : configuration.requestTimeout
        do {
            let response = try await (isRead ? client : writeClient).execute(request, timeout: .milliseconds(Int64(saturating: limit * 1000)))
            status = Int(response.status.code)
            headers = response.headers
            bytes = try await response.body.collect(upTo: Self.replyLimit(method, path))
        } catch is NIOTooManyBytesError {
            // Not transient: the same server would send the same body again.
            let mib = Self.replyLimit(method, path) / (1024 * 1024)
            logger.info("\(method) \(path) → reply larger than \(mib) MiB")
            throw PodAPIError.malformedResponse("the reply is larger than \(mib) MiB")
        } catch {
            let mapped = Self.map(transportError: error, timeout: isRead ? configuration.readIdleTimeout : configuration.requestTimeout,
                                  deadline: limit)
            logger.info("\(method) \(path) → \(mapped.shortReason)")
            throw mapped
        }
        // When the last byte came (wall clock, for scripts/measure.py: from there to the list
        // on screen is podtui's own share of "request → list", the rest is the server's).
        logger.debug("\(method) \(path) → \(status), \(bytes.readableBytes) bytes in \(ContinuousClock.now - started), last byte at \(NumberText.fixed(Date().timeIntervalSince1970, 3))")
        // Past 256 kB the Data shares the buffer's storage instead of copying it (a list of
        // 10,000 pods is 6 MB, and both copies were alive at once).
        let data = bytes.getData(at: bytes.readerIndex, length: bytes.readableBytes, byteTransferStrategy: .automatic) ?? Data()
        if !(200..<300).contains(status) {
            try Self.checkEnvelope(status: status, retryAfter: headers.first(name: "Retry-After"), body: data, podID: podID)
        }
        return (status, data)
    }

    /// The largest reply body read: 64 MiB for the pod and volume lists (10,000 pods are
    /// about 6 MB), 8 MiB for anything else. Past it the request fails, unretried, instead
    /// of holding hundreds of megabytes (and several times that to decode them).
    static func replyLimit(_ method: HTTPMethod, _ path: String) -> Int {
        method == .GET && (path == "/v2/pods" || path == "/v2/volumes") ? 64 * 1024 * 1024 : 8 * 1024 * 1024
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
}
