import Foundation
import Testing
import PodAPI
@testable import PodLocal
@testable import PodLocalFiles
import PodProbe
@testable import PodTUICore

/// GPU probes in the UI: when probes start (cap, no overlap), what answers show (list,
/// detail, header), the idle badge and its one announcement, `idle:yes`, refused ssh
/// commands, "pause when idle" timers and the saved idle clocks. Pure: no ssh.
@Suite("GPU probes in the UI")
struct ProbeReducerTests {
    static let h100 = "NVIDIA_H100_80G"

    /// `count` RUNNING pods (ids 1…count) with plain ssh commands, probes on.
    func probing(_ count: Int = 3, extra: [Pod] = []) -> AppState {
        let pods = (1...count).map { i in Fixtures.pod(Int64(i), "train-\(i)", .running, count: 8, price: 2.4) } + extra
        var state = Fixtures.loaded(pods)
        state.settings.probesAvailable = true
        state.settings.timersEnabled = true
        _ = Reducer.reduce(&state, .key(.char(":"), Fixtures.now))
        for c in "probe on" { _ = Reducer.reduce(&state, .key(.char(c), Fixtures.now)) }
        _ = Reducer.reduce(&state, .key(.enter, Fixtures.now))
        return state
    }

    func jobs(_ effects: [Effect]) -> [ProbeJob] {
        effects.flatMap { effect -> [ProbeJob] in if case .probe(let jobs) = effect { return jobs } else { return [] } }
    }

    func report(_ utils: [Double], used: Double = 40_000) -> Result<ProbeReport, ProbeFailure> {
        .success(ProbeReport(tool: .nvidia, gpus: utils.enumerated().map { GPUReading(index: $0.offset, utilization: $0.element, memoryUsedMiB: used, memoryTotalMiB: 81_559) }))
    }

    func screen(_ state: AppState, width: Int = 140) -> String { Render.render(state, size: Size(width: width, height: 30)).text }
    func row(_ state: AppState, _ name: String) -> String { screen(state).split(separator: "\n").first { $0.contains(name) }.map(String.init) ?? "" }

    @Test("off by default: no probe, no GPU% column, and the detail pane says how to turn it on")
    func offByDefault() {
        var state = Fixtures.loaded()
        state.settings.probesAvailable = true
        #expect(jobs(Reducer.reduce(&state, .tick(Fixtures.now.addingTimeInterval(1)))).isEmpty)
        #expect(!screen(state).contains("GPU%"))
        _ = Reducer.reduce(&state, .key(.char("j"), Fixtures.now))   // llama-ft-7, RUNNING
        _ = Reducer.reduce(&state, .key(.enter, Fixtures.now))
        #expect(screen(state).contains("not probed (:probe on shows it, through your ssh)"))
    }

    @Test(":probe on starts at most 4 probes, none twice for a pod, the rest as places free up")
    func capAndOverlap() {
        var state = probing(6)
        let t0 = Fixtures.now
        var first = jobs(Reducer.reduce(&state, .tick(t0)))
        if first.isEmpty { first = state.probe.schedule.slots.filter { $0.value.inFlight }.map { ProbeJob(podID: $0.key, target: ProbeTarget(host: "h", port: 30003, user: "root")) } }
        #expect(state.probe.schedule.inFlightCount == 4)
        #expect(first.allSatisfy { $0.target == ProbeTarget(host: "h", port: 30003, user: "root") })
        #expect(jobs(Reducer.reduce(&state, .tick(t0.addingTimeInterval(1)))).isEmpty)
        let done = state.probe.schedule.slots.filter { $0.value.inFlight }.map(\.key).sorted()[0]
        _ = Reducer.reduce(&state, .probed(podID: done, report([90]), t0.addingTimeInterval(2)))
        let next = jobs(Reducer.reduce(&state, .tick(t0.addingTimeInterval(3))))
        #expect(next.count == 1)
        #expect(next[0].podID != done)
        #expect(state.probe.schedule.inFlightCount == 4)
    }

    @Test("an answer fills GPU% and VRAM, the detail pane's per-GPU lines and the header's idle count")
    func answerShows() {
        var state = probing(1)
        _ = Reducer.reduce(&state, .tick(Fixtures.now))
        _ = Reducer.reduce(&state, .probed(podID: 1, report([97, 95, 0, 2, 100, 100, 100, 100]), Fixtures.now.addingTimeInterval(1)))
        let text = screen(state)
        #expect(text.contains("GPU%") && text.contains("VRAM"))
        #expect(row(state, "train-1").contains("74%"))
        #expect(row(state, "train-1").contains("313/637G"))
        #expect(text.contains("2/8 GPUs idle"))
        _ = Reducer.reduce(&state, .key(.enter, Fixtures.now.addingTimeInterval(1)))
        let detail = screen(state)
        #expect(detail.contains("mean 74% · VRAM 313/637 GiB · nvidia-smi, 0s ago"))
        #expect(detail.contains("GPU 0   97%  39/80 GiB"))
        #expect(detail.contains("█"))
    }

