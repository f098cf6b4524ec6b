import PodAPI
import AsyncHTTPClient
import NIOPosix
import Synchronization

/// One `HTTPClient` per (connect timeout, idle-read timeout), kept for the life of the process.
///
/// AsyncHTTPClient requires `shutdown()` before a client is released (debug builds trap
/// otherwise). Clients here are never released, so no code path can forget that, and
/// connections are pooled across services with the same settings.
enum SharedHTTPClients {
    private struct Key: Hashable { var connect: Double; var readIdle: Double? }
    private static let clients = Mutex<[Key: HTTPClient]>([:])

    static func client(connectTimeout: Double, readIdle: Double?) -> HTTPClient {
        clients.withLock { clients in
            let key = Key(connect: connectTimeout, readIdle: readIdle)
            if let client = clients[key] { return client }
            var configuration = HTTPClient.Configuration()
            configuration.timeout = .init(connect: .milliseconds(Int64(saturating: connectTimeout * 1000)),
                                          read: readIdle.map { .milliseconds(Int64(saturating: $0 * 1000)) })
            configuration.redirectConfiguration = .disallow
            let client = HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, configuration: configuration)
            clients[key] = client
            return client
        }
    }
}
