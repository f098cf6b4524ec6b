import ArgumentParser
import Foundation
import PodAPI
import PodSim

/// `podtui-sim` (also reached as `podtui sim`): the Yotta v2 API simulator as a standalone
/// server. Its own executable, so the UI binary carries neither Hummingbird nor full
/// Foundation; `podtui --demo` runs it as a child process (`--api-key-stdin`).
@main
struct PodtuiSim: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "podtui-sim", abstract: "Run the built-in Yotta v2 API simulator (loopback by default).",
        discussion: """
        Faults can be switched on while it runs, e.g.:
          curl -H 'X-Api-Key: KEY' -d '{"kind":"http500","count":3}' http://127.0.0.1:8080/_sim/faults
        Kinds: \(FaultRule.Kind.allCases.map(\.rawValue).joined(separator: ", ")).
        DELETE /_sim/faults clears them; GET /_sim/requests and /_sim/stats show what it received.
        API dialects (--quirks, or POST /_sim/quirks with the same text at run time):
        \(SimQuirks.keys.map { "  \($0.name)=\($0.values.joined(separator: "|"))" }.joined(separator: "\n"))
        (the first value of each is the default).
        The key is --api-key, the first line of stdin with --api-key-stdin, else 'demo'; never
        YOTTA_API_KEY (that is a real account's key).
        """,
        version: PodTUIVersion.current)

    @Option(help: "Port to listen on (0 picks a free one).") var port: Int = 8080
    @Option(help: "Address to bind.") var host: String = "127.0.0.1"
    @Option(name: .customLong("api-key"), help: "The key clients must send (default: 'demo').") var apiKey: String?
    @Flag(name: .customLong("api-key-stdin"),
          help: "Read the key from the first line of stdin, print only the 'listening on' line, and exit when stdin closes (how podtui --demo runs it: it ends with its parent).")
    var apiKeyStdin = false
    @Option(help: "Starting fleet: demo, empty or many.") var scenario: String = "demo"
    @Option(help: "Number of generated pods (the size of the 'many' fleet, or extra pods otherwise).") var pods: Int?
    @Option(help: "Lifecycle speed factor (10 = ten times faster).") var speed: Double = 1
    @Option(help: "Seed for generated data.") var seed: UInt64 = 42
    @Flag(help: "Send the docs' status aliases (INITIALIZING, STOPPING, STOPPED); same as --quirks statuses=aliases.") var statusAliases = false
    @Flag(help: "Touch one pod (its updatedAt) on every list request, so each poll's reply differs in one pod.") var churn = false
    @Option(help: "API dialect switches, e.g. status-filter=names,not-found=404,empty-data=null,create-returns=id,ids=string,names=optional.")
    var quirks: String = ""

    /// podtui's exit statuses: 0, 1 when the server fails, 2 for a usage error (the argument
    /// parser's own default for those is 64).
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            let code = exitCode(for: error)
            guard code != .success else { exit(withError: error) }
            FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
            Foundation.exit(code == .validationFailure ? 2 : 1)
        }
    }

    func run() async throws {
        guard let scenario = SimulatorOptions.Scenario(rawValue: scenario) else {
            throw ValidationError("Unknown scenario \(self.scenario); use demo, empty or many")
        }
        guard speed > 0 else { throw ValidationError("--speed must be positive") }
        guard !(apiKeyStdin && apiKey != nil) else { throw ValidationError("--api-key and --api-key-stdin exclude each other") }
        let parsedQuirks: SimQuirks
        do { parsedQuirks = try SimQuirks(parsing: quirks) } catch { throw ValidationError(error.description) }
        // A parent that reads only the first line may close the pipe: a later write must
        // fail quietly, not kill the server.
        signal(SIGPIPE, SIG_IGN)
        var key = apiKey ?? "demo"
        if apiKeyStdin {
            guard let line = readLine(strippingNewline: true), !line.isEmpty else {
                throw ValidationError("--api-key-stdin: stdin ended before a key")
            }
            key = line
        }
        var options = SimulatorOptions(apiKey: key, scenario: scenario, podCount: pods, speed: speed, seed: seed,
                                       statusAliases: statusAliases, quirks: parsedQuirks, host: host, port: port)
        options.churn = churn
        let server = try await SimulatorServer.start(options: options)
        print("podtui simulator listening on \(server.baseURL.absoluteString)")
        if !apiKeyStdin {
            print("try: YOTTA_BASE_URL=\(server.baseURL.absoluteString) YOTTA_API_KEY=… podtui pods list")
        }
        fflush(nil)   // every stream; `stdout` itself is a C global Swift 6 will not touch
        // Stop cleanly on SIGINT/SIGTERM, and (under a parent) when stdin reaches its end:
        // the parent closed it or died, whatever the way (a crash or SIGKILL included).
        let stop = AsyncStream<Void> { continuation in
            for sig in [SIGINT, SIGTERM] {
                signal(sig, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
                source.setEventHandler { @Sendable in continuation.yield() }
                source.resume()
                SignalSources.keep(source)
            }
            if apiKeyStdin {
                Thread.detachNewThread {
                    var byte: UInt8 = 0
                    while true {
                        let n = read(STDIN_FILENO, &byte, 1)
                        if n == 0 || (n < 0 && errno != EINTR) { break }
                    }
                    continuation.yield()
                }
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