    @Test("a failed probe shows ? and its reason, and is retried later, not at once")
    func failure() {
        var state = probing(1)
        _ = Reducer.reduce(&state, .tick(Fixtures.now))
        let refused = ProbeFailure(.authRefused, "ssh login refused (root@h: Permission denied (publickey).): probes use your ssh agent and keys, never a password")
        _ = Reducer.reduce(&state, .probed(podID: 1, .failure(refused), Fixtures.now.addingTimeInterval(1)))
        #expect(row(state, "train-1").contains("   ?"))
        #expect(jobs(Reducer.reduce(&state, .tick(Fixtures.now.addingTimeInterval(5)))).isEmpty)
        #expect(jobs(Reducer.reduce(&state, .tick(Fixtures.now.addingTimeInterval(31)))).count == 1)
        _ = Reducer.reduce(&state, .key(.enter, Fixtures.now.addingTimeInterval(31)))
        #expect(screen(state, width: 200).contains("? probe failed 30s ago: ssh login refused (root@h: Permission denied (publickey).)"))
    }

    @Test("idle 15 minutes under 5%: a badge, one announcement (bell and notification when on), the cost while idle; busy resets it")
    func idleAnnouncedOnce() {
        var state = probing(2)
        state.settings.notifications = true
        var t = Fixtures.now
        func sample(_ id: Int64, _ utils: [Double]) {
            _ = Reducer.reduce(&state, .tick(t))
            _ = Reducer.reduce(&state, .probed(podID: id, report(utils), t))
        }
        for _ in 0...30 {   // 31 samples 30 s apart: 15 minutes
            sample(1, [0, 1, 4, 0, 0, 0, 0, 2])
            sample(2, [80, 1, 4, 0, 0, 0, 0, 2])
            t = t.addingTimeInterval(30)
        }
        #expect(row(state, "train-1").contains("train-1 idle 15m"))
        #expect(!row(state, "train-2").contains("idle"))
        let announcements = state.events.filter { $0.text.contains("been under 5%") }
        #expect(announcements.count == 1)
        #expect(announcements.first?.text == "train-1: its 8 GPUs have been under 5% for 15m, still billing $19.20/h")
        #expect(state.io.outbox.filter { if case .notify = $0.kind { true } else { false } }.count == 1)
        for _ in 0..<4 { sample(1, [0, 0, 0, 0, 0, 0, 0, 0]); t = t.addingTimeInterval(30) }
        #expect(state.events.filter { $0.text.contains("been under 5%") }.count == 1)
        _ = Reducer.reduce(&state, .key(.enter, t))
        #expect(screen(state).contains("every GPU under 5% for 17m · $5.44 while idle"))
        _ = Reducer.reduce(&state, .key(.escape, t))
        sample(1, [50, 0, 0, 0, 0, 0, 0, 0])
        #expect(!row(state, "train-1").contains("idle"))
        for _ in 0...30 { t = t.addingTimeInterval(30); sample(1, [0, 0, 0, 0, 0, 0, 0, 0]) }
        #expect(state.events.filter { $0.text.contains("been under 5%") }.count == 2)
    }

    @Test("idle:yes keeps the idle pods, idle:no the others, and follows new answers")
    func idleFilter() {
        var state = probing(2)
        var t = Fixtures.now
        for _ in 0...30 {
            _ = Reducer.reduce(&state, .tick(t))
            _ = Reducer.reduce(&state, .probed(podID: 1, report([0]), t))
            _ = Reducer.reduce(&state, .probed(podID: 2, report([99]), t))
            t = t.addingTimeInterval(30)
        }
        _ = Reducer.reduce(&state, .key(.char("/"), t))
        for c in "idle:yes" { _ = Reducer.reduce(&state, .key(.char(c), t)) }
        _ = Reducer.reduce(&state, .key(.enter, t))
        #expect(state.fleet.pods.count == 1 && state.fleet.pods[0].id == 1)
        _ = Reducer.reduce(&state, .probed(podID: 1, report([60]), t))
        #expect(state.fleet.pods.isEmpty)
        #expect(PodFilter("!idle:yes").idle == false)
        #expect(PodFilter("idle:no").idle == false)
        #expect(!PodFilter("idle:no").isEmpty)
    }

