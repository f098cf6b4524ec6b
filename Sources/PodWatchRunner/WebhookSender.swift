import AsyncHTTPClient
import FoundationEssentials
import NIOCore
import NIOHTTP1
import NIOPosix
import PodAPI
import PodWatch

/// POSTs events to webhooks. One client for the watcher's life (AsyncHTTPClient must be shut
/// down before it is released; this one never is), no redirects (a receiver's redirect could
/// send the body somewhere else), a connect and a whole-request deadline.
public enum WebhookSender {
    /// What a POST came to.
    public enum Result: Sendable, Equatable {
        case delivered
        /// Failed; `permanent` when trying again cannot help (a 4xx other than 408/429).
        case failed(String, permanent: Bool)
    }

    private static let client: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.timeout = .init(connect: .seconds(10), read: .seconds(15))
        configuration.redirectConfiguration = .disallow
        configuration.decompression = .disabled
        return HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, configuration: configuration)
    }()

    /// The longest a POST may take, connect to last byte: a receiver that hangs holds up only
    /// its own queue, and only this long.
    public static let deadline: Int64 = 20
    /// The most of a reply that is read (and thrown away): a receiver that streams forever
    /// cannot make the watcher hold it.
    public static let replyLimit = 64 * 1024

    /// Sends `body` to `url`. Errors are told in words that never hold the URL.
    public static func post(_ body: [UInt8], to url: String, deadline: Int64 = deadline) async -> Result {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "podtui-watch/\(PodTUIVersion.current)")
        request.body = .bytes(ByteBuffer(bytes: body))
        do {
            let response = try await client.execute(request, timeout: .seconds(deadline))
            // Read a bounded part of the reply so the connection can be reused; the rest is dropped.
            var seen = 0
            for try await chunk in response.body {
                seen += chunk.readableBytes
                if seen > replyLimit { break }
            }
            let code = Int(response.status.code)
            switch code {
            case 200..<300: return .delivered
            case 408, 429: return .failed("HTTP \(code)", permanent: false)
            case 400..<500: return .failed("HTTP \(code) (the receiver refuses it; not tried again)", permanent: true)
            default: return .failed("HTTP \(code)", permanent: false)
            }
        } catch let error as HTTPClientError {
            return .failed(describe(error, deadline: deadline), permanent: false)
        } catch {
            // NIO's errors name a socket address at most; redact in case a URL got in.
            return .failed(Secrets.redact(String(describing: error)).prefix(200).description, permanent: false)
        }
    }

    private static func describe(_ error: HTTPClientError, deadline: Int64) -> String {
        switch error {
        case .connectTimeout: return "could not connect within 10 s"
        case .readTimeout: return "no answer within 15 s"
        case .deadlineExceeded: return "no complete answer within \(deadline) s"
        case .remoteConnectionClosed: return "the receiver closed the connection"
        case .invalidURL: return "not a URL podtui can POST to"
        default: return Secrets.redact(String(describing: error)).prefix(200).description
        }
    }
}
