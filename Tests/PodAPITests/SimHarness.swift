import Foundation
import Testing
import PodAPI
import PodClient
import PodSim

/// Starts a simulator on a free loopback port and a client pointed at it.
struct SimHarness {
    static let key = "test-key-0123456789"
    let server: SimulatorServer
    let service: HTTPPodService

    static func start(_ scenario: SimulatorOptions.Scenario = .demo, speed: Double = 1, pods: Int? = nil,
                      timeout: Double = 20, retry: RetryPolicy = RetryPolicy(maxAttempts: 3, baseDelay: 0.05, maxDelay: 2),
                      key: String = SimHarness.key, quirks: String = "") async throws -> SimHarness {
        let server = try await SimulatorServer.start(options: SimulatorOptions(
            apiKey: SimHarness.key, scenario: scenario, podCount: pods, speed: speed, quirks: try SimQuirks(parsing: quirks)))
        let service = HTTPPodService(configuration: ClientConfiguration(baseURL: server.baseURL, apiKey: APIKey(key),
                                                                        connectTimeout: 5, requestTimeout: timeout,
                                                                        readIdleTimeout: timeout, retry: retry))
        return SimHarness(server: server, service: service)
    }

    func fault(_ rule: FaultRule) async { await server.state.addFault(rule) }
    func setQuirks(_ text: String) async throws { await server.state.setQuirks(try SimQuirks(parsing: text)) }
    func requests() async -> [SimulatorState.RecordedRequest] { await server.state.recordedRequests() }
    func stop() async { await server.stop() }
}

/// The error a call threw, as a PodAPIError (nil when it succeeded).
func apiError(_ body: () async throws -> Void) async -> PodAPIError? {
    do { try await body(); return nil } catch { return error as? PodAPIError ?? .connection("\(error)") }
}

/// Waits until `condition` holds, asking every 10 ms, for at most `timeout`; records an issue
/// naming `what` when it never does. A test waits on what it needs, never on a guess of how
/// long the simulator takes.
@discardableResult
func eventually(_ what: String, timeout: Duration = .seconds(10), _ condition: () async throws -> Bool) async rethrows -> Bool {
    let end = ContinuousClock.now + timeout
    while ContinuousClock.now < end {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(10))
    }
    if try await condition() { return true }
    Issue.record("never happened: \(what)")
    return false
}