    @Test("a hostile ssh command is refused, reported once, never probed, shown as ?")
    func hostile() {
        var evil = Fixtures.pod(99, "evil", .running)
        evil.sshCmd = "ssh -oProxyCommand=/usr/bin/touch_/tmp/pwned root@h"
        var state = probing(1, extra: [evil])
        let started = jobs(Reducer.reduce(&state, .tick(Fixtures.now)))
        #expect(!started.contains { $0.podID == 99 })
        #expect(state.probe.schedule.slots[99] == nil)
        #expect(state.events.filter { $0.text.contains("evil: not probed: the pod's ssh command was refused: it passes the ssh option -oProxyCommand") }.count == 1)
        _ = Reducer.reduce(&state, .podsLoaded(generation: state.connection.generation, PodList(pods: state.fleet.allPods + [Fixtures.pod(7, "x", .paused)]), Fixtures.now))
        #expect(state.events.filter { $0.text.contains("evil: not probed") }.count == 1)
        #expect(row(state, "evil").contains("   ?"))
    }

    @Test("pause when idle: t then `idle 10m` sets it; it fires once the probes saw 10 idle minutes")
    func pauseWhenIdle() {
        var state = probing(1)
        _ = Reducer.reduce(&state, .key(.char("t"), Fixtures.now))
        for c in "idle 10m" { _ = Reducer.reduce(&state, .key(.char(c), Fixtures.now)) }
        let set = Reducer.reduce(&state, .key(.enter, Fixtures.now))
        #expect(set == [.addTimers([TimerTarget(id: 1, name: "train-1")], .whenIdle(minutes: 10))])
        #expect(row(state, "train-1").contains("⏲idle"))
        var t = Fixtures.now
        var fired: [Effect] = []
        for _ in 0...20 {
            fired += Reducer.reduce(&state, .tick(t)).filter { if case .fireDueTimers = $0 { true } else { false } }
            fired += Reducer.reduce(&state, .probed(podID: 1, report([0]), t)).filter { if case .fireDueTimers = $0 { true } else { false } }
            t = t.addingTimeInterval(30)
        }
        #expect(fired.count == 1)
        if case .fireDueTimers(let idle)? = fired.first { #expect((idle[1] ?? 0) >= 600) }
        // Not before: a timer for 10 minutes is not due at 9.5.
        var early = probing(1)
        _ = TimerReducer.acceptIdle(&early, ids: [1], minutes: 10)
        var u = Fixtures.now
        for _ in 0...19 { _ = Reducer.reduce(&early, .probed(podID: 1, report([0]), u)); u = u.addingTimeInterval(30) }
        #expect(!Reducer.reduce(&early, .tick(u)).contains { if case .fireDueTimers = $0 { true } else { false } })
        #expect(TimerWhen.parseIdle("idle") == .some(nil))
        #expect(TimerWhen.parseIdle("idle 1h30m") == .some(90))
        #expect(TimerWhen.parseIdle("idle for 45") == .some(45))
        #expect(TimerWhen.parseIdle("45m") == nil)
        #expect(TimerWhen.parseIdle("idle 18:30") == nil)
    }

    @Test("idle clocks are saved (at most every 10 s), restored at the next start, and dropped when a pod stops running")
    func savedClocks() {
        var state = probing(1)
        var t = Fixtures.now
        var saves: [Effect] = []
        for _ in 0..<6 {
            saves += Reducer.reduce(&state, .tick(t)).filter { if case .saveIdleClocks = $0 { true } else { false } }
            _ = Reducer.reduce(&state, .probed(podID: 1, report([0]), t))
            t = t.addingTimeInterval(5)
        }
        #expect(saves.count == 3)   // at 5, 15 and 25 s: not one per answer
        if case .saveIdleClocks(let records, _)? = saves.last { #expect(records[1]?.idleSince == Fixtures.now) }
        // A new run: the clock read back continues (a sample within the gap).
        var next = probing(1)
        _ = Reducer.reduce(&next, .idleClocksLoaded([1: IdleRecord(idleSince: Fixtures.now, lastIdleSample: t.addingTimeInterval(-5))]))
        _ = Reducer.reduce(&next, .probed(podID: 1, report([0]), t.addingTimeInterval(30)))
        #expect(next.probe.pods[1]?.idle.idleSince == Fixtures.now)
        // The pod pauses: its figures and clock go, and the saved clock is cleared.
        var paused = state.fleet.allPods
        paused[0].status = .paused
        _ = Reducer.reduce(&state, .podsLoaded(generation: state.connection.generation, PodList(pods: paused), t))
        #expect(state.probe.pods.isEmpty)
        let clear = Reducer.reduce(&state, .tick(t.addingTimeInterval(20))).filter { if case .saveIdleClocks = $0 { true } else { false } }
        #expect(clear == [.saveIdleClocks([:], cleared: [1])])
    }

    @Test(":probe off drops the figures and the columns; :probe says how it is set")
    func off() {
        var state = probing(1)
        _ = Reducer.reduce(&state, .tick(Fixtures.now))
        _ = Reducer.reduce(&state, .probed(podID: 1, report([50]), Fixtures.now))
        _ = ProbeReducer.command(&state, "off")
        #expect(state.probe.pods.isEmpty && !screen(state).contains("GPU%"))
        _ = ProbeReducer.command(&state, "")
        #expect(state.message?.text == "GPU probes off; idle is under 5% for 15m (:probe on|off)")
        state.settings.probesAvailable = false
        _ = ProbeReducer.command(&state, "on")
        #expect(state.message?.text == "GPU probes are not available here")
    }

    @Test("a :profile switch frees the places of probes still out (their answers are dropped)")
    func profileSwitch() {
        var state = probing(4)
        _ = Reducer.reduce(&state, .tick(Fixtures.now))
        #expect(state.probe.schedule.inFlightCount == 4)
        let old = state.epoch
        _ = Reducer.reduce(&state, .profileSwitched(name: "b", endpoint: "b", readOnly: false, secrets: Redactor(), Fixtures.now))
        _ = Reducer.reduce(&state, .tagged(epoch: old, .probed(podID: 1, report([50]), Fixtures.now)))
        #expect(state.probe.pods.isEmpty)
        let other = (11...14).map { Fixtures.pod(Int64($0), "b-\($0)", .running) }
        _ = Reducer.reduce(&state, .podsLoaded(generation: state.connection.generation, PodList(pods: other), Fixtures.now))
        #expect(jobs(Reducer.reduce(&state, .tick(Fixtures.now.addingTimeInterval(1)))).map(\.podID).sorted() == [11, 12, 13, 14])
    }

    @Test("a when-idle timer in the file: claimed only when idle long enough, dropped a day after it fired")
    func idleTimerFile() throws {
        let dir = NSTemporaryDirectory() + "podtui-idle-timer-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = TimerFile(directory: dir)
        let t = Fixtures.now
        try file.add([(id: 1, name: "train-1")], trigger: .whenIdle(minutes: 30), now: t)
        #expect(try file.claimDue(now: t.addingTimeInterval(86_400 * 365), by: "me").isEmpty)   // never by the clock
        #expect(try file.claimDue(now: t, by: "me", idle: [1: 1799]).isEmpty)
        let claimed = try file.claimDue(now: t.addingTimeInterval(3600), by: "me", idle: [1: 1800])
        #expect(claimed.map(\.podID) == [1])
        try file.finish(claimed[0], result: "paused", now: t.addingTimeInterval(3600))
        #expect(try file.load().first?.state == .done)
        // Kept for a day after it fired (it has no due time to count from), then dropped.
        try file.cancel([], now: t.addingTimeInterval(3600 + 80_000))
        #expect(try file.load().count == 1)
        try file.cancel([], now: t.addingTimeInterval(3600 + 90_000))
        #expect(try file.load().isEmpty)
    }

    @Test("a pod without a name gets the idle badge too")
    func unnamedIdle() {
        var nameless = Fixtures.pod(42, "", .running, count: 1)
        nameless.name = nil
        var state = probing(1, extra: [nameless])
        var t = Fixtures.now
        for _ in 0...30 {
            _ = Reducer.reduce(&state, .tick(t))
            _ = Reducer.reduce(&state, .probed(podID: 42, report([0]), t))
            t = t.addingTimeInterval(30)
        }
        #expect(screen(state).contains("(unnamed) 42 idle 15m"))
    }

    @Test("a fired when-idle timer says how long, also under a minute (it said 0m for 40 s)")
    func idleTimerText() {
        #expect(TimerRunner.idleText(40.0 / 60) == "40s")
        #expect(TimerRunner.idleText(30) == "30m")
        #expect(TimerRunner.idleText(90) == "1h30m")
        #expect(TimerRunner.idleText(2.5) == "2m30s")
        #expect(TimerRunner.idleText(120) == "2h")
    }
}
