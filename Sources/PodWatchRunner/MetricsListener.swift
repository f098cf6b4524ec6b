import Libc
import NIOCore
import NIOHTTP1
import NIOPosix
import PodWatch
import Synchronization

/// The watcher's `/metrics` server: a small HTTP/1.1 server on one `ListenAddress`, run on
/// NIO's shared event loops (`MultiThreadedEventLoopGroup.singleton`).
///
/// `GET /metrics` (and `HEAD`) answers the page the `page` closure makes, as
/// `text/plain; version=0.0.4; charset=utf-8`; `GET /` one line pointing at `/metrics`; any
/// other path 404; any other method 405 (and the connection is closed without reading a body).
/// Bounded against a client that misbehaves: request bodies are dropped as they arrive, never
/// kept; headers are limited to `maxHeaderBytes`; a connection with no traffic either way for
/// `idleTimeout` is closed (a client that stops reading its answer too); at most
/// `maxConnections` are open, a further one is closed as soon as it is accepted.
public final class MetricsListener: Sendable {
    /// Header bytes one request may carry (name and value of all fields together).
    public static let maxHeaderBytes = 16 * 1024
    /// A connection with neither a read nor a completed write for this long is closed.
    public static let idleTimeout: TimeAmount = .seconds(30)
    /// Open connections at most (Prometheus holds one; a few `curl`s beside it are fine).
    public static let maxConnections = 32

    /// The address as asked for.
    public let address: ListenAddress
    /// The port bound: the asked one, or the one the system chose for port 0.
    public let port: Int

    private let server: Task<Void, Never>
    private let serverChannel: any Channel
    private let connections: ConnectionCount

    private init(address: ListenAddress, port: Int, server: Task<Void, Never>, serverChannel: any Channel, connections: ConnectionCount) {
        self.address = address
        self.port = port
        self.server = server
        self.serverChannel = serverChannel
        self.connections = connections
    }

    /// Binds `address` and serves until `close()`. A bind that fails (the port in use, an
    /// address this host does not have, a port below 1024 without the right) throws a
    /// `MetricsListenerError` whose message says which and what to do.
    public static func start(_ address: ListenAddress, page: @escaping @Sendable () async -> String) async throws -> MetricsListener {
        try await start(address, idleTimeout: idleTimeout, maxConnections: maxConnections, page: page)
    }

