import Foundation
import Testing
import PodAPI
import PodClient
import PodLocal
import PodLocalFiles
import PodSim
@testable import PodTUICore

/// The spend ledger's arithmetic and file, the budget, and pause timers (file, runner, UI).
@Suite("Spend, budget and pause timers", .serialized)
struct LedgerTests {
    let t0: Int64 = 1_800_000_000_000   // ms
    func at(_ minutes: Double) -> Int64 { t0 + Int64(minutes * 60_000) }
    func date(_ minutes: Double) -> Date { Date(timeIntervalSince1970: Double(at(minutes)) / 1000) }
    func edge(_ s: String, _ id: Int64, _ status: String, _ minute: Double, price: Double = 6, created: Double? = nil) -> LedgerLine {
        .edge(session: s, id: id, name: "p\(id)", status: status, at: at(minute), price: price, created: created.map(at))
    }
    func alive(_ s: String, _ minute: Double) -> LedgerLine { .alive(session: s, at: at(minute)) }

    func near(_ a: Double?, _ b: Double) -> Bool { a.map { abs($0 - b) < 0.01 } ?? false }

    func tempDir() -> String {
        let dir = NSTemporaryDirectory() + "podtui-ledger-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test("pause and resume: only RUNNING time counts, at the price seen")
    func pauseResume() {
        // Created at 0 and seen at once; RUNNING 1–11, PAUSED 11–31, RUNNING 31–41 (at $6/h).
        let lines = [edge("a", 1, "INITIALIZE", 0, created: 0), edge("a", 1, "RUNNING", 1), edge("a", 1, "PAUSED", 11),
                     edge("a", 1, "RUNNING", 31), edge("a", 1, "PAUSED", 41), alive("a", 50)]
        let spend = SpendLedger.compute(lines, live: nil, now: date(60))[1]
        #expect(near(spend?.runningSeconds(at: date(60)), 20 * 60))
        #expect(abs((spend?.cost(at: date(60)) ?? 0) - 2.0) < 1e-9)   // 20 min at $6/h
        #expect(spend?.complete == true)
    }

    @Test("a pod first seen RUNNING (created long before) is marked incomplete and says since when")
    func firstSeenRunning() {
        let lines = [edge("a", 1, "RUNNING", 10, created: -600), alive("a", 40)]
        let spend = SpendLedger.compute(lines, live: nil, now: date(60))[1]
        #expect(spend?.complete == false && spend?.firstSeen == date(10))
        #expect(near(spend?.runningSeconds(at: date(60)), 30 * 60))   // 10 → the last heartbeat at 40
        // Created just before the first poll: seen from the start.
        let fresh = SpendLedger.compute([edge("a", 2, "RUNNING", 10, created: 9.5), alive("a", 20)], live: nil, now: date(60))[2]
        #expect(fresh?.complete == true)
    }

    @Test("time while no podtui watched is not counted, and a pod RUNNING on both sides of it is incomplete")
    func gapsWhileClosed() {
        let lines = [edge("a", 1, "INITIALIZE", 0, created: 0), edge("a", 1, "RUNNING", 1), alive("a", 10),
                     edge("b", 1, "RUNNING", 30), alive("b", 40)]
        let spend = SpendLedger.compute(lines, live: nil, now: date(60))[1]
        #expect(near(spend?.runningSeconds(at: date(60)), (9 + 10) * 60))
        #expect(spend?.complete == false)
    }

    @Test("two processes watching at once count the time once")
    func twoWriters() {
        let lines = [edge("a", 1, "RUNNING", 0, created: 0), edge("b", 1, "RUNNING", 5, created: 0), alive("a", 30), alive("b", 20)]
        let spend = SpendLedger.compute(lines, live: nil, now: date(60))[1]
        #expect(near(spend?.runningSeconds(at: date(60)), 30 * 60))
        // The live session's open interval never re-counts what a finished one has.
        let live = SpendLedger.compute(lines, live: "b", now: date(40))[1]
        #expect(near(live?.runningSeconds(at: date(40)), 40 * 60))
    }

    @Test("the file: a torn last line is skipped and does not swallow the next append; compaction keeps the sums")
    func fileRoundTrip() throws {
        let dir = tempDir()
        let file = LedgerFile(directory: dir)
        try file.append([edge("a", 1, "INITIALIZE", 0, created: 0), edge("a", 1, "RUNNING", 1), alive("a", 21)])
        try LocalFile.append(#"{"t":"edge","s":"a","id":1,"sta"#, to: file.path)   // a crash mid-write
        try file.append([edge("a", 2, "RUNNING", 5, created: 4.9), alive("a", 25)])
        let now = date(24 * 60)   // a day later: session "a" has ended and is compacted
        let lines = try file.load(now: now)
        #expect(lines.allSatisfy { if case .span = $0 { true } else { false } })
        let spend = SpendLedger.compute(lines, live: nil, now: now)
        #expect(near(spend[1]?.runningSeconds(at: now), 24 * 60) && spend[1]?.complete == true)
        #expect(near(spend[2]?.runningSeconds(at: now), 20 * 60))
        // Loaded again: the same (compaction is stable), and pods gone for 30 days are dropped.
        #expect(try file.load(now: now) == lines)
        #expect(try file.load(now: date(31 * 24 * 60)).isEmpty)
    }

    @Test("the UI records an edge per status change and a heartbeat, and the list shows ≥ for a pod first seen RUNNING")
    func observations() {
        var state = AppState(endpoint: "x", now: Fixtures.now)
        state.spend.session = "me"
        let effects = Reducer.reduce(&state, .start(Fixtures.now))
        #expect(effects.contains(.loadLedger))
        let pods = Fixtures.pods
        let reply = Reducer.reduce(&state, .podsLoaded(generation: 1, PodList(pods: pods), Fixtures.now))
        guard case .ledgerAppend(let lines)? = reply.first else { Issue.record("no ledger lines"); return }
        #expect(lines.count == pods.count)
        // The same statuses again: nothing new to write.
        var again = pods; again[0].name = "renamed"
        #expect(!Reducer.reduce(&state, .podsLoaded(generation: 1, PodList(pods: again), Fixtures.now)).contains { if case .ledgerAppend = $0 { true } else { false } })
        let later = Fixtures.now.addingTimeInterval(3600)
        let beat = Reducer.reduce(&state, .tick(later))
        #expect(beat.contains(.ledgerAppend([.alive(session: "me", at: Int64((later.timeIntervalSince1970 * 1000).rounded()))])))
        let text = Render.render(state, size: Size(width: 140, height: 20)).text
        #expect(text.contains("≥$19.20"))   // llama-ft-7: 8 × $2.40/h for the hour watched, created before
        #expect(text.contains("today $"))
    }

    @Test("the budget warns once per crossing, naming the most expensive running pods")
    func budget() {
        var state = Fixtures.loaded()
        state.settings.notifications = true
        _ = InputReducer.run(&state, "budget 10")
        #expect(state.overBudget && state.message?.text.hasPrefix("Over budget: $19.20/h of $10.00/h; most expensive: llama-ft-7 ($19.20/h)") == true)
        #expect(state.io.outbox.contains { if case .notify = $0.kind { true } else { false } })
        let outbox = state.io.outbox.count
        _ = Reducer.reduce(&state, .podsLoaded(generation: state.connection.generation, PodList(pods: Fixtures.pods), Fixtures.now))
        #expect(state.io.outbox.count == outbox)   // still over: said once
        #expect(Render.render(state, size: Size(width: 160, height: 10)).lines[0].contains("$19.20/h of $10.00/h over budget"))
        var paused = Fixtures.pods; paused[0].status = .paused
        _ = Reducer.reduce(&state, .podsLoaded(generation: state.connection.generation, PodList(pods: paused), Fixtures.now))
        #expect(!state.overBudget && state.message?.text.hasPrefix("Back under budget") == true)
        _ = InputReducer.run(&state, "budget off")
        #expect(state.settings.budgetPerHour == nil)
        _ = InputReducer.run(&state, "budget lots")
        #expect(state.message?.kind == .error)
    }

    @Test("durations and clock times for timers", arguments: [("90s", 90.0), ("45m", 2700), ("2h", 7200), ("1h30m", 5400), ("1d", 86_400), ("10", 600)])
    func durations(text: String, seconds: Double) {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(TimerWhen.parse(text, now: now, zoneOffset: { _ in 0 })?.timeIntervalSince(now) == seconds)
    }

    @Test("18:30 is today's, or tomorrow's once it has passed, in the local zone; nonsense is refused")
    func clockTimes() {
        let now = Date(timeIntervalSince1970: 1_800_000_000)   // 2027-01-15 08:00:00 UTC
        #expect(TimerWhen.parse("18:30", now: now, zoneOffset: { _ in 0 }) == Date(timeIntervalSince1970: 1_800_000_000 + 10.5 * 3600))
        #expect(TimerWhen.parse("07:00", now: now, zoneOffset: { _ in 0 }) == Date(timeIntervalSince1970: 1_800_000_000 + 23 * 3600))
        #expect(TimerWhen.parse("18:30", now: now, zoneOffset: { _ in 3600 }) == Date(timeIntervalSince1970: 1_800_000_000 + 9.5 * 3600))
        for bad in ["", "soon", "25:00", "1x", "-5m", "0m"] { #expect(TimerWhen.parse(bad, now: now, zoneOffset: { _ in 0 }) == nil, "\(bad)") }
    }

    @Test("a timer is claimed by one process only; a claim left by a killed one is taken over")
    func claims() throws {
        let file = TimerFile(directory: tempDir())
        let now = Date()
        try file.add([(id: 1, name: "a"), (id: 2, name: "b")], due: now.addingTimeInterval(-1), now: now)
        #expect(try file.claimDue(now: now, by: "one").map(\.podID).sorted() == [1, 2])
        #expect(try file.claimDue(now: now, by: "two").isEmpty)
        #expect(try file.claimDue(now: now.addingTimeInterval(PauseTimer.staleClaim + 1), by: "two").count == 2)
        try file.add([(id: 3, name: "c")], due: now.addingTimeInterval(3600), now: now)
        #expect(try file.cancel([3], now: now) == 1)
        #expect(try file.load().first { $0.podID == 3 }?.state == .cancelled)
    }

    @Test("a due timer pauses a RUNNING pod once; one paused by hand meanwhile gets nothing sent")
    func runner() async throws {
        let server = try await SimulatorServer.start(options: SimulatorOptions(apiKey: "k", speed: 50))
        defer { Task { await server.stop() } }
        let service = HTTPPodService(configuration: ClientConfiguration(baseURL: server.baseURL, apiKey: APIKey("k")))
        let pods = try await service.listPods().pods
        let running = try #require(pods.first { $0.status == .running })
        let other = try #require(pods.last { $0.status == .running && $0.id != running.id })
        try await service.pausePod(id: other.id)   // paused by hand before its timer
        let file = TimerFile(directory: tempDir())
        try file.add([(id: running.id, name: running.name), (id: other.id, name: other.name)], due: Date().addingTimeInterval(-1))
        await server.state.resetRecords()
        let outcomes = try await TimerRunner.fireDue(service: service, file: file, claimant: "test", owner: .legacy)
        #expect(outcomes.filter(\.paused).map(\.timer.podID) == [running.id])
        #expect(outcomes.first { $0.timer.podID == other.id }?.text.contains("nothing sent") == true)
        let pauses = await server.state.recordedRequests().filter { $0.method == "POST" && $0.path.hasSuffix("/pause") }
        #expect(pauses.map(\.path) == ["/v2/pods/\(running.id)/pause"])
        #expect(try await TimerRunner.fireDue(service: service, file: file, claimant: "test", owner: .legacy).isEmpty)   // never twice
        #expect(try file.load().allSatisfy { $0.state == .done })
    }

    @Test("the UI: t on a RUNNING pod asks, sets the timer and shows it in the row; a due one fires once; a late one is announced")
    func timersInTheUI() {
        var state = Fixtures.loaded()
        state.settings.timersEnabled = true
        _ = Reducer.reduce(&state, .key(.char("t"), Fixtures.now))   // the selected pod is FAILED
        #expect(state.nav.input == nil && state.message?.text.contains("needs a RUNNING pod") == true)
        state.nav.selectedID = Fixtures.pods[0].id
        _ = Reducer.reduce(&state, .key(.char("t"), Fixtures.now))
        #expect(state.nav.input?.kind == .timer([Fixtures.pods[0].id]))
        _ = Reducer.reduce(&state, .key(.tab, Fixtures.now))
        #expect(state.nav.input?.editor.text == "30m")
        let set = Reducer.reduce(&state, .key(.enter, Fixtures.now))
        let due = Fixtures.now.addingTimeInterval(1800)
        #expect(set == [.addTimers([TimerTarget(id: Fixtures.pods[0].id, name: "llama-ft-7")], .at(due))])
        #expect(Render.render(state, size: Size(width: 120, height: 20)).text.contains("llama-ft-7 ⏲30m"))
        // The clock passes the due time: one firing, not one per tick.
        let late = due.addingTimeInterval(1)
        #expect(Reducer.reduce(&state, .tick(late)).contains(.fireDueTimers(idle: [:])))
        #expect(!Reducer.reduce(&state, .tick(late.addingTimeInterval(1))).contains(.fireDueTimers(idle: [:])))
        // A timer that came due while podtui was closed is announced when it is read.
        var fresh = Fixtures.loaded()
        fresh.settings.timersEnabled = true
        let old = PauseTimer(podID: Fixtures.pods[0].id, name: "llama-ft-7", due: Fixtures.now.addingTimeInterval(-600), created: Fixtures.now.addingTimeInterval(-7200))
        _ = Reducer.reduce(&fresh, .timersLoaded(.success([old])))
        #expect(fresh.message?.text.contains("came due at") == true && fresh.message?.text.contains("while podtui was closed") == true)
        // Read-only refuses.
        state.settings.readOnly = true
        state.nav.input = nil
        _ = Reducer.reduce(&state, .key(.char("t"), Fixtures.now))
        #expect(state.nav.input == nil && state.message?.text.hasPrefix("Read-only") == true)
    }
}
