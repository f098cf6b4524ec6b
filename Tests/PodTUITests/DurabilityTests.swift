import Foundation
import Synchronization
import Testing
import PodAPI
import PodFiles
import PodLocal
import PodLocalFiles
@testable import PodTUICore
import Libc

/// Issue 24, files and timers: a read that fails is never "no file", a write never loses the
/// old file, timers belong to their endpoint and survive a blip, numbers never trap.
@Suite("Files are never lost, timers are exact", .serialized)
struct DurabilityTests {
    func tempDir() -> String {
        let dir = NSTemporaryDirectory() + "podtui-durable-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        return dir
    }

    func bytes(_ path: String) -> [UInt8]? { FileManager.default.contents(atPath: path).map { Array($0) } }

    func write(_ bytes: [UInt8], _ path: String) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    func others(in dir: String, than names: Set<String>) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { !names.contains($0) }
    }

    // MARK: - the writer

    @Test("a failing fsync or close is a failed write: the old file stays, no temporary file is left")
    func fsyncFailure() throws {
        let dir = tempDir()
        let path = dir + "/timers.json"
        try AtomicFile.write("old\n", to: path)
        for syscalls in [FileSyscalls(fsync: { _ in errno = EIO; return -1 }, close: { Glibc.close($0) }),
                         FileSyscalls(fsync: { Glibc.fsync($0) }, close: { fd in Glibc.close(fd); errno = ENOSPC; return -1 })] {
            #expect(throws: DiskError.self) { try AtomicFile.write("new\n", to: path, syscalls: syscalls) }
            #expect(try String(contentsOfFile: path, encoding: .utf8) == "old\n")
            #expect(others(in: dir, than: ["timers.json"]).isEmpty)
        }
        try AtomicFile.write("new\n", to: path, mode: 0o640)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "new\n" && FilePermissions.mode(of: path) == 0o640)
    }

    @Test("a planted temp-file symlink (the old predictable name) is never followed")
    func plantedTemporary() throws {
        let dir = tempDir()
        let victim = dir + "/victim"
        try "precious\n".write(toFile: victim, atomically: true, encoding: .utf8)
        let path = dir + "/timers.json"
        for name in [path + ".tmp-\(getpid())", dir + "/.timers.json.tmp-\(getpid())"] {
            try FileManager.default.createSymbolicLink(atPath: name, withDestinationPath: victim)
        }
        try LocalFile.replace(path, with: "{\"timers\":[]}\n")
        #expect(try String(contentsOfFile: victim, encoding: .utf8) == "precious\n")
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "{\"timers\":[]}\n")
    }

    @Test("a read fails for everything but a missing file: not UTF-8, a directory")
    func readsFailLoudly() throws {
        let dir = tempDir()
        #expect(try LocalFile.read(dir + "/missing") == nil)
        try write([0x7B, 0xFF, 0x7D], dir + "/bad")
        #expect(throws: DiskError.self) { try LocalFile.read(dir + "/bad") }
        try FileManager.default.createDirectory(atPath: dir + "/isdir", withIntermediateDirectories: false)
        #expect(throws: DiskError.self) { try LocalFile.read(dir + "/isdir") }
    }

    @Test("state directories: one others can write to is refused")
    func directoryChecks() throws {
        let dir = tempDir()
        chmod(dir, 0o777)
        #expect(throws: DiskError.self) { try LedgerFile(directory: dir).load() }
        #expect(throws: DiskError.self) { try TimerFile(directory: dir).add([(id: 1, name: nil)], due: Date()) }
        #expect(throws: DiskError.self) { try TemplateStore(directory: dir).save("t", request: PodV2CreateRequest(name: "x", image: "i", gpuType: "g", gpuCount: 1), secretKeys: []) }
        #expect(bytes(dir + "/timers.json") == nil)
        chmod(dir, 0o700)
        #expect(try LedgerFile(directory: dir).load().isEmpty)
        let fresh = dir + "/a/b/podtui"
        try StateDirectory.ensure(fresh)
        #expect(FilePermissions.mode(of: fresh) == 0o700)
    }

    // MARK: - the local files

    @Test("the ledger: a line cut inside an emoji costs only itself; it is kept aside in ledger.bad.jsonl")
    func tornLedger() throws {
        let dir = tempDir()
        let file = LedgerFile(directory: dir)
        let now = Date()
        let at = Int64(now.timeIntervalSince1970 * 1000)
        let good1 = LedgerLine.edge(session: "s", id: 1, name: "llama-🦙", status: "RUNNING", at: at - 2000, price: 2, created: nil)
        let good2 = LedgerLine.alive(session: "s", at: at - 1000)
        let cut = Array(LedgerLine.edge(session: "s", id: 2, name: "🦙🦙", status: "RUNNING", at: at, price: 1, created: nil).text.utf8)
        let torn = Array(cut.prefix(cut.firstIndex(of: 0xF0).map { $0 + 2 } ?? 10))   // two bytes of a four-byte character
        try write(Array(good1.text.utf8) + [10] + torn + [10] + Array(good2.text.utf8) + [10], file.path)
        #expect(try file.load(now: now) == [good1, good2])
        #expect(bytes(file.badPath) == torn + [10])
        #expect(try file.load(now: now) == [good1, good2])   // rewritten without it
        #expect(bytes(file.badPath) == torn + [10])
        // Unreadable is an error, never an empty history written back.
        chmod(file.path, 0o000)
        defer { chmod(file.path, 0o600) }
        if getuid() != 0 { #expect(throws: DiskError.self) { try file.load(now: now) } }
    }

    @Test("timers.json or gpu-idle.json that is not UTF-8: an error naming it, and nothing written over it")
    func unreadableTimers() throws {
        let dir = tempDir()
        let timers = TimerFile(directory: dir)
        let original: [UInt8] = Array("{\"timers\":[{\"podID\":1,\"name\":\"B".utf8) + [0xFF] + Array("ro\"}]}\n".utf8)
        try write(original, timers.path)
        let error = #expect(throws: (any Error).self) { try timers.add([(id: 2, name: "b")], due: Date()) }
        #expect(String(describing: error.map { $0 } as Any).contains("timers.json"))
        #expect(throws: (any Error).self) { try timers.claimDue(by: "me") }
        #expect(bytes(timers.path) == original)
        let idle = IdleFile(directory: dir)
        try write([0xFF, 0xFE], idle.path)
        #expect(throws: (any Error).self) { try idle.save([1: IdleRecord(idleSince: Date(), lastIdleSample: Date())], cleared: []) }
        #expect(bytes(idle.path) == [0xFF, 0xFE])
        // JSON that does not decode is refused the same way.
        try write(Array("{\"pods\": 3}".utf8), idle.path)
        #expect(throws: (any Error).self) { try idle.save([:], cleared: [1]) }
        #expect(bytes(idle.path) == Array("{\"pods\": 3}".utf8))
    }

    @Test("a lock another process holds gives an error within the bound, never a thread blocked for good")
    func lockTimeout() throws {
        let dir = tempDir()
        var file = TimerFile(directory: dir)
        file.lockTimeout = 0.3
        _ = try file.load()
        // flock locks belong to the open file: a second descriptor is another holder.
        let fd = open(dir + "/timers.lock", O_RDWR)
        #expect(fd >= 0 && flock(fd, LOCK_EX) == 0)
        let start = ContinuousClock.now
        #expect(throws: DiskError.self) { try file.load() }
        #expect(ContinuousClock.now - start < .seconds(5))
        close(fd)
        #expect(try file.load().isEmpty)
    }

    // MARK: - ~/.ssh/config

    @Test("ssh config: a Latin-1 comment survives byte for byte; the backup is written 0600 first")
    func sshLatin1() throws {
        let dir = tempDir() + "/.ssh"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let path = dir + "/config"
        let original: [UInt8] = Array("Host mine\n# B".utf8) + [0xFC] + Array("ro\n    HostName mine.example\n".utf8)
        try write(original, path)
        chmod(path, 0o644)
        let block = SSHConfig.block([SSHConfig.Host(alias: "yotta-a", hostName: "h", port: 2222, user: "root", podID: 1)])
        try SSHConfigFile.write(path: path, bytes: { try SSHConfig.merge(bytes: $0, block: block) })
        let written = try #require(bytes(path))
        #expect(Array(written.prefix(original.count)) == original)
        #expect(String(decoding: written, as: UTF8.self).contains("Host yotta-a"))
        #expect(bytes(dir + "/config.podtui.bak") == original && FilePermissions.mode(of: dir + "/config.podtui.bak") == 0o600)
        #expect(FilePermissions.mode(of: path) == 0o644)
        // The text form refuses such a file instead of replacing it.
        #expect(throws: (any Error).self) { try SSHConfigFile.write(path: path) { SSHConfig.merge(existing: $0, block: block) } }
        #expect(bytes(path) == written)
    }

    @Test("ssh config: a begin marker without its end is an error naming the line; the file is untouched")
    func sshOrphanMarker() throws {
        let dir = tempDir()
        let path = dir + "/config"
        let text = "Host a\n\(SSHConfig.beginMarker)\nold\nHost b\n    HostName b.example\n"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let block = SSHConfig.block([])
        let error = #expect(throws: SSHConfig.MergeError.self) { try SSHConfigFile.write(path: path, bytes: { try SSHConfig.merge(bytes: $0, block: block) }) }
        #expect(error?.message.contains("line 2") == true)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == text)
        // Applied twice, the non-throwing form never deletes the user's entries either.
        let twice = SSHConfig.merge(existing: SSHConfig.merge(existing: text, block: block), block: block)
        #expect(twice.contains("Host a") && twice.contains("Host b"))
        // Two begins before one end (what an older podtui left): refused too, naming the first.
        let doubled = Array((text + block).utf8)
        #expect(throws: SSHConfig.MergeError.self) { try SSHConfig.merge(bytes: doubled, block: block) }
    }

    @Test("ssh config: a symlink is written through to its target and kept; an unreadable config stops the write")
    func sshSymlinkAndUnreadable() throws {
        let dir = tempDir()
        try FileManager.default.createDirectory(atPath: dir + "/dotfiles", withIntermediateDirectories: true)
        try "Host mine\n".write(toFile: dir + "/dotfiles/ssh_config", atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: dir + "/config", withDestinationPath: dir + "/dotfiles/ssh_config")
        let written = try SSHConfigFile.write(path: dir + "/config", bytes: { try SSHConfig.merge(bytes: $0, block: "B\n") })
        #expect(written == dir + "/dotfiles/ssh_config")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: dir + "/config") == dir + "/dotfiles/ssh_config")
        #expect(try String(contentsOfFile: dir + "/dotfiles/ssh_config", encoding: .utf8) == "Host mine\n\nB\n")
        #expect(try String(contentsOfFile: dir + "/config.podtui.bak", encoding: .utf8) == "Host mine\n")
        #expect(others(in: dir + "/dotfiles", than: ["ssh_config"]).isEmpty)
        // A directory where the file should be: an error, nothing replaced.
        try FileManager.default.createDirectory(atPath: dir + "/weird", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: dir + "/weird/config", withIntermediateDirectories: true)
        #expect(throws: (any Error).self) { try SSHConfigFile.write(path: dir + "/weird/config", bytes: { try SSHConfig.merge(bytes: $0, block: "B\n") }) }
        var isDir: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: dir + "/weird/config", isDirectory: &isDir) && isDir.boolValue)
    }

    @Test("M7: the SSH-port fallback never writes a port outside 1-65535 or a HostName starting with -", arguments: [
        (0, "h.example"), (-1, "h.example"), (70000, "h.example"), (22, "-oProxyCommand=x"), (22, "-x"), (22, "h example"),
    ])
    func sshFallbackChecked(port: Int, host: String) {
        let pod = Pod(id: 7, name: "p", status: .running, gpuType: "g", sshCmd: nil,
                      expose: [ExposedPort(port: port, protocol: "SSH", host: host)])
        #expect(SSHConfig.hosts(for: [pod]).isEmpty)
        let good = Pod(id: 8, name: "q", status: .running, gpuType: "g", sshCmd: nil, expose: [ExposedPort(port: 22, protocol: "SSH", proxyPort: 30022, host: "q.example")])
        #expect(SSHConfig.hosts(for: [good]).map { "\($0.hostName):\($0.port ?? 0)" } == ["q.example:30022"])
    }

    // MARK: - timers

    static let prod = TimerOwner.legacy
    static let sim = TimerOwner(endpoint: "http://127.0.0.1:8080", profile: nil)
    static let staging = TimerOwner(endpoint: "https://staging.example", profile: "staging")

    @Test("a timer belongs to its endpoint and profile: another never claims it; old timers are production's")
    func owners() throws {
        let file = TimerFile(directory: tempDir())
        let now = Date()
        try file.add([(id: 1, name: "a")], due: now.addingTimeInterval(-1), now: now, owner: Self.staging)
        try file.add([(id: 2, name: "b")], due: now.addingTimeInterval(-1), now: now, owner: Self.sim)
        // A timer written before owners existed.
        try file.update(now: now) { $0.append(PauseTimer(podID: 3, name: "c", due: now.addingTimeInterval(-1), created: now)) }
        #expect(try file.claimDue(now: now, by: "x", owner: TimerOwner(endpoint: "https://staging.example", profile: "other")).isEmpty)
        #expect(try file.claimDue(now: now, by: "x", owner: Self.sim).map(\.podID) == [2])
        #expect(try file.claimDue(now: now, by: "x", owner: Self.prod).map(\.podID) == [3])
        #expect(try file.claimDue(now: now, by: "x", owner: Self.staging).map(\.podID) == [1])
        // Setting a timer for the same pod id on another endpoint leaves this one alone.
        try file.add([(id: 1, name: "a")], due: now.addingTimeInterval(60), now: now, owner: Self.sim)
        #expect(try file.load().filter { $0.podID == 1 }.count == 2)
    }

    @Test("a 404 on another endpoint never consumes the timer (the simulator does not see the account's pods)")
    func otherEndpointNotGone() async throws {
        let file = TimerFile(directory: tempDir())
        try file.add([(id: 42, name: "real")], due: Date().addingTimeInterval(-1), owner: Self.prod)
        let service = FlakyService(getPod: { _ in throw PodAPIError.notFound(podID: 42) })
        #expect(try await TimerRunner.fireDue(service: service, file: file, claimant: "sim", owner: Self.sim).isEmpty)
        #expect(try file.load().first?.state == .pending)
        #expect(service.calls.value == 0)
    }

    @Test("one transient error does not consume a timer: pending again with backoff, given up (reported) after the window")
    func transientRetry() async throws {
        let file = TimerFile(directory: tempDir())
        let t0 = Date(timeIntervalSince1970: 1_800_000_000)   // whole milliseconds, as the file keeps them
        try file.add([(id: 5, name: "train")], due: t0.addingTimeInterval(-1), now: t0, owner: Self.prod)
        let flaky = FlakyService(getPod: { _ in throw PodAPIError.timeout(seconds: 15) })
        let first = try await TimerRunner.fireDue(service: flaky, file: file, claimant: "me", owner: Self.prod, now: t0, clock: { t0 })
        #expect(first.count == 1 && first[0].retrying && !first[0].paused)
        var timer = try #require(try file.load().first)
        #expect(timer.state == .pending && timer.retryAfter == t0.addingTimeInterval(15) && timer.failures == 1)
        // Not before the retry time; then tried again.
        #expect(try await TimerRunner.fireDue(service: flaky, file: file, claimant: "me", owner: Self.prod, now: t0.addingTimeInterval(5), clock: { t0 }).isEmpty)
        let t1 = t0.addingTimeInterval(20)
        _ = try await TimerRunner.fireDue(service: flaky, file: file, claimant: "me", owner: Self.prod, now: t1, clock: { t1 })
        timer = try #require(try file.load().first)
        #expect(timer.state == .pending && timer.failures == 2 && timer.retryAfter == t1.addingTimeInterval(30))
        // Past the window: done, and the result says it failed.
        let late = t0.addingTimeInterval(PauseTimer.retryWindow + 60)
        let last = try await TimerRunner.fireDue(service: flaky, file: file, claimant: "me", owner: Self.prod, now: late, clock: { late })
        #expect(last.count == 1 && !last[0].retrying && last[0].text.contains("given up"))
        timer = try #require(try file.load().first)
        #expect(timer.state == .done && timer.result?.contains("gave up") == true)
        // A server that recovers in time: paused.
        let file2 = TimerFile(directory: tempDir())
        try file2.add([(id: 6, name: "x")], due: t0.addingTimeInterval(-1), now: t0, owner: Self.prod)
        let blip = FlakyService(getPod: { n in if n == 1 { throw PodAPIError.http(status: 503, body: "") } })
        _ = try await TimerRunner.fireDue(service: blip, file: file2, claimant: "me", owner: Self.prod, now: t0, clock: { t0 })
        let ok = try await TimerRunner.fireDue(service: blip, file: file2, claimant: "me", owner: Self.prod, now: t1, clock: { t1 })
        #expect(ok.map(\.paused) == [true] && blip.pauses.value == 1)
    }

    @Test("a retry never revives a timer that is no longer this claim's (taken over meanwhile)")
    func retryOnlyOwnClaim() throws {
        let file = TimerFile(directory: tempDir())
        let t0 = Date(timeIntervalSince1970: 1_800_000_000)
        try file.add([(id: 3, name: "c")], due: t0.addingTimeInterval(-1), now: t0, owner: Self.prod)
        let mine = try #require(try file.claimDue(now: t0, by: "me", owner: Self.prod).first)
        let later = t0.addingTimeInterval(PauseTimer.staleClaim + 1)
        #expect(try file.claimDue(now: later, by: "other", owner: Self.prod).count == 1)
        #expect(try file.retry(mine, result: "timeout", now: later) == .notClaimed)
        let timer = try #require(try file.load().first)
        #expect(timer.state == .firing && timer.claimedBy == "other" && timer.failures == nil)
    }

    @Test("a fire that hangs is cut at its deadline (under the stale-claim limit) and retried, never left claimed")
    func fireDeadline() async throws {
        #expect(TimerRunner.fireDeadline * 1.5 < PauseTimer.staleClaim)
        let file = TimerFile(directory: tempDir())
        let t0 = Date()
        try file.add([(id: 9, name: "slow")], due: t0.addingTimeInterval(-1), now: t0, owner: Self.prod)
        let hang = FlakyService(getPod: { _ in try await Task.sleep(for: .seconds(3600)) })
        let start = ContinuousClock.now
        let outcomes = try await TimerRunner.fireDue(service: hang, file: file, claimant: "me", owner: Self.prod, now: t0, deadline: 0.2, clock: { t0 })
        #expect(ContinuousClock.now - start < .seconds(10))
        #expect(outcomes.first?.retrying == true && hang.pauses.value == 0)
        #expect(try file.load().first?.state == .pending)
    }

    @Test("the TUI takes over a claim left by a dead process, with no pending timer due")
    func staleClaimInTheUI() {
        var state = Fixtures.loaded()
        state.settings.timersEnabled = true
        state.timers.lastLoad = Fixtures.now
        var timer = PauseTimer(podID: Fixtures.pods[0].id, name: "llama-ft-7", due: Fixtures.now.addingTimeInterval(-900), created: Fixtures.now.addingTimeInterval(-3600))
        timer.state = .firing
        timer.claimedBy = "1234@gone"
        timer.claimedAt = Fixtures.now.addingTimeInterval(-600)
        state.timers.timers = [timer]
        #expect(Reducer.reduce(&state, .tick(Fixtures.now)).contains(.fireDueTimers(idle: [:])))
        // A fresh claim (a live process firing it now) is left alone.
        var fresh = Fixtures.loaded()
        fresh.settings.timersEnabled = true
        fresh.timers.lastLoad = Fixtures.now
        timer.claimedAt = Fixtures.now.addingTimeInterval(-10)
        fresh.timers.timers = [timer]
        #expect(!Reducer.reduce(&fresh, .tick(Fixtures.now)).contains(.fireDueTimers(idle: [:])))
    }

    @Test("each endpoint has its own ledger; production keeps ledger.jsonl")
    func ledgerPerEndpoint() throws {
        let dir = tempDir()
        #expect(LedgerFile(directory: dir, endpoint: TimerOwner.production).path == dir + "/ledger.jsonl")
        #expect(LedgerFile(directory: dir).path == dir + "/ledger.jsonl")
        let sim = LedgerFile(directory: dir, endpoint: "http://127.0.0.1:8080")
        #expect(sim.path == dir + "/ledger-127.0.0.1_8080.jsonl")
        try sim.append([.alive(session: "s", at: 1)])
        #expect(try LedgerFile(directory: dir).load(now: Date(timeIntervalSince1970: 0)).isEmpty)
        #expect(TimerOwner(baseURL: URL(string: "https://API.yottalabs.ai/")!, profile: nil).isProduction)
    }

    // MARK: - numbers and bounds

    @Test("numbers never trap: an absurd createdAt or a NaN price keeps the edge, price unknown")
    func absurdNumbers() throws {
        var state = Fixtures.loaded()
        state.spend.session = "s1"
        let pod = Pod(id: 77, name: "odd", status: .running, gpuType: "g", gpuCount: 2,
                      createdAt: Date(timeIntervalSince1970: 1e300), singleCardPrice: .nan)
        let effects = SpendReducer.observe(&state, [pod], now: Fixtures.now, complete: false)
        guard case .ledgerAppend(let lines)? = effects.first, case .edge(_, 77, _, "RUNNING", _, let price, let created)? = lines.first else {
            Issue.record("no edge: \(effects)"); return
        }
        #expect(price == nil && created == nil)
        let infinite = LedgerLine.edge(session: "s", id: 1, name: nil, status: "RUNNING", at: 1, price: .infinity, created: nil)
        #expect(!infinite.text.isEmpty && !infinite.text.contains("price"))
        #expect(LedgerLine.ms(Date(timeIntervalSince1970: 1e300)) == LedgerLine.validTimes.upperBound)
        #expect(LedgerLine.ms(Date(timeIntervalSince1970: -1e300)) == 0)
        #expect(LedgerLine.checkedMS(Date(timeIntervalSince1970: .nan)) == nil)
        #expect(SpendReducer.ms(Date(timeIntervalSince1970: 1e19)) == LedgerLine.validTimes.upperBound)
        _ = SpendLedger.compute(lines, live: "s1", now: Date(timeIntervalSince1970: 1e300))
        _ = SpendLedger.compact(lines, live: [], cutoff: Date(timeIntervalSince1970: 1e300), expiry: Date(timeIntervalSince1970: -1e300))
        // Lines from a file with absurd times are skipped (kept aside), not arithmetic on them.
        let hostile = #"{"t":"span","id":1,"from":-9223372036854775807,"to":9223372036854775807,"first":0,"complete":true}"#
        let parsed = LedgerLine.parse(bytes: Array(hostile.utf8))
        #expect(parsed.lines.isEmpty && parsed.bad.count == 1)
        for minutes in [Double.nan, .infinity, 1e300, -5] { _ = TimerRunner.idleText(minutes) }
        #expect(TimerWhen.parse("99999999999999999999d", now: Fixtures.now, zoneOffset: { _ in 0 }) == nil)
    }

    @Test("a flapping API: 1,000 pods changing status every poll for 1,000 polls keep the ledger bounded")
    func flappingBounded() {
        var state = AppState.initial(endpoint: "x", interval: 1, readOnly: false, settings: Settings(), profiles: [], now: Fixtures.now)
        state.spend.session = "s1"
        let count = 1000, polls = 1000
        var written = 0
        for poll in 0..<polls {
            let now = Fixtures.now.addingTimeInterval(Double(poll))
            state.now = now
            let status: PodStatus = poll % 2 == 0 ? .running : .paused
            let pods = (0..<count).map { Pod(id: Int64($0 + 1), name: "p\($0)", status: status, gpuType: "g", singleCardPrice: 1) }
            for effect in SpendReducer.observe(&state, pods, now: now, complete: true) + SpendReducer.tick(&state) {
                if case .ledgerAppend(let lines) = effect { written += lines.count }
            }
        }
        // Per pod: a burst at once, one at 30 s gaps (4 min), one at 60 s gaps (8 min), then
        // 120 s gaps for the rest of the 1,000 s (two more); plus a heartbeat per 30 s.
        let perPod = 3 * SpendReducer.burst + 2
        let bound = count * perPod + polls / 30 + 1
        #expect(written <= bound, "\(written) lines written")
        #expect(state.spend.lines.count <= count * perPod)
        #expect(SpendReducer.gap(afterEdges: 10_000) == 120)
        // A pod paused and resumed every ten minutes for ten hours is never held back: each
        // change is written when it is seen.
        var busy = AppState.initial(endpoint: "x", interval: 1, readOnly: false, settings: Settings(), profiles: [], now: Fixtures.now)
        busy.spend.session = "s2"
        let cycle: [(Double, PodStatus)] = [(0, .running), (5, .pausing), (20, .paused), (300, .initializing), (320, .running)]
        var edges = 0, changes = 0
        for round in 0..<60 {
            for (offset, status) in cycle where !(round > 0 && offset == 0) {
                let now = Fixtures.now.addingTimeInterval(Double(round) * 600 + offset)
                busy.now = now
                let pod = Pod(id: 1, name: "q", status: status, gpuType: "g")
                changes += 1
                for case .ledgerAppend(let lines) in SpendReducer.observe(&busy, [pod], now: now, complete: true) { edges += lines.count }
            }
        }
        #expect(edges == changes && busy.spend.held.isEmpty)
    }

    @Test("a reply that invents new pod ids every poll does not grow the spend bookkeeping without end")
    func newIDsEveryPoll() {
        var state = AppState.initial(endpoint: "x", interval: 1, readOnly: false, settings: Settings(), profiles: [], now: Fixtures.now)
        state.spend.session = "s1"
        let perPoll = 20, step = 30.0
        for poll in 0..<100 {
            let now = Fixtures.now.addingTimeInterval(Double(poll) * step)
            state.now = now
            let pods = (0..<perPoll).map { Pod(id: Int64(poll * perPoll + $0 + 1), name: nil, status: .running, gpuType: "g") }
            _ = SpendReducer.observe(&state, pods, now: now, complete: true)
            _ = SpendReducer.tick(&state)
        }
        let bound = perPoll * (Int(SpendReducer.forgetGone / step) + 3)
        #expect(state.spend.lastStatus.count <= bound && state.spend.edgeCount.count <= bound && state.spend.lastEdgeAt.count <= bound)
    }

    @Test("L8: a heartbeat gap past the session timeout starts a new session and writes the edges again")
    func sessionResumed() throws {
        var state = Fixtures.loaded()
        state.spend.session = "s1"
        state.now = Fixtures.now
        _ = SpendReducer.observe(&state, state.fleet.allPods, now: Fixtures.now, complete: true)
        _ = SpendReducer.tick(&state)
        let later = Fixtures.now.addingTimeInterval(LedgerFile.sessionTimeout + 100)
        state.now = later
        let effects = SpendReducer.tick(&state)
        #expect(state.spend.session == "s1-r1")
        guard case .ledgerAppend(let lines)? = effects.first else { Issue.record("nothing written"); return }
        let running = state.fleet.allPods.filter { $0.status == .running }.map(\.id)
        let reEmitted = lines.compactMap { line -> Int64? in
            if case .edge("s1-r1", let id, _, "RUNNING", _, _, _) = line { return id } else { return nil }
        }
        #expect(!running.isEmpty && Set(reEmitted) == Set(running))
        #expect(lines.contains { if case .alive("s1-r1", _) = $0 { true } else { false } })
        // Another podtui compacts the old session as ended meanwhile: the new one still counts.
        let old = state.spend.lines.filter { $0.session == "s1" }
        let compacted = SpendLedger.compact(old, live: [], cutoff: later, expiry: Fixtures.now.addingTimeInterval(-86_400))
        let spend = SpendLedger.compute(compacted + lines, live: "s1-r1", now: later.addingTimeInterval(300))
        let id = try #require(running.first)
        #expect((spend[id]?.runningSeconds(at: later.addingTimeInterval(300)) ?? 0) >= 300)
    }
}

