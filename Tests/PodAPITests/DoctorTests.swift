import Foundation
import Testing
import PodAPI
import PodClient
import PodFiles
@testable import PodSim

/// `podtui doctor`: the real binary against the simulator over loopback, each way a setup
/// goes wrong, and the JSON scripts read; the terminfo reader and the API check under it.
@Suite("podtui doctor", .serialized)
struct DoctorTests {
    struct Check: Decodable { var area: String; var name: String; var status: String; var detail: String; var hint: String? }
    struct Report: Decodable { var ok: Bool; var failed: Int; var version: String; var checks: [Check] }

    struct Run {
        var status: Int32
        var out: String
        var err: String
        var report: Report?
        func check(_ area: String, _ name: String) -> Check? { report?.checks.first { $0.area == area && $0.name == name } }
    }

    /// A scratch HOME, config and state folder each time: nothing of this machine's login is read.
    static func doctor(_ args: [String] = ["-o", "json"], url: URL?, key: String?, environment: [String: String] = [:],
                       home: String? = nil) async throws -> Run {
        // Waited for off the cooperative pool: the simulator it asks runs on that pool.
        try await OffPool.run { try doctorBlocking(args, url: url, key: key, environment: environment, home: home) }
    }

    static func doctorBlocking(_ args: [String], url: URL?, key: String?, environment: [String: String], home: String?) throws -> Run {
        let scratch = home ?? NSTemporaryDirectory() + "podtui-doctor-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        defer { if home == nil { try? FileManager.default.removeItem(atPath: scratch) } }
        let process = Process()
        process.executableURL = CLITests.binary
        process.arguments = ["doctor"] + args
        var env = ProcessInfo.processInfo.environment
        for name in ["YOTTA_API_KEY", "YOTTA_BASE_URL", "PODTUI_PROFILE", "SSH_AUTH_SOCK", "TERMINFO", "TERMINFO_DIRS", "LC_ALL", "LC_CTYPE"] {
            env[name] = nil
        }
        env["HOME"] = scratch
        env["XDG_CONFIG_HOME"] = scratch + "/config"
        env["XDG_STATE_HOME"] = scratch + "/state"
        env["TERM"] = "xterm"
        env["LANG"] = "C.UTF-8"
        // Never the production API from a test: without a URL, a closed loopback port.
        env["YOTTA_BASE_URL"] = try url?.absoluteString ?? "http://127.0.0.1:\(closedPort())"
        if let key { env["YOTTA_API_KEY"] = key }
        env.merge(environment) { _, new in new }
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let report = args.contains("json") ? try? JSONDecoder().decode(Report.self, from: outData) : nil
        return Run(status: process.terminationStatus, out: String(decoding: outData, as: UTF8.self),
                   err: String(decoding: errData, as: UTF8.self), report: report)
    }

    @Test("a working setup: every area reported, the key taken, exit status follows the failures")
    func jsonShape() async throws {
        let sim = try await SimHarness.start()
        defer { Task { await sim.stop() } }
        // A generous read timeout: the in-process simulator shares this busy test process.
        let run = try await Self.doctor(["-o", "json", "--read-timeout", "60"], url: sim.server.baseURL, key: SimHarness.key)
        let report = try #require(run.report, "not JSON: \(run.out) \(run.err)")
        #expect(report.version == PodTUIVersion.current)
        #expect(Set(report.checks.map(\.area)) == ["terminal", "login", "api", "files", "metrics", "ssh", "watcher"])
        #expect(run.check("metrics", "source")?.detail.hasPrefix("Yotta's metrics API") == true)
        #expect(report.checks.allSatisfy { ["ok", "fail", "note"].contains($0.status) && !$0.detail.isEmpty })
        #expect(report.failed == report.checks.filter { $0.status == "fail" }.count)
        #expect(report.ok == (report.failed == 0))
        #expect(run.status == (report.ok ? 0 : 1))
        #expect(run.check("login", "key")?.status == "ok")
        #expect(run.check("login", "key")?.detail.contains("YOTTA_API_KEY") == true)
        #expect(run.check("api", "answers")?.status == "ok")
        #expect(run.check("api", "key accepted")?.status == "ok")
        // The simulator's clock is this machine's: in step.
        #expect(run.check("api", "clock")?.status == "ok")
        #expect(run.check("terminal", "TERM")?.status == "ok")
        #expect(run.check("terminal", "terminfo")?.status == "ok")
        #expect(run.check("watcher", "watcher")?.detail == "no watcher running")
        #expect(!run.out.contains(SimHarness.key) && !run.err.contains(SimHarness.key))
        let requests = await sim.requests()
        #expect(requests.count == 1 && requests.first?.method == "GET" && requests.first?.path == "/v2/pods")
    }