    /// `start` with the bounds as parameters (tests use short ones).
    static func start(
        _ address: ListenAddress, idleTimeout: TimeAmount, maxConnections: Int, page: @escaping @Sendable () async -> String
    ) async throws -> MetricsListener {
        let socketAddress: SocketAddress
        do {
            socketAddress = try SocketAddress(ipAddress: address.hostText, port: address.port)
        } catch {
            throw MetricsListenerError(address: address, reason: "not an address this machine can listen on")
        }
        let connections = ConnectionCount(cap: maxConnections)
        let server: NIOAsyncChannel<NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>, Never>
        do {
            server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .serverChannelOption(.backlog, value: 64)
                // A restarted watcher binds again at once, past connections still in TIME_WAIT
                // (it does not let two listeners share the port: Linux and BSD both refuse that).
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .bind(to: socketAddress) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let pipeline = channel.pipeline.syncOperations
                        var limits = NIOHTTPDecoderLimitConfiguration()
                        limits.maxHeaderFieldSize = maxHeaderBytes
                        limits.maxHeaderListSize = maxHeaderBytes
                        limits.maxHeaderFieldCount = 100
                        try pipeline.addHandler(IdleStateHandler(allTimeout: idleTimeout))
                        try pipeline.addHandler(CloseWhenIdle())
                        try pipeline.configureHTTPServerPipeline(withEncoderConfiguration: .init(), withDecoderLimitConfiguration: limits)
                        return try NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>(wrappingChannelSynchronously: channel)
                    }
                }
        } catch {
            throw MetricsListenerError(address: address, reason: Self.reason(error))
        }
        let port = server.channel.localAddress?.port ?? address.port
        let task = Task<Void, Never> {
            // Ends when the listening channel is closed (`close()`); nothing to report then.
            _ = try? await server.executeThenClose { inbound in
                try await withThrowingDiscardingTaskGroup { group in
                    for try await connection in inbound {
                        guard connections.enter() else {
                            // Over the cap: closed at once, through executeThenClose (an
                            // NIOAsyncChannel dropped with its writer unfinished traps), so a
                            // flood costs a file descriptor and a task for a moment, no buffer.
                            group.addTask { _ = try? await connection.executeThenClose { _, _ in } }
                            continue
                        }
                        group.addTask {
                            defer { connections.leave() }
                            // A connection's failure (reset, timeout, a bad request) is its own.
                            try? await serve(connection, page: page)
                        }
                    }
                }
            }
        }
        return MetricsListener(address: address, port: port, server: task, serverChannel: server.channel, connections: connections)
    }

    /// Stops listening (the port is free when this returns) and ends open connections.
    public func close() async {
        // Closing the listening channel ends the accept loop; cancelling ends the connections.
        try? await serverChannel.close()
        server.cancel()
        await server.value
    }

    /// Connections open now (tests watch it fall back after a client leaves).
    var openConnections: Int { connections.value }

    // MARK: - One connection

    private static func serve(
        _ connection: NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>,
        page: @escaping @Sendable () async -> String
    ) async throws {
        try await connection.executeThenClose { inbound, outbound in
            var request: HTTPRequestHead?
            for try await part in inbound {
                switch part {
                case .head(let head):
                    guard head.method == .GET || head.method == .HEAD else {
                        // Answered before any body is read, then closed: a body is never kept.
                        try await write(Answer.notAllowed, keepAlive: false, to: outbound, head: head)
                        return
                    }
                    request = head
                case .body:
                    continue  // dropped as it arrives
                case .end:
                    guard let head = request else { continue }
                    request = nil
                    let answer = await Answer.for(head, page: page)
                    try await write(answer, keepAlive: head.isKeepAlive, to: outbound, head: head)
                    guard head.isKeepAlive else { return }
                }
            }
        }
    }

    private static func write(
        _ answer: Answer, keepAlive: Bool, to outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>, head request: HTTPRequestHead
    ) async throws {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: answer.contentType)
        headers.add(name: "Content-Length", value: String(answer.body.utf8.count))
        headers.add(name: "Cache-Control", value: "no-store")
        headers.add(name: "X-Content-Type-Options", value: "nosniff")
        if answer.status == .methodNotAllowed { headers.add(name: "Allow", value: "GET, HEAD") }
        headers.add(name: "Connection", value: keepAlive ? "keep-alive" : "close")
        let head = HTTPResponseHead(version: request.version, status: answer.status, headers: headers)
        try await outbound.write(.head(head))
        if request.method != .HEAD && !answer.body.isEmpty {
            try await outbound.write(.body(.byteBuffer(ByteBuffer(string: answer.body))))
        }
        try await outbound.write(.end(nil))
    }

    /// The message for a failed bind: the system's reason, and what to do for the usual one.
    static func reason(_ error: any Error) -> String {
        if let io = error as? IOError {
            switch io.errnoCode {
            case EADDRINUSE:
                return "the port is already in use (another watcher, or another program: choose another with --listen)"
            case EADDRNOTAVAIL:
                return "this machine has no such address"
            case EACCES, EPERM:
                return "not allowed to listen there (ports below 1024 need privileges)"
            default:
                return String(cString: strerror(io.errnoCode))
            }
        }
        return "\(error)"
    }
}

/// An answer, decided from the request head alone (so it is a pure function of it, tested as such).
struct Answer: Sendable, Equatable {
    var status: HTTPResponseStatus
    var contentType: String
    var body: String

    static let notFound = Answer(status: .notFound, contentType: "text/plain; charset=utf-8", body: "not found: the page is /metrics\n")
    static let notAllowed = Answer(status: .methodNotAllowed, contentType: "text/plain; charset=utf-8", body: "only GET and HEAD\n")
    static let index = Answer(
        status: .ok, contentType: "text/plain; charset=utf-8", body: "podtui watch: Prometheus metrics at /metrics\n")

    /// The answer to a GET or HEAD: the page for /metrics, a pointer for /, 404 for the rest.
    static func `for`(_ head: HTTPRequestHead, page: @Sendable () async -> String) async -> Answer {
        // The path without a query (`/metrics?x=1` is /metrics; Prometheus may add params).
        let path = head.uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
        switch path {
        case "/metrics":
            return Answer(status: .ok, contentType: MetricsPage.contentType, body: await page())
        case "/":
            return index
        default:
            return notFound
        }
    }
}

/// How many connections are open, against the cap (`MetricsListener.maxConnections`).
final class ConnectionCount: Sendable {
    private let count = Atomic<Int>(0)
    private let cap: Int

    init(cap: Int) { self.cap = cap }

    /// Counts one in, or says no when the cap is reached.
    func enter() -> Bool {
        let after = count.wrappingAdd(1, ordering: .relaxed).newValue
        guard after <= cap else {
            count.wrappingSubtract(1, ordering: .relaxed)
            return false
        }
        return true
    }

    func leave() { count.wrappingSubtract(1, ordering: .relaxed) }

    var value: Int { count.load(ordering: .relaxed) }
}

/// Closes the connection when `IdleStateHandler` says nothing moved for its timeout.
private final class CloseWhenIdle: ChannelInboundHandler {
    typealias InboundIn = NIOAny

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent {
            context.close(promise: nil)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }
}

/// Why the listener could not start, as one line for the terminal.
public struct MetricsListenerError: Error, Sendable, CustomStringConvertible {
    public let address: ListenAddress
    public let reason: String
    public var description: String { "cannot listen on \(address) for /metrics: \(reason)" }
}
