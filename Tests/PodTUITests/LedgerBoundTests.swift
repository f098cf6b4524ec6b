import Foundation
import Testing
import PodAPI
import PodLocal
import PodLocalFiles
import PodSim
@testable import PodTUICore

/// Issue 24, "bounded": the spend ledger's hard bound. An API that invents new pod ids every
/// poll writes a bounded number of lines an hour; past a size nothing more is written (said
/// once, spend shown as ≥); a normal fleet is recorded exactly as before.
@Suite("The spend ledger's hard bound", .serialized)
struct LedgerBoundTests {
    func tempDir() -> String {
        let dir = NSTemporaryDirectory() + "podtui-ledgerbound-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        return dir
    }

    func fresh(_ session: String = "s1") -> AppState {
        var state = AppState.initial(endpoint: "x", interval: 1, readOnly: false, settings: Settings(), profiles: [], now: Fixtures.now)
        state.spend.session = session
        return state
    }

    func appended(_ effects: [Effect]) -> [LedgerLine] {
        effects.flatMap { effect -> [LedgerLine] in if case .ledgerAppend(let lines) = effect { lines } else { [] } }
    }

    /// Runs a long synchronous body on a Dispatch thread: the cooperative pool's few threads
    /// stay free for the stores other suites run meanwhile.
    func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try body() }) }
        }
    }

    // Sized to take about a second: at 20,000 ids a poll for 500 polls it ran 25 s on both
    // cores, and the whole suite's loopback client tests timed out meanwhile. The bound is the
    // same rule at any size: unbounded, this flood would write 2 x 4,000 x 150 lines.
    @Test("4,000 new pod ids per poll for 150 polls: the file and the lines in memory stay under the stated bound")
    func newIDsFlood() async throws {
        let dir = tempDir()
        let file = LedgerFile(directory: dir)
        let perPoll = 4_000, polls = 150, step = 2.0
        // The first reply is the fleet as it is (each pod written, then GONE); after it, new
        // pods are written at most `newBurst` plus `newPerHour` an hour (each one edge and its
        // GONE); plus a heartbeat every 30 s.
        let hours = Double(polls) * step / 3600
        let newPods = SpendReducer.newBurst + Int((SpendReducer.newPerHour * hours).rounded(.up))
        let bound = 2 * (perPoll + newPods) + polls / 15 + 2
        let (state, written, waiting) = try await offPool { () throws -> (AppState, Int, Int) in
            var state = fresh()
            var pods = (0..<perPoll).map { Pod(id: Int64($0), name: "flood", status: .running, gpuType: "g", singleCardPrice: 1) }
            var written = 0, waiting = 0
            for poll in 0..<polls {
                let now = Fixtures.now.addingTimeInterval(Double(poll) * step)
                state.now = now
                for i in pods.indices { pods[i].id = Int64(poll * perPoll + i) }
                let lines = appended(SpendReducer.observe(&state, pods, now: now, complete: true) + SpendReducer.tick(&state))
                try file.append(lines, now: now)
                written += lines.count
                waiting = max(waiting, state.spend.provisional.count)
                guard written <= bound else { break }   // failed: no need to go on
            }
            return (state, written, waiting)
        }
        #expect(waiting <= perPoll)
        #expect(written <= bound, "\(written) lines written, bound \(bound)")
        #expect(state.spend.lines.count <= 2 * (perPoll + newPods), "\(state.spend.lines.count) lines in memory")
        let size = Int((try FileManager.default.attributesOfItem(atPath: file.path)[.size] as? NSNumber)?.intValue ?? -1)
        #expect(size > 0 && size <= bound * 160, "\(size) bytes")
        // The count the reducer keeps is never below the file's real size.
        #expect(state.spend.bytes >= size && state.spend.bytes <= SpendReducer.maxBytes)
        #expect(state.spend.fullSince == nil)
        #expect(state.spend.lastStatus.count <= perPoll + newPods && state.spend.edgeCount.count <= perPoll + newPods)
    }

    @Test("a normal fleet (pods created, started, paused through the session) is recorded exactly: no pod held back")
    func normalFleetUnchanged() async throws {
        let step = 3.0, polls = 2400   // two hours
        let (state, running, count, lastNow, heldBack) = try await offPool { () throws -> (AppState, [Int64: Double], Int, Date, Bool) in
            var state = fresh()
            // 300 pods at start; one new pod a minute (INITIALIZE, RUNNING a minute later);
            // every tenth pod paused at the hour.
            var running: [Int64: Double] = [:]   // seconds RUNNING, as polled
            var created: [Int64: Double] = [:]
            for id in 0..<300 { created[Int64(id)] = -3600 }
            var lastPods: [Pod] = []
            var lastNow = Fixtures.now
            var heldBack = false
            for poll in 0..<polls {
                let t = Double(poll) * step
                let now = Fixtures.now.addingTimeInterval(t)
                if poll % 20 == 0, poll > 0 { created[Int64(1000 + poll / 20)] = t }
                let pods = created.map { id, c -> Pod in
                    let status: PodStatus = t - c < 60 ? .initializing : (id % 10 == 0 && t >= 3600 ? .paused : .running)
                    return Pod(id: id, name: "p\(id)", status: status, gpuType: "g", createdAt: Fixtures.now.addingTimeInterval(c), singleCardPrice: 2)
                }.sorted { $0.id < $1.id }
                if poll > 0 { for pod in lastPods where pod.status == .running { running[pod.id, default: 0] += step } }
                state.now = now
                _ = SpendReducer.observe(&state, pods, now: now, complete: true)
                _ = SpendReducer.tick(&state)
                heldBack = heldBack || !state.spend.provisional.isEmpty || !state.spend.held.isEmpty
                lastPods = pods
                lastNow = now
            }
            return (state, running, created.count, lastNow, heldBack)
        }
        #expect(!heldBack)
        #expect(count == 300 + (polls - 1) / 20)
        for (id, seconds) in running {
            let spend = try #require(state.spend.total[id])
            #expect(abs(spend.runningSeconds(at: lastNow) - seconds) < 0.01, "pod \(id)")
            #expect(abs(spend.cost(at: lastNow) - seconds * 2 / 3600) < 1e-6, "pod \(id)")
            // Pods created during the session were seen from the start.
            #expect(spend.complete == (id >= 1000), "pod \(id)")
        }
    }

    @Test("held back, a new pod still shown a minute later is written from its first sighting")
    func provisionalWrittenLater() throws {
        var state = fresh()
        let t0 = Fixtures.now
        _ = SpendReducer.observe(&state, [], now: t0, complete: true)   // the first reply: empty
        state.spend.allowance = 0
        let pod = Pod(id: 9, name: "late", status: .running, gpuType: "g", singleCardPrice: 3)
        #expect(appended(SpendReducer.observe(&state, [pod], now: t0.addingTimeInterval(2), complete: true)).isEmpty)
        #expect(state.spend.provisional[9] != nil)
        // No allowance yet a minute later (it refills at newPerHour): still waiting.
        #expect(appended(SpendReducer.observe(&state, [pod], now: t0.addingTimeInterval(5), complete: true)).isEmpty)
        let later = t0.addingTimeInterval(2 + SpendReducer.probation + 10)
        let lines = appended(SpendReducer.observe(&state, [pod], now: later, complete: true))
        #expect(lines == [.edge(session: "s1", id: 9, name: "late", status: "RUNNING", at: LedgerLine.ms(t0.addingTimeInterval(2)), price: 3, created: nil)])
        #expect(abs((state.spend.total[9]?.runningSeconds(at: later) ?? 0) - (SpendReducer.probation + 10)) < 0.01)
        // One that is gone before then is never written.
        state.spend.allowance = 0
        let brief = Pod(id: 10, name: "brief", status: .running, gpuType: "g")
        _ = SpendReducer.observe(&state, [pod, brief], now: later.addingTimeInterval(1), complete: true)
        #expect(state.spend.provisional[10] != nil)
        #expect(appended(SpendReducer.observe(&state, [pod], now: later.addingTimeInterval(3), complete: true)).isEmpty)
        #expect(state.spend.provisional.isEmpty && state.spend.total[10] == nil)
    }

    @Test("at its bound the ledger stops, says so once, and every spend shows ≥ what was recorded")
    func fullStops() throws {
        var state = fresh()
        let t0 = Fixtures.now
        let pods = [Pod(id: 1, name: "a", status: .running, gpuType: "g", singleCardPrice: 6),
                    Pod(id: 2, name: "b", status: .paused, gpuType: "g", singleCardPrice: 6)]
        _ = SpendReducer.observe(&state, pods, now: t0, complete: true)
        let cost = state.spend.total[1]?.cost(at: t0.addingTimeInterval(600)) ?? 0
        #expect(abs(cost - 1) < 1e-9)
        // The file is all but full: the next line does not fit.
        state.spend.bytes = SpendReducer.maxBytes - 10
        let t1 = t0.addingTimeInterval(600)
        state.now = t1
        var changed = pods; changed[0].status = .paused
        let effects = SpendReducer.observe(&state, changed, now: t1, complete: true)
        #expect(effects == [.ledgerAppend([.alive(session: "s1", at: LedgerLine.ms(t1))])])
        #expect(state.spend.fullSince == t1)
        #expect(state.message?.text.contains("Spend ledger full") == true && state.message?.kind == .error)
        // The pod's pause was not recorded: its spend is what was, at least, and stops growing.
        let later = t1.addingTimeInterval(3600)
        #expect(abs((state.spend.total[1]?.cost(at: later) ?? 0) - 1) < 1e-9)
        #expect(Cost.text(1, in: state.spend.total, now: later) == "≥$1.00")
        #expect(Cost.text(2, in: state.spend.total, now: later).hasPrefix("≥"))
        // So does the header's figure for today.
        var header = Screen(size: Size(width: 200, height: 1))
        HeaderView.draw(state, into: &header)
        #expect(header.text.contains("today ≥ $"), "\(header.text)")
        // Nothing more is recorded or said: not by replies, not by the heartbeat.
        let lines = state.spend.lines
        state.message = nil
        for minute in 1...60 {
            let now = t1.addingTimeInterval(Double(minute) * 60)
            state.now = now
            changed[1].status = minute % 2 == 0 ? .running : .paused
            #expect(SpendReducer.observe(&state, changed + [Pod(id: Int64(100 + minute), name: nil, status: .running, gpuType: "g")], now: now, complete: true).isEmpty)
            #expect(SpendReducer.tick(&state).isEmpty)
        }
        #expect(state.spend.lines == lines && state.message == nil)
        // A history read past the bound is full at once.
        var big = fresh("s2")
        big.now = t0
        let history = (0..<(SpendReducer.maxLines + 1)).map { LedgerLine.span(id: Int64($0 % 50), name: nil, from: 0, to: 1, price: nil, first: 0, complete: true) }
        SpendReducer.loaded(&big, .success(history))
        #expect(big.spend.fullSince != nil && big.spend.total.values.allSatisfy { !$0.complete })
    }

    @Test("the file refuses an append past its hard size, after compacting what it can")
    func fileHardBound() throws {
        let dir = tempDir()
        let file = LedgerFile(directory: dir)
        let now = Date()
        let name = String(repeating: "n", count: 1 << 20)
        // 33 lines of a live session, 1 MiB each: compacting cannot shrink them.
        var text = ""
        for id in 0..<33 {
            text += LedgerLine.edge(session: "live", id: Int64(id), name: name, status: "RUNNING", at: LedgerLine.ms(now), price: 1, created: nil).text + "\n"
        }
        try text.write(toFile: file.path, atomically: false, encoding: .utf8)
        let before = try #require(FileManager.default.attributesOfItem(atPath: file.path)[.size] as? NSNumber).int64Value
        #expect(before > LedgerFile.maxBytes)
        #expect(throws: LedgerFile.Full.self) { try file.append([.alive(session: "me", at: LedgerLine.ms(now))], now: now) }
        #expect(try #require(FileManager.default.attributesOfItem(atPath: file.path)[.size] as? NSNumber).int64Value == before)
        // The same lines from a session 40 days old: compacting drops them, and the append goes in.
        let old = now.addingTimeInterval(-40 * 86_400)
        text = ""
        for id in 0..<33 {
            text += LedgerLine.edge(session: "old", id: Int64(id), name: name, status: "RUNNING", at: LedgerLine.ms(old), price: 1, created: nil).text + "\n"
        }
        try text.write(toFile: file.path, atomically: false, encoding: .utf8)
        try file.append([.alive(session: "me", at: LedgerLine.ms(now))], now: now)
        #expect(try file.load(now: now) == [.alive(session: "me", at: LedgerLine.ms(now))])
    }

    @Test("a line's estimated size is never below its real one, and close to it")
    func estimates() {
        let lines: [LedgerLine] = [
            .edge(session: "a1b2c3d4e5f6-r12", id: 123_456_789, name: "llama \"ft\" / 7\u{1}\n é ☃", status: "RUNNING", at: 1_800_000_000_000, price: 2.4, created: 1_799_000_000_000),
            .edge(session: "s", id: -5, name: nil, status: "GONE", at: 0, price: nil, created: nil),
            .edge(session: "s", id: 0, name: "", status: "X", at: 5, price: 2, created: nil),
            .edge(session: "s", id: Int64.max, name: "x", status: "PAUSED", at: 1, price: 1e-7, created: 0),
            .edge(session: "s", id: Int64.min, name: "x", status: "PAUSED", at: 1, price: 123_456_789.123, created: 0),
            .alive(session: "me", at: 1_800_000_000_000),
            .span(id: 7, name: "a/b", from: 1, to: 2_000, price: 0.5, first: 1, complete: true),
            .span(id: 7, name: nil, from: 1, to: 2_000, price: nil, first: 1, complete: false),
        ]
        for line in lines {
            let real = line.text.utf8.count
            #expect(real > 0 && line.estimatedSize >= real && line.estimatedSize <= real + 4, "\(line.text): \(line.estimatedSize)")
        }
        // A price is counted without being written out when it is in thousandths: the count
        // is its text's, for every such price, and for others it still is.
        var rng = SeededRandom(seed: 0x9A1CE)
        let unpriced = LedgerLine.edge(session: "s", id: 1, name: nil, status: "RUNNING", at: 1, price: nil, created: nil).estimatedSize
        let scales: [Int64] = [1, 10, 100, 1_000, 1_000_000, 1_000_000_000, 999_999_999_999_999]
        var prices: [Double] = [0, -0.0, 0.001, 0.01, 0.1, 0.3, 1, 2.25, 2.4, 999.999, 1e12 - 0.001, 1e12, 1e-4, 0.0005, 1.0005, 0.1 + 0.2, 1e300]
        for _ in 0..<5_000 {
            let k = Int64.random(in: -(scales.randomElement(using: &rng) ?? 1)...(scales.randomElement(using: &rng) ?? 1), using: &rng)
            prices.append(Double(k) / 1000)
            prices.append(Double(k) / 1000 + Double.random(in: -1e-9...1e-9, using: &rng))
        }
        for price in prices {
            let line = LedgerLine.edge(session: "s", id: 1, name: nil, status: "RUNNING", at: 1, price: price, created: nil)
            #expect(line.estimatedSize - unpriced == 9 + price.description.utf8.count, "\(price)")
            #expect(line.estimatedSize >= line.text.utf8.count, "\(price): \(line.text)")
        }
        // A huge name from the API is cut in the ledger.
        var state = fresh()
        let huge = Pod(id: 1, name: String(repeating: "é", count: 100_000), status: .running, gpuType: "g")
        let lines2 = appended(SpendReducer.observe(&state, [huge], now: Fixtures.now, complete: true))
        #expect(lines2.count == 1 && (lines2.first?.text.utf8.count ?? .max) < 400)
    }
}