    @Test("a missing key: login fails in words, the API is still asked whether it answers, exit 1")
    func missingKey() async throws {
        let sim = try await SimHarness.start()
        defer { Task { await sim.stop() } }
        let run = try await Self.doctor(url: sim.server.baseURL, key: nil)
        #expect(run.status == 1)
        let key = try #require(run.check("login", "key"))
        #expect(key.status == "fail" && key.detail.contains("No API key") && key.hint?.contains("podtui configure") == true)
        #expect(run.check("api", "answers")?.status == "ok")
        #expect(run.check("api", "answers")?.detail.contains("HTTP 401") == true)
        #expect(run.check("api", "key accepted") == nil)
        let text = try await Self.doctor([], url: sim.server.baseURL, key: nil)
        #expect(text.status == 1 && text.out.contains("✗ login") && text.out.contains("→ podtui configure"), "\(text.out)")
        #expect(text.out.hasSuffix("problem found (✗).\n") || text.out.contains("problems found (✗)."))
    }

    @Test("an unreachable API (a closed port): no answer, why, and what to check; exit 1")
    func unreachable() async throws {
        let port = try Self.closedPort()
        // A refused connection is retried until the connect timeout (AsyncHTTPClient's pool).
        let run = try await Self.doctor(["-o", "json", "--connect-timeout", "1"], url: URL(string: "http://127.0.0.1:\(port)"), key: "some-key-0123456789")
        #expect(run.status == 1)
        let answers = try #require(run.check("api", "answers"))
        #expect(answers.status == "fail" && answers.detail.contains("connection refused"), "\(answers.detail)")
        #expect(answers.hint?.contains("YOTTA_BASE_URL") == true)
        #expect(run.check("api", "key accepted") == nil && run.check("api", "clock") == nil)
        #expect(run.check("login", "key")?.status == "ok")
    }

