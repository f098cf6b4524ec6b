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

    private let serverChannel: any Channel
    private let connections: Connections

    private init(address: ListenAddress, port: Int, serverChannel: any Channel, connections: Connections) {
        self.address = address
        self.port = port
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
        let connections = Connections(cap: maxConnections)
        // Plain channel handlers rather than NIOAsyncChannel: an accepted NIOAsyncChannel that
        // nobody takes (one arriving while the listener closes) traps when it is dropped, and
        // nothing from outside may crash podtui.
        let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 64)
            // A restarted watcher binds again at once, past connections still in TIME_WAIT (it
            // does not let two listeners share the port: Linux and BSD both refuse that).
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                // Over the cap: refused, so NIO closes it at once; a flood costs a descriptor
                // for a moment, never a buffer.
                guard connections.enter(channel) else {
                    return channel.eventLoop.makeFailedFuture(ChannelError.inputClosed)
                }
                channel.closeFuture.whenComplete { _ in connections.leave(channel) }
                return channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    var limits = NIOHTTPDecoderLimitConfiguration()
                    limits.maxHeaderFieldSize = maxHeaderBytes
                    limits.maxHeaderListSize = maxHeaderBytes
                    limits.maxHeaderFieldCount = 100
                    try pipeline.addHandler(IdleStateHandler(allTimeout: idleTimeout))
                    try pipeline.addHandler(CloseWhenIdle())
                    try pipeline.configureHTTPServerPipeline(withEncoderConfiguration: .init(), withDecoderLimitConfiguration: limits)
                    try pipeline.addHandler(MetricsHTTPHandler(page: page))
                }
            }
        let server: any Channel
        do {
            server = try await bootstrap.bind(to: socketAddress).get()
        } catch {
            throw MetricsListenerError(address: address, reason: Self.reason(error))
        }
        let port = server.localAddress?.port ?? address.port
        return MetricsListener(address: address, port: port, serverChannel: server, connections: connections)
    }

    /// Stops listening (the port is free when this returns) and closes open connections.
    /// Calling it again does nothing.
    public func close() async {
        try? await serverChannel.close()
        for channel in connections.all() {
            try? await channel.close()
        }
    }

    /// Connections open now (tests watch it fall back after a client leaves).
    var openConnections: Int { connections.count }

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

/// One connection's requests: answers each when its end arrives (bodies are dropped as they
/// come), or at once with 405 and a close for a method other than GET and HEAD.
/// `HTTPServerPipelineHandler` (before it) holds a pipelined request until the answer before
/// it is written, so one answer is in flight at a time.
private final class MetricsHTTPHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let page: @Sendable () async -> String
    private var request: HTTPRequestHead?
    /// Set after a 405: whatever else the client sends is ignored until the close.
    private var closing = false

    init(page: @escaping @Sendable () async -> String) { self.page = page }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !closing else { return }
        switch unwrapInboundIn(data) {
        case .head(let head):
            guard head.method == .GET || head.method == .HEAD else {
                // Answered before any body is read, then closed: a body is never kept.
                closing = true
                write(.notAllowed, to: head, keepAlive: false, context: context)
                return
            }
            request = head
        case .body:
            return  // dropped as it arrives
        case .end:
            guard let head = request else { return }
            request = nil
            // The page is made off the event loop (the closure is async), on its own executor
            // (`PageExecutor`: a busy cooperative pool does not hold a scrape); the answer is
            // written back on the loop, through a loop-bound reference to this handler's context.
            let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            let promise = context.eventLoop.makePromise(of: Answer.self)
            let page = self.page
            Task(executorPreference: PageExecutor.shared) { promise.succeed(await Answer.for(head, page: page)) }
            promise.futureResult.whenSuccess { answer in
                let (handler, context) = bound.value
                handler.write(answer, to: head, keepAlive: head.isKeepAlive, context: context)
            }
        }
    }

    private func write(_ answer: Answer, to request: HTTPRequestHead, keepAlive: Bool, context: ChannelHandlerContext) {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: answer.contentType)
        headers.add(name: "Content-Length", value: String(answer.body.utf8.count))
        headers.add(name: "Cache-Control", value: "no-store")
        headers.add(name: "X-Content-Type-Options", value: "nosniff")
        if answer.status == .methodNotAllowed { headers.add(name: "Allow", value: "GET, HEAD") }
        headers.add(name: "Connection", value: keepAlive ? "keep-alive" : "close")
        let head = HTTPResponseHead(version: request.version, status: answer.status, headers: headers)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        if request.method != .HEAD && !answer.body.isEmpty {
            context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(string: answer.body)))), promise: nil)
        }
        let written = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        guard !keepAlive else { return }
        // Closed once the answer is out (a close now would fail the writes still queued).
        let channel = context.channel
        written.whenComplete { _ in channel.close(promise: nil) }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // A reset or a protocol error ends this connection only.
        context.close(promise: nil)
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

/// The open connections, against the cap (`MetricsListener.maxConnections`), so `close()`
/// can end them too.
final class Connections: Sendable {
    private let open = Mutex<[ObjectIdentifier: any Channel]>([:])
    private let cap: Int

    init(cap: Int) { self.cap = cap }

    /// Counts one in, or says no when the cap is reached.
    func enter(_ channel: any Channel) -> Bool {
        open.withLock { open in
            guard open.count < cap else { return false }
            open[ObjectIdentifier(channel)] = channel
            return true
        }
    }

    func leave(_ channel: any Channel) {
        _ = open.withLock { $0.removeValue(forKey: ObjectIdentifier(channel)) }
    }

    func all() -> [any Channel] { open.withLock { Array($0.values) } }

    var count: Int { open.withLock { $0.count } }
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
