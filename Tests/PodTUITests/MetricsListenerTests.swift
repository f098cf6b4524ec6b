import Dispatch
import Foundation
import Libc
import NIOCore
import NIOHTTP1
import Synchronization
import Testing
@testable import PodWatch
@testable import PodWatchRunner

/// The /metrics listener over real loopback sockets: answers, bounds, bind errors, close.
@Suite("Metrics listener")
struct MetricsListenerTests {
    static let page = "# TYPE x gauge\nx 1\n"

    static func listener(
        idleTimeout: TimeAmount = MetricsListener.idleTimeout, maxConnections: Int = MetricsListener.maxConnections,
        page: @escaping @Sendable () async -> String = { MetricsListenerTests.page }
    ) async throws -> MetricsListener {
        try await MetricsListener.start(.loopback(port: 0), idleTimeout: idleTimeout, maxConnections: maxConnections, page: page)
    }

    @Test("GET /metrics: 200, the Prometheus content type and the page; HEAD: the same head, no body")
    func metrics() async throws {
        let calls = Atomic<Int>(0)
        let server = try await Self.listener { calls.wrappingAdd(1, ordering: .relaxed); return Self.page }
        #expect(server.port > 0, "port 0 asked, the bound port reported")
        let get = try await RawHTTP.exchange(port: server.port, "GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        #expect(get.status == 200)
        #expect(get.headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8")
        #expect(get.headers["content-length"] == String(Self.page.utf8.count))
        #expect(get.body == Self.page)
        let head = try await RawHTTP.exchange(port: server.port, "HEAD /metrics?x=1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        #expect(head.status == 200)
        #expect(head.headers["content-length"] == String(Self.page.utf8.count))
        #expect(head.body.isEmpty)
        #expect(calls.load(ordering: .relaxed) == 2)
        await server.close()
    }

    /// What the busy-pool test's threads note.
    final class BusyPoolNotes: Sendable {
        let stop = Atomic<Bool>(false)
        let stoppedAt = Mutex<ContinuousClock.Instant?>(nil)
        let answeredAt = Mutex<ContinuousClock.Instant?>(nil)
        let status = Mutex<Int?>(nil)
    }

    @Test("a scrape is answered while Swift's cooperative pool is busy (the page has its own executor)")
    func busyPool() async throws {
        let server = try await Self.listener()
        let notes = BusyPoolNotes()
        // Every pool thread blocked (on purpose) for up to 8 s.
        let blockers = (0..<8).map { _ in
            Task.detached {
                let end = ContinuousClock.now + .seconds(8)
                while !notes.stop.load(ordering: .relaxed), ContinuousClock.now < end { usleep(1000) }
                notes.stoppedAt.withLock { $0 = $0 ?? ContinuousClock.now }
            }
        }
        // The exchange runs on a Dispatch thread, and notes when the answer came.
        let port = server.port
        DispatchQueue.global().async {
            if let fd = try? RawHTTP.connect(port: port) {
                try? RawHTTP.send(fd, "GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                var buffer = [UInt8](repeating: 0, count: 4096)
                let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                notes.answeredAt.withLock { $0 = ContinuousClock.now }
                if n > 12 { notes.status.withLock { $0 = Int(String(decoding: buffer[9..<12], as: UTF8.self)) } }
                Libc.close(fd)
            }
            notes.stop.store(true, ordering: .relaxed)
        }
        for blocker in blockers { await blocker.value }
        let answered = try #require(notes.answeredAt.withLock { $0 })
        let stopped = try #require(notes.stoppedAt.withLock { $0 })
        #expect(answered <= stopped, "the scrape waited for the pool")
        #expect(notes.status.withLock { $0 } == 200)
        await server.close()
    }

    @Test("/ points at /metrics, other paths are 404, other methods 405 without reading the body")
    func routes() async throws {
        let server = try await Self.listener()
        let index = try await RawHTTP.exchange(port: server.port, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        #expect(index.status == 200 && index.body.contains("/metrics"))
        for path in ["/metrics/", "/nope", "/METRICS", "/metricsx", "//metrics", "*"] {
            let answer = try await RawHTTP.exchange(port: server.port, "GET \(path) HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            #expect(answer.status == 404, "\(path)")
        }
        for method in ["POST", "PUT", "DELETE", "OPTIONS", "PATCH"] {
            // A body announced as 1 GB and never sent: answered and closed at the head.
            let answer = try await RawHTTP.exchange(
                port: server.port, "\(method) /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000000\r\n\r\n")
            #expect(answer.status == 405, "\(method)")
            #expect(answer.headers["allow"] == "GET, HEAD")
        }
        await server.close()
    }

    @Test("keep-alive: two requests on one connection, the page asked for each")
    func keepAlive() async throws {
        let calls = Atomic<Int>(0)
        let server = try await Self.listener { "n \(calls.wrappingAdd(1, ordering: .relaxed).newValue)\n" }
        let raw = try await RawHTTP.raw(
            port: server.port,
            "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\nGET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        #expect(raw.components("HTTP/1.1 200 OK") == 2)
        #expect(raw.contains("n 1\n") && raw.contains("n 2\n"))
        await server.close()
    }

    @Test("a malformed request or oversized headers get an error answer or a close, and the server keeps serving")
    func badRequests() async throws {
        let server = try await Self.listener()
        let garbage = try await RawHTTP.raw(port: server.port, "\u{1B}[31m GARBAGE \0\r\n\r\n")
        #expect(garbage.isEmpty || garbage.hasPrefix("HTTP/1.1 400"))
        let huge = "GET /metrics HTTP/1.1\r\nHost: x\r\nX-Big: " + String(repeating: "a", count: 64 * 1024) + "\r\n\r\n"
        let big = try await RawHTTP.raw(port: server.port, huge)
        #expect(!big.contains("200 OK"), "headers past the limit are not served")
        let after = try await RawHTTP.exchange(port: server.port, "GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        #expect(after.status == 200)
        await server.close()
    }

    @Test("the port in use is a thrown error that says so; close() frees the port")
    func bindErrors() async throws {
        let first = try await Self.listener()
        let port = first.port
        do {
            let second = try await MetricsListener.start(.loopback(port: port)) { "" }
            await second.close()
            Issue.record("a second listener bound the same port")
        } catch let error as MetricsListenerError {
            #expect(error.description.contains("already in use"), "\(error)")
            #expect(error.description.contains("127.0.0.1:\(port)"))
        }
        // A connection left open does not keep the port after close().
        let open = try RawHTTP.connect(port: port)
        defer { Libc.close(open) }
        await first.close()
        // Bound again. Retried for a while: on a machine running every suite at once, another
        // test's listener on port 0 may briefly hold the freed port (a close that kept it would
        // still fail here, after the deadline).
        var rebound: MetricsListener?
        let deadline = ContinuousClock.now + .seconds(20)
        while rebound == nil {
            do { rebound = try await MetricsListener.start(.loopback(port: port)) { Self.page } } catch {
                guard ContinuousClock.now < deadline else { throw error }
                try await Task.sleep(for: .milliseconds(100))
            }
        }
        let again = try #require(rebound)
        #expect(again.port == port)
        let answer = try await RawHTTP.exchange(port: port, "GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        #expect(answer.status == 200)
        await again.close()
        await again.close()  // twice is harmless
        // (Whether anything listens there afterwards is not asserted: another suite running
        // in parallel may be given the freed port at once.)
        // An address this machine does not have.
        await #expect(throws: MetricsListenerError.self) {
            try await MetricsListener.start(try ListenAddress.parse("192.0.2.1:9")) { "" }
        }
    }

    @Test("a connection that sends nothing is closed after the idle timeout")
    func idle() async throws {
        let server = try await Self.listener(idleTimeout: .milliseconds(200))
        let fd = try RawHTTP.connect(port: server.port)
        defer { Libc.close(fd) }
        // recv returns 0 (closed by the server) before the client's own deadline, which would
        // throw instead: the server closed it. (How soon is not asserted: a loaded machine.)
        let got = try await RawHTTP.readToEnd(fd)
        #expect(got.isEmpty)
        try await waitUntil { server.openConnections == 0 }
        await server.close()
    }

    @Test("past the connection cap a new connection is closed at once; the held ones still work")
    func cap() async throws {
        let server = try await Self.listener(maxConnections: 4)
        var held: [Int32] = []
        defer { held.forEach { _ = Libc.close($0) } }
        for _ in 0..<4 { held.append(try RawHTTP.connect(port: server.port)) }
        try await waitUntil { server.openConnections == 4 }
        let extra = try RawHTTP.connect(port: server.port)
        defer { Libc.close(extra) }
        #expect(try await RawHTTP.readToEnd(extra).isEmpty, "closed without an answer")
        #expect(server.openConnections == 4)
        try RawHTTP.send(held[0], "GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        #expect(try await RawHTTP.readToEnd(held[0]).hasPrefix("HTTP/1.1 200 OK"))
        for fd in held { _ = Libc.close(fd) }
        held = []
        try await waitUntil { server.openConnections == 0 }
        await server.close()
    }

    @Test("an IPv6 loopback address serves too")
    func ipv6() async throws {
        let address = ListenAddress(host: .ipv6([0, 0, 0, 0, 0, 0, 0, 1]), port: 0)
        let server = try await MetricsListener.start(address, idleTimeout: MetricsListener.idleTimeout, maxConnections: 4) { Self.page }
        let fd = try RawHTTP.connect6(port: server.port)
        defer { Libc.close(fd) }
        try RawHTTP.send(fd, "GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        let answer = try await RawHTTP.readToEnd(fd)
        #expect(answer.hasPrefix("HTTP/1.1 200 OK") && answer.hasSuffix(Self.page))
        await server.close()
    }

    @Test("the answer for a head: query strings ignored, paths exact")
    func answers() async {
        func head(_ uri: String) -> HTTPRequestHead { HTTPRequestHead(version: .http1_1, method: .GET, uri: uri) }
        #expect(await Answer.for(head("/metrics?name[]=x"), page: { "p" }).body == "p")
        #expect(await Answer.for(head("/?a"), page: { "p" }) == .index)
        #expect(await Answer.for(head(""), page: { "p" }) == .notFound)
        #expect(await Answer.for(head("/metrics#x"), page: { "p" }) == .notFound)
    }
}

/// Polls `condition` until it holds, failing after `seconds`.
func waitUntil(seconds: Double = 10, _ condition: () -> Bool) async throws {
    let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
    while !condition() {
        guard ContinuousClock.now < deadline else {
            Issue.record("condition not met within \(seconds) s")
            return
        }
        try await Task.sleep(for: .milliseconds(20))
    }
}

/// A plain loopback HTTP client on blocking sockets, run off the cooperative pool (the server's
/// page closure needs the pool), each read bounded by a 5 s receive timeout.
enum RawHTTP {
    struct Failure: Error, CustomStringConvertible { var description: String }

    struct Response {
        var status: Int
        var headers: [String: String]
        var body: String
    }

    static func connect(port: Int) throws -> Int32 {
        #if os(Linux)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw Failure(description: "socket: \(errno)") }
        var timeout = timeval(tv_sec: RawHTTP.patience, tv_usec: 0)
        _ = setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        _ = setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(truncatingIfNeeded: port)).bigEndian
        address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        let rc = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { Libc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard rc == 0 else {
            let code = errno
            Libc.close(fd)
            throw Failure(description: "connect: errno \(code)")
        }
        return fd
    }

    /// A connection to [::1]:`port`.
    static func connect6(port: Int) throws -> Int32 {
        #if os(Linux)
        let fd = socket(AF_INET6, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        #else
        let fd = socket(AF_INET6, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw Failure(description: "socket: \(errno)") }
        var timeout = timeval(tv_sec: RawHTTP.patience, tv_usec: 0)
        _ = setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in6()
        address.sin6_family = sa_family_t(AF_INET6)
        address.sin6_port = in_port_t(UInt16(truncatingIfNeeded: port)).bigEndian
        address.sin6_addr = in6addr_loopback
        let rc = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { Libc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
        }
        guard rc == 0 else {
            let code = errno
            Libc.close(fd)
            throw Failure(description: "connect: errno \(code)")
        }
        return fd
    }

    /// How long a read or write may wait: generous, because the whole suite runs in parallel on
    /// two cores and a loaded machine answers late; a server that never answers still fails.
    static let patience = 30

    static func send(_ fd: Int32, _ text: String) throws {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let n = bytes.withUnsafeBytes { Libc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            // A server that closes early (405, oversized headers) may reset the rest: fine.
            guard n > 0 else { return }
            bytes = bytes.dropFirst(n)
        }
    }

    /// Everything until the server closes (or `patience` seconds without a byte).
    static func readToEnd(_ fd: Int32) async throws -> String {
        try await offPool {
            var out: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 65_536)
            while true {
                let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                if n > 0 { out.append(contentsOf: buffer[0..<n]); continue }
                if n == 0 || errno == ECONNRESET { break }
                if errno == EINTR { continue }
                throw Failure(description: "recv: errno \(errno) after \(out.count) bytes")
            }
            return String(decoding: out, as: UTF8.self)
        }
    }

    static func raw(port: Int, _ request: String) async throws -> String {
        let fd = try connect(port: port)
        defer { Libc.close(fd) }
        try send(fd, request)
        return try await readToEnd(fd)
    }

    static func exchange(port: Int, _ request: String) async throws -> Response {
        let text = try await raw(port: port, request)
        guard let end = text.range(of: "\r\n\r\n") else { throw Failure(description: "no head in \(text.prefix(200))") }
        let lines = text[..<end.lowerBound].split(separator: "\r\n")
        guard let first = lines.first, first.hasPrefix("HTTP/1.1 "), let status = Int(first.dropFirst(9).prefix(3)) else {
            throw Failure(description: "bad status line \(text.prefix(100))")
        }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return Response(status: status, headers: headers, body: String(text[end.upperBound...]))
    }

    private static func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try body() }) }
        }
    }
}

extension String {
    fileprivate func components(_ needle: String) -> Int { components(separatedBy: needle).count - 1 }
}