    @Test("a wrong key: the API answers 401, the key is refused, and the key never appears")
    func wrongKey() async throws {
        let sim = try await SimHarness.start()
        defer { Task { await sim.stop() } }
        let wrong = "wrong-key-abcdef987654"
        let run = try await Self.doctor(url: sim.server.baseURL, key: wrong)
        #expect(run.status == 1)
        #expect(run.check("api", "answers")?.status == "ok")
        let accepted = try #require(run.check("api", "key accepted"))
        #expect(accepted.status == "fail" && accepted.detail.contains("HTTP 401"))
        let text = try await Self.doctor([], url: sim.server.baseURL, key: wrong)
        #expect(text.out.contains("✗ api") && text.out.contains("refused the key"))
        for output in [run.out, run.err, text.out, text.err] { #expect(!output.contains(wrong)) }
    }

    @Test("a broken terminal: TERM unset, dumb, unknown, hostile; a locale that is not installed")
    func badTerminal() async throws {
        // A simulator answers (401, no key) at once, where a closed port costs the connect timeout.
        let sim = try await SimHarness.start()
        defer { Task { await sim.stop() } }
        let url = sim.server.baseURL
        let unknown = try await Self.doctor(url: url, key: nil, environment: ["TERM": "no-such-terminal-xyz"])
        #expect(unknown.check("terminal", "TERM")?.status == "ok")
        let entry = try #require(unknown.check("terminal", "terminfo"))
        #expect(entry.status == "fail" && entry.detail.contains("no terminfo entry for \"no-such-terminal-xyz\"") && entry.hint?.contains("ncurses-term") == true)
        #expect(unknown.status == 1)
        let dumb = try await Self.doctor(url: url, key: nil, environment: ["TERM": "dumb"])
        #expect(dumb.check("terminal", "TERM")?.status == "fail" && dumb.check("terminal", "terminfo") == nil)
        let unset = try await Self.doctor(url: url, key: nil, environment: ["TERM": ""])
        #expect(unset.check("terminal", "TERM")?.detail.contains("not set") == true)
        // A TERM with a slash would leave the terminfo folders; one with controls is shown clean.
        let slash = try await Self.doctor(url: url, key: nil, environment: ["TERM": "../../etc/passwd"])
        #expect(slash.check("terminal", "TERM")?.status == "fail")
        let hostile = try await Self.doctor([], url: url, key: nil, environment: ["TERM": "x\u{1B}]0;owned\u{07}term"])
        #expect(!hostile.out.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 })
        let locale = try await Self.doctor(url: url, key: nil, environment: ["LANG": "xx_NOPE.UTF-8"])
        let utf8 = try #require(locale.check("terminal", "UTF-8"))
        #expect(utf8.status == "fail" && utf8.detail.contains("not installed"))
        let ascii = try await Self.doctor(url: url, key: nil, environment: ["LANG": "C"])
        #expect(ascii.check("terminal", "UTF-8")?.status == "fail")
    }

    @Test("folders: one others can write to fails, one that does not exist yet is a note")
    func folders() async throws {
        let sim = try await SimHarness.start()
        defer { Task { await sim.stop() } }
        let home = NSTemporaryDirectory() + "podtui-doctor-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: home + "/state/podtui", withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(atPath: home) }
        let fresh = try await Self.doctor(url: sim.server.baseURL, key: nil, home: home)
        #expect(fresh.check("files", "state")?.status == "ok")
        #expect(fresh.check("files", "config")?.status == "note")
        // A config whose ui: settings the UI would ignore; the metrics source follows it.
        try FileManager.default.createDirectory(atPath: home + "/config/podtui", withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        try Data("ui:\n  metrics: false\n  gpu_probe: true\n  interval: -4\n".utf8).write(to: URL(fileURLWithPath: home + "/config/podtui/config.yaml"))
        let settings = try await Self.doctor(url: sim.server.baseURL, key: nil, home: home)
        let config = try #require(settings.check("files", "config"))
        #expect(config.status == "fail" && config.detail.contains("interval"), "\(config.detail)")
        let metrics = try #require(settings.check("metrics", "source"))
        #expect(metrics.status == "note" && metrics.detail.contains("GPU probes") && metrics.detail.contains("ui.metrics: false"), "\(metrics.detail)")
        try FileManager.default.removeItem(atPath: home + "/config/podtui/config.yaml")
        try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: home + "/state/podtui")
        let open = try await Self.doctor(url: sim.server.baseURL, key: nil, home: home)
        let state = try #require(open.check("files", "state"))
        #expect(state.status == "fail" && state.detail.contains("writable by others"))
    }

    @Test("a running watcher is seen through its lock, without taking it; none is a note, never a failure")
    func watcher() async throws {
        let sim = try await SimHarness.start()
        defer { Task { await sim.stop() } }
        let home = NSTemporaryDirectory() + "podtui-doctor-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: home + "/state/podtui", withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(atPath: home) }
        let lock = home + "/state/podtui/watch.lock"
        #expect(FileManager.default.createFile(atPath: lock, contents: nil))
        let idle = try await Self.doctor(url: sim.server.baseURL, key: nil, home: home)
        #expect(idle.check("watcher", "watcher")?.status == "note")
        let fd = open(lock, O_RDWR)
        #expect(fd >= 0)
        defer { close(fd) }
        #expect(flock(fd, LOCK_EX | LOCK_NB) == 0)
        let running = try await Self.doctor(url: sim.server.baseURL, key: nil, home: home)
        let seen = try #require(running.check("watcher", "watcher"))
        #expect(seen.status == "ok" && seen.detail.contains("pid \(getpid())"), "\(seen.detail)")
        // The doctor only looked: the lock is still ours, and nobody else could take it.
        let other = open(lock, O_RDWR)
        defer { close(other) }
        #expect(flock(other, LOCK_EX | LOCK_NB) != 0)
    }

    @Test("clock skew from the reply's Date header: a server decades behind fails the clock check")
    func clockSkew() async throws {
        let server = try CannedHTTPServer(date: "Sun, 06 Nov 1994 08:49:37 GMT",
                                          body: #"{"code":10000,"message":"ok","data":[]}"#)
        defer { server.stop() }
        let report = await HTTPPodService.checkAccess(baseURL: server.url, apiKey: APIKey("k-0123456789"))
        #expect(report.httpStatus == 200 && report.error == nil)
        let skew = try #require(report.clockSkew)
        #expect(skew > 365 * 86_400)
        let run = try await Self.doctor(url: server.url, key: "k-0123456789")
        let clock = try #require(run.check("api", "clock"))
        #expect(clock.status == "fail" && clock.detail.contains("ahead of the API's") && clock.hint?.contains("timedatectl") == true)
        #expect(run.status == 1)
    }

    @Test("the ssh agent: its key count is read from its answer; a socket nothing answers on fails")
    func sshAgent() async throws {
        let sim = try await SimHarness.start()
        defer { Task { await sim.stop() } }
        let dir = NSTemporaryDirectory() + "podtui-agent-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let agent = try FakeAgent(path: dir + "/agent.sock", keys: 2)
        defer { agent.stop() }
        let run = try await Self.doctor(url: sim.server.baseURL, key: nil, environment: ["SSH_AUTH_SOCK": agent.path])
        let seen = try #require(run.check("ssh", "agent"))
        #expect(seen.status == "ok" && seen.detail.hasSuffix("holds 2 keys"), "\(seen.detail)")
        let dead = try await Self.doctor(url: sim.server.baseURL, key: nil, environment: ["SSH_AUTH_SOCK": dir + "/gone.sock"])
        let failed = try #require(dead.check("ssh", "agent"))
        #expect(failed.status == "fail" && failed.detail.contains("no agent answers there") && failed.hint?.contains("ssh-agent") == true)
    }

    // MARK: - terminfo, without the binary

    /// A compiled entry: the header, names, booleans, (padding,) numbers.
    static func entry(magic: Int, names: String, bools: Int, numbers: [Int]) -> [UInt8] {
        func le16(_ v: Int) -> [UInt8] { [UInt8(v & 0xff), UInt8((v >> 8) & 0xff)] }
        var bytes = le16(magic) + le16(names.utf8.count + 1) + le16(bools) + le16(numbers.count) + le16(0) + le16(0)
        bytes += Array(names.utf8) + [0] + [UInt8](repeating: 1, count: bools)
        if bytes.count % 2 == 1 { bytes.append(0) }
        for n in numbers {
            if magic == 0o1036 {
                let v = UInt32(bitPattern: Int32(n))
                bytes += [UInt8(v & 0xff), UInt8((v >> 8) & 0xff), UInt8((v >> 16) & 0xff), UInt8(v >> 24)]
            } else {
                bytes += le16(n & 0xffff)
            }
        }
        return bytes
    }

    @Test("max_colors from both compiled formats; absent, cancelled, short and foreign bytes are nil")
    func terminfoColors() {
        var numbers = [Int](repeating: -1, count: 15)
        numbers[13] = 256
        #expect(TerminfoEntry.colors(inCompiled: Self.entry(magic: 0o432, names: "xterm-256color|xterm", bools: 3, numbers: numbers)) == 256)
        numbers[13] = 16_777_216
        #expect(TerminfoEntry.colors(inCompiled: Self.entry(magic: 0o1036, names: "direct", bools: 2, numbers: numbers)) == 16_777_216)
        numbers[13] = -1
        #expect(TerminfoEntry.colors(inCompiled: Self.entry(magic: 0o432, names: "vt100", bools: 2, numbers: numbers)) == nil)
        numbers[13] = -2
        #expect(TerminfoEntry.colors(inCompiled: Self.entry(magic: 0o432, names: "vt100", bools: 2, numbers: numbers)) == nil)
        #expect(TerminfoEntry.colors(inCompiled: Self.entry(magic: 0o432, names: "short", bools: 1, numbers: [8, 8])) == nil)
        #expect(TerminfoEntry.colors(inCompiled: Array("#!/bin/sh\necho hello\n".utf8)) == nil)
        #expect(TerminfoEntry.colors(inCompiled: []) == nil)
        let cut = Self.entry(magic: 0o432, names: "cut", bools: 1, numbers: [Int](repeating: 8, count: 15))
        #expect(TerminfoEntry.colors(inCompiled: Array(cut.prefix(cut.count - 4))) == nil)
    }

    @Test("entries are found in TERMINFO first, in either folder layout; a name with a slash is refused")
    func terminfoSearch() throws {
        let dir = NSTemporaryDirectory() + "podtui-terminfo-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var numbers = [Int](repeating: -1, count: 15)
        numbers[13] = 88
        try FileManager.default.createDirectory(atPath: dir + "/z", withIntermediateDirectories: true)
        try Data(Self.entry(magic: 0o432, names: "zterm", bools: 1, numbers: numbers)).write(to: URL(fileURLWithPath: dir + "/z/zterm"))
        try FileManager.default.createDirectory(atPath: dir + "/79", withIntermediateDirectories: true)
        try Data(Self.entry(magic: 0o432, names: "yterm", bools: 1, numbers: numbers)).write(to: URL(fileURLWithPath: dir + "/79/yterm"))
        let env = ["TERMINFO": dir, "HOME": dir]
        #expect(TerminfoEntry.find(term: "zterm", environment: env) == TerminfoEntry(path: dir + "/z/zterm", colors: 88))
        #expect(TerminfoEntry.find(term: "yterm", environment: env)?.path == dir + "/79/yterm")
        #expect(TerminfoEntry.find(term: "qterm-none", environment: env) == nil)
        #expect(TerminfoEntry.searchDirectories(environment: env).first == dir)
        #expect(TerminfoEntry.searchDirectories(environment: ["HOME": "/h", "TERMINFO_DIRS": "/a::/b"]).prefix(3) == ["/h/.terminfo", "/a", "/etc/terminfo"])
        #expect(TerminfoEntry.find(term: "../z/zterm", environment: env) == nil)
        #expect(TerminfoEntry.refusal(term: "a/b") != nil && TerminfoEntry.refusal(term: ".x") != nil && TerminfoEntry.refusal(term: "xterm") == nil)
    }

    /// A loopback port nothing listens on: bound, then closed.
    static func closedPort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #expect(fd >= 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        #expect(bound)
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// A one-route HTTP server on loopback that answers every request with the same 200 reply and
/// Date header (the simulator always sends the true date): what a server with another clock
/// looks like.
final class CannedHTTPServer: @unchecked Sendable {
    // Safe: `fd` and `url` are set once in init; the accept thread only reads `fd`, and
    // `stop()` closes it, which ends that thread's accept().
    let fd: Int32
    let url: URL

    init(date: String, body: String) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let fd = self.fd
        let ok = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && listen(fd, 8) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard fd >= 0, ok, let url = URL(string: "http://127.0.0.1:\(UInt16(bigEndian: address.sin_port))") else {
            throw CocoaError(.fileReadUnknown)
        }
        self.url = url
        let reply = Array("HTTP/1.1 200 OK\r\nDate: \(date)\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)".utf8)
        Thread.detachNewThread {
            while true {
                let client = accept(fd, nil, nil)
                guard client >= 0 else { return }
                // Read the request head (small), then answer and close.
                var buffer = [UInt8](repeating: 0, count: 8192)
                var seen: [UInt8] = []
                while !seen.suffix(4).elementsEqual([13, 10, 13, 10]) {
                    let n = buffer.withUnsafeMutableBytes { recv(client, $0.baseAddress, $0.count, 0) }
                    guard n > 0 else { break }
                    seen += buffer[0..<n]
                }
                _ = reply.withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                close(client)
            }
        }
    }

    func stop() {
        shutdown(fd, Int32(SHUT_RDWR))
        close(fd)
    }
}

/// An ssh agent that answers every request for identities with a count and no keys: enough for
/// the doctor, which reads only the answer's header.
final class FakeAgent: @unchecked Sendable {
    // Safe: both set once in init; the accept thread only reads `fd`, and `stop()` closes it,
    // which ends that thread's accept().
    let fd: Int32
    let path: String

    init(path: String, keys: UInt8) throws {
        self.path = path
        fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            let bytes = Array(path.utf8)
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        let fd = self.fd
        let ok = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) == 0 && listen(fd, 4) == 0 }
        }
        guard fd >= 0, ok else { throw CocoaError(.fileWriteUnknown) }
        // uint32 length 5, SSH2_AGENT_IDENTITIES_ANSWER (12), uint32 count.
        let answer: [UInt8] = [0, 0, 0, 5, 12, 0, 0, 0, keys]
        Thread.detachNewThread {
            while true {
                let client = accept(fd, nil, nil)
                guard client >= 0 else { return }
                var request = [UInt8](repeating: 0, count: 5)
                _ = request.withUnsafeMutableBytes { recv(client, $0.baseAddress, $0.count, Int32(MSG_WAITALL)) }
                _ = answer.withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                close(client)
            }
        }
    }

    func stop() {
        shutdown(fd, Int32(SHUT_RDWR))
        close(fd)
    }
}