/// A service whose `getPod` does what the test says (the nth call gets n), and that counts
/// pauses.
final class FlakyService: NoStorageService {
    let calls = Counter()
    let pauses = Counter()
    let getPodBody: @Sendable (Int) async throws -> Void
    init(getPod: @escaping @Sendable (Int) async throws -> Void) { self.getPodBody = getPod }

    final class Counter: Sendable {
        private let count = Mutex(0)
        var value: Int { count.withLock { $0 } }
        func next() -> Int { count.withLock { $0 += 1; return $0 } }
    }

    private var unmodelled: PodAPIError { .connection("not modelled by this test double") }
    func listPods(regions: [String], statuses: [PodStatus]) async throws -> PodList { PodList(pods: []) }
    func getPod(id: Int64) async throws -> Pod {
        try await getPodBody(calls.next())
        return Pod(id: id, name: "x", status: .running, gpuType: "g")
    }
    func pausePod(id: Int64) async throws { _ = pauses.next() }
    func createPod(_ request: PodV2CreateRequest) async throws -> CreateResult { throw unmodelled }
    func resumePod(id: Int64) async throws { throw unmodelled }
    func deletePod(id: Int64) async throws { throw unmodelled }
    func gpuTypes() async throws -> [GPUType] { [] }
    func registryCredentials() async throws -> [RegistryCredential] { [] }
}
