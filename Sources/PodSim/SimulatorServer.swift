import Foundation
import Hummingbird
import Logging
import NIOCore
import PodAPI

/// A running simulator: a real HTTP server on a real socket. `podtui sim`, `podtui --demo`,
/// the tests and the benchmarks all start it through `start`.
public final class SimulatorServer: Sendable {
    /// The simulated account; tests inspect and steer it directly.
    public let state: SimulatorState
    /// Where it listens, e.g. `http://127.0.0.1:41234`.
    public let baseURL: URL
    private let task: Task<Void, any Error>

    private init(state: SimulatorState, baseURL: URL, task: Task<Void, any Error>) {
        self.state = state
        self.baseURL = baseURL
        self.task = task
    }

    /// Starts a server and returns once it accepts connections.
    /// - Parameter logger: where the server logs (never the API key); defaults to silence.
    public static func start(options: SimulatorOptions, logger: Logger? = nil) async throws -> SimulatorServer {
        let state = SimulatorState(options: options)
        let router = SimulatorRoutes(state: state, apiKey: options.apiKey).build()
        let (ports, portSink) = AsyncStream.makeStream(of: Int.self)
        var quiet = Logger(label: "podtui.sim")
        quiet.logLevel = .critical
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(options.host, port: options.port), serverName: "podtui-sim"),
            onServerRunning: { channel in
                portSink.yield(channel.localAddress?.port ?? -1)
                portSink.finish()
            },
            logger: logger ?? quiet
        )
        let task = Task {
            // A bind that fails ends run() without onServerRunning: end the port stream
            // too, or start would wait for a port forever.
            defer { portSink.finish() }
            try await app.run()
        }
        var port = -1
        for await p in ports { port = p }
        guard port > 0 else {
            task.cancel()
            // The run task ends with the bind error; surface it.
            _ = try await task.value
            throw PodAPIError.configuration("The simulator could not listen on \(options.host):\(options.port)")
        }
        let host = options.host.contains(":") ? "[\(options.host)]" : options.host
        guard let url = URL(string: "http://\(host):\(port)") else {
            throw PodAPIError.configuration("The simulator got an unusable address \(host):\(port)")
        }
        return SimulatorServer(state: state, baseURL: url, task: task)
    }

    /// Stops the server and waits until its socket is closed.
    public func stop() async {
        task.cancel()
        _ = try? await task.value
    }
}
