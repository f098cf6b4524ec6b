import ArgumentParser
import Foundation
import PodAPI
import PodSim

/// `podtui sim`: the Yotta v2 API simulator as a standalone server.
struct SimCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sim", abstract: "Run the built-in Yotta v2 API simulator (loopback by default).",
        discussion: """
        Faults can be switched on while it runs, e.g.:
          curl -H 'X-Api-Key: KEY' -d '{"kind":"http500","count":3}' http://127.0.0.1:8080/_sim/faults
        Kinds: \(FaultRule.Kind.allCases.map(\.rawValue).joined(separator: ", ")).
        DELETE /_sim/faults clears them; GET /_sim/requests and /_sim/stats show what it received.
        API dialects (--quirks, or POST /_sim/quirks with the same text at run time):
        \(SimQuirks.keys.map { "  \($0.name)=\($0.values.joined(separator: "|"))" }.joined(separator: "\n"))
        (the first value of each is the default).
        """)

    @Option(help: "Port to listen on (0 picks a free one).") var port: Int = 8080
    @Option(help: "Address to bind.") var host: String = "127.0.0.1"
    @Option(name: .customLong("api-key"), help: "The key clients must send (default: YOTTA_API_KEY, else 'demo').") var apiKey: String?
    @Option(help: "Starting fleet: demo, empty or many.") var scenario: String = "demo"
    @Option(help: "Number of generated pods (the size of the 'many' fleet, or extra pods otherwise).") var pods: Int?
    @Option(help: "Lifecycle speed factor (10 = ten times faster).") var speed: Double = 1
    @Option(help: "Seed for generated data.") var seed: UInt64 = 42
    @Flag(help: "Send the docs' status aliases (INITIALIZING, STOPPING, STOPPED); same as --quirks statuses=aliases.") var statusAliases = false
    @Option(help: "API dialect switches, e.g. status-filter=names,not-found=404,empty-data=null,create-returns=id,ids=string,names=optional.")
    var quirks: String = ""

    func run() async throws {
        guard let scenario = SimulatorOptions.Scenario(rawValue: scenario) else {
            throw ValidationError("Unknown scenario \(self.scenario); use demo, empty or many")
        }
        guard speed > 0 else { throw ValidationError("--speed must be positive") }
        let key = apiKey ?? ProcessInfo.processInfo.environment["YOTTA_API_KEY"] ?? "demo"
        let parsedQuirks: SimQuirks
        do { parsedQuirks = try SimQuirks(parsing: quirks) } catch { throw ValidationError(error.description) }
        let server = try await SimulatorServer.start(options: SimulatorOptions(
            apiKey: key, scenario: scenario, podCount: pods, speed: speed, seed: seed,
            statusAliases: statusAliases, quirks: parsedQuirks, host: host, port: port))
        CLIOutput.print("podtui simulator listening on \(server.baseURL.absoluteString)")
        CLIOutput.print("try: YOTTA_BASE_URL=\(server.baseURL.absoluteString) YOTTA_API_KEY=… podtui pods list")
        // Stop cleanly on SIGINT/SIGTERM.
        let stop = AsyncStream<Void> { continuation in
            for sig in [SIGINT, SIGTERM] {
                signal(sig, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
                source.setEventHandler { @Sendable in continuation.yield() }
                source.resume()
                SignalSources.keep(source)
            }
        }
        for await _ in stop { break }
        await server.stop()
    }
}

/// Keeps signal sources alive for the life of the process.
enum SignalSources {
    // Safe: only touched inside `lock`. DispatchSourceSignal is not Sendable on Linux, so a
    // Mutex<[…]> cannot hold it as a static.
    nonisolated(unsafe) private static var sources: [any DispatchSourceSignal] = []
    private static let lock = NSLock()
    static func keep(_ source: any DispatchSourceSignal) {
        lock.lock(); defer { lock.unlock() }
        sources.append(source)
    }
}
