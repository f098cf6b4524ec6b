import Foundation
import Testing
import PodAPI
@testable import PodSim

/// Runs the real `podtui` binary against a simulator and checks output and exit codes.
@Suite("podtui CLI", .serialized)
struct CLITests {
    static var binary: URL {
        // The test bundle sits next to the products in the build directory.
        var dir = Bundle.module.bundleURL.deletingLastPathComponent()
        for _ in 0..<3 where !FileManager.default.fileExists(atPath: dir.appendingPathComponent("podtui").path) {
            dir = dir.deletingLastPathComponent()
        }
        return dir.appendingPathComponent("podtui")
    }

    struct Result { var status: Int32; var out: String; var err: String }

    /// The binary run to its end, waited for off the cooperative pool (see `OffPool`).
    func run(_ args: [String], sim: SimulatorServer?, key: String = SimHarness.key, stdin: String? = nil,
             environment: [String: String] = [:]) async throws -> Result {
        let url = sim?.baseURL
        return try await OffPool.run { try Self.runBlocking(args, url: url, key: key, stdin: stdin, environment: environment) }
    }

    static func runBlocking(_ args: [String], url: URL?, key: String, stdin: String?, environment: [String: String]) throws -> Result {
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = args
        var env = ProcessInfo.processInfo.environment
        env["XDG_CONFIG_HOME"] = NSTemporaryDirectory() + "podtui-cli-" + UUID().uuidString
        env["COLUMNS"] = "200"
        if let url { env["YOTTA_BASE_URL"] = url.absoluteString; env["YOTTA_API_KEY"] = key }
        env.merge(environment) { _, new in new }
        process.environment = env
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, out: String(decoding: outData, as: UTF8.self), err: String(decoding: errData, as: UTF8.self))
    }

    @Test("pods list -o json shows the demo fleet with exact ids")
    func listJSON() async throws {
        let sim = try await SimHarness.start()
        defer { Task { await sim.stop() } }
        let result = try await run(["pods", "list", "-o", "json"], sim: sim.server)
        #expect(result.status == 0)
        let expected = await sim.server.state.currentPods().map(\.id)
        for id in expected { #expect(result.out.contains("\"id\" : \(id)")) }
        let table = try await run(["pods", "list"], sim: sim.server)
        #expect(table.status == 0 && table.out.hasPrefix("ID") && table.out.contains("llama-ft-7"))
    }

    @Test("create, pause, resume and delete from the CLI, each step checked")
    func fullLifecycle() async throws {
        let server = try await SimulatorServer.start(options: SimulatorOptions(apiKey: SimHarness.key, scenario: .empty, speed: 200))
        defer { Task { await server.stop() } }
        let created = try await run(["pods", "create", "--name", "cli-pod", "--image", "ubuntu:22.04", "--gpu-type", "NVIDIA_RTX_4090_24G",
                               "--gpu-count", "2", "--region", "us-east-1", "--env", "A=1", "--expose", "8888/http", "--no-ssh-key", "-o", "json"], sim: server)
        #expect(created.status == 0, "\(created.err)")
        let pod = try JSONDecoder().decode(Pod.self, from: Data(created.out.utf8))
        #expect(pod.name == "cli-pod" && pod.gpuCount == 2)
        let body = try #require(await server.state.recordedRequests().first { $0.method == "POST" }?.body)
        #expect(body == #"{"environmentVars":[{"key":"A","value":"1"}],"expose":[{"port":8888,"protocol":"http"}],"gpuCount":2,"gpuType":"NVIDIA_RTX_4090_24G","image":"ubuntu:22.04","name":"cli-pod","regions":["us-east-1"]}"#)
        let id = String(pod.id)
        #expect(try await run(["pods", "wait", id, "--for", "RUNNING", "--wait-timeout", "20", "--poll", "0.05"], sim: server).status == 0)
        #expect(try await run(["pods", "pause", id], sim: server).status == 0)
        #expect(try await run(["pods", "wait", id, "--for", "PAUSED", "--wait-timeout", "20", "--poll", "0.05"], sim: server).status == 0)
        let again = try await run(["pods", "pause", id], sim: server)
        #expect(again.status == 1 && again.err.contains("pause needs RUNNING"))
        #expect(try await run(["pods", "resume", id], sim: server).status == 0)
        #expect(try await run(["pods", "wait", id, "--for", "RUNNING", "--wait-timeout", "20", "--poll", "0.05"], sim: server).status == 0)
        let refused = try await run(["pods", "delete", id], sim: server)
        #expect(refused.status == 2 && refused.err.contains("--yes"))
        #expect(await server.state.get(pod.id)?.status == .running)
        #expect(try await run(["pods", "delete", id, "--yes"], sim: server).status == 0)
        #expect(try await run(["pods", "wait", id, "--for", "TERMINATED", "--wait-timeout", "20", "--poll", "0.05"], sim: server).status == 0)
    }

    @Test("exit codes: 2 for usage and validation, 1 for API errors")
    func exitCodes() async throws {
        let sim = try await SimHarness.start()
        defer { Task { await sim.stop() } }
        let bad = try await run(["pods", "create", "--name", "x", "--image", "u", "--gpu-type", "NVIDIA_RTX_4090_24G", "--gpu-count", "3"], sim: sim.server)
        #expect(bad.status == 2 && bad.err.contains("--gpu-count: must be a power of two"))
        #expect(await sim.requests().isEmpty)
        #expect(try await run(["pods", "get", "abc"], sim: sim.server).status == 2)
        #expect(try await run(["pods", "frobnicate"], sim: sim.server).status == 2)
        let unauthorized = try await run(["pods", "list"], sim: sim.server, key: "wrong-key-123")
        #expect(unauthorized.status == 1)
        #expect(unauthorized.err == "podtui: API key rejected (HTTP 401): check YOTTA_API_KEY or ~/.yotta/config\n")
        let missing = try await run(["pods", "get", "362740422811062273"], sim: sim.server)
        #expect(missing.status == 1 && missing.err.contains("Pod ID not found: 362740422811062273"))
        let insecure = try await run(["pods", "list", "--base-url", "http://example.com"], sim: sim.server)
        #expect(insecure.status == 2 && insecure.err.contains("Refusing plain http://"))
        let help = try await run(["--help"], sim: nil)
        #expect(help.status == 0 && help.out.contains("pods") && !help.out.contains(SimHarness.key))
    }

    @Test("a file podtui cannot read is a disk error: exit 1 naming it, and the file is left as it was")
    func diskErrorExitsOne() async throws {
        let state = NSTemporaryDirectory() + "podtui-cli-state-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: state + "/podtui", withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(atPath: state) }
        let timers = state + "/podtui/timers.json"
        let bad = Data([0x5B, 0xFF, 0xFE, 0x5D])   // "[", two bytes that are not UTF-8, "]"
        try bad.write(to: URL(fileURLWithPath: timers))
        let result = try await run(["timers", "list"], sim: nil, environment: ["XDG_STATE_HOME": state])
        #expect(result.status == 1, "\(result.err)")
        #expect(result.err.contains("timers.json"), "\(result.err)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: timers)) == bad)
    }

    @Test("the UI refuses to start without a terminal, in words")
    func noTerminal() async throws {
        let result = try await run(["--demo"], sim: nil)
        #expect(result.status != 0 && result.err.contains("needs a terminal"))
    }

    @Test("gpus and credentials")
    func catalog() async throws {
        let sim = try await SimHarness.start()
        defer { Task { await sim.stop() } }
        let gpus = try await run(["gpus", "list"], sim: sim.server)
        #expect(gpus.status == 0 && gpus.out.contains("NVIDIA_H100_80G") && gpus.out.contains("sold out"))
        let creds = try await run(["credentials", "list", "-o", "json"], sim: sim.server)
        #expect(creds.status == 0 && creds.out.contains("402872365298094821"))
    }
}
