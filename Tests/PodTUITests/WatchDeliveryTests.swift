import Dispatch
import FoundationEssentials
import Libc
import Testing
import PodAPI
@testable import PodWatch
@testable import PodWatchRunner

/// Delivering to receivers and programs that misbehave, over real loopback sockets and real
/// child processes: an answer of 500, 429 or 404, a connection closed without an answer, a
/// receiver that never answers, a program that never exits or floods its output.
@Suite("Watch: delivery to hostile receivers", .serialized)
struct WatchDeliveryTests {
    /// A one-connection-at-a-time HTTP receiver on a loopback port: reads a request, then
    /// answers as told (nil: closes without a word; "hang": keeps the connection and says nothing).
    final class Receiver: Sendable {
        let fd: Int32
        let port: Int

        init?(answer: String?) {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { return nil }
            var one: Int32 = 1
            setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = in_addr_t(0x7f00_0001).bigEndian
            address.sin_port = 0
            let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
            guard bound == 0, listen(fd, 8) == 0 else { close(fd); return nil }
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
            self.fd = fd
            self.port = Int(UInt16(bigEndian: address.sin_port))
            guard answer != "hang" else { return }   // the kernel completes the handshake; nobody answers
            DispatchQueue.global().async {
                while true {
                    let client = accept(fd, nil, nil)
                    if client < 0 { return }
                    var buffer = [UInt8](repeating: 0, count: 65_536)
                    _ = read(client, &buffer, buffer.count)
                    if let answer { _ = answer.withCString { write(client, $0, strlen($0)) } }
                    close(client)
                }
            }
        }

        var url: String { "http://127.0.0.1:\(port)/hooks/SECRET" }

        func stop() { shutdown(fd, Int32(SHUT_RDWR)); close(fd) }
    }

    static func answer(_ status: String) -> String { "HTTP/1.1 \(status)\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok" }

    let body = Array(#"{"text":"x"}"#.utf8)

    @Test("2xx is delivered; 500 and 429 are tried again; 404 is not")
    func statuses() async throws {
        for (status, expected) in [("200 OK", WebhookSender.Result.delivered), ("204 No Content", .delivered),
                                   ("500 Internal Server Error", .failed("HTTP 500", permanent: false)),
                                   ("429 Too Many Requests", .failed("HTTP 429", permanent: false))] {
            let receiver = try #require(Receiver(answer: Self.answer(status)))
            defer { receiver.stop() }
            #expect(await WebhookSender.post(body, to: receiver.url, deadline: 5) == expected)
        }
        let gone = try #require(Receiver(answer: Self.answer("404 Not Found")))
        defer { gone.stop() }
        guard case .failed(let why, let permanent) = await WebhookSender.post(body, to: gone.url, deadline: 5) else { Issue.record("delivered"); return }
        #expect(permanent && why.contains("404"))
    }

    @Test("a receiver that closes without answering, or never answers, fails in words without the URL")
    func hostileReceivers() async throws {
        let closer = try #require(Receiver(answer: nil))
        defer { closer.stop() }
        guard case .failed(let closed, false) = await WebhookSender.post(body, to: closer.url, deadline: 5) else { Issue.record("not a retryable failure"); return }
        #expect(!closed.contains("SECRET"))
        let hang = try #require(Receiver(answer: "hang"))
        defer { hang.stop() }
        let started = ContinuousClock.now
        guard case .failed(let hung, false) = await WebhookSender.post(body, to: hang.url, deadline: 1) else { Issue.record("not a retryable failure"); return }
        #expect(ContinuousClock.now - started < .seconds(10))
        #expect(hung.contains("within 1 s") && !hung.contains("SECRET"))
    }

    let event = WatchEvent(seq: 1, kind: .idle, pod: .init(id: 7, name: "p", status: "RUNNING"), text: "p idle", time: Date())

    @Test("an exec hook that never exits is killed at its deadline; one that floods its output is bounded")
    func hostilePrograms() async {
        let started = ContinuousClock.now
        let slept = await ExecHook.run(["/bin/sleep", "100"], event: event, timeout: 1)
        #expect(ContinuousClock.now - started < .seconds(10))
        guard case .failed(let why, false) = slept else { Issue.record("not killed"); return }
        #expect(why.contains("killed"))
        let flood = await ExecHook.run(["/bin/sh", "-c", "yes flood; exit 0"], event: event, timeout: 1)
        guard case .failed(let flooded, _) = flood else { Issue.record("a flood that never ends delivered"); return }
        #expect(flooded.contains("killed"))
        #expect(await ExecHook.run(["/bin/sh", "-c", "test \"$PODTUI_EVENT\" = idle && test \"$POD_ID\" = 7"], event: event, timeout: 5) == .delivered)
        guard case .failed(let status, _) = await ExecHook.run(["/bin/sh", "-c", "echo why >&2; exit 3"], event: event, timeout: 5) else {
            Issue.record("exit 3 delivered"); return
        }
        #expect(status == "exited with status 3: why")
        guard case .failed(let missing, _) = await ExecHook.run(["/nonexistent/hook"], event: event, timeout: 5) else {
            Issue.record("a missing program delivered"); return
        }
        #expect(missing.contains("/nonexistent/hook"))
    }
}
