import Foundation
import Testing
import PodAPI
@testable import PodTUICore

/// Issue 29: the poll period is the interval the user set, measured at the requests, and an
/// unfocused terminal is polled at most every `unfocused_interval` and redrawn only for news.
@Suite("Polling on time, and slower while unfocused")
struct PollTimingTests {
    let t0 = Fixtures.now
    /// A fleet with nothing in transition, so the configured interval applies (not 1 s).
    var steady: [Pod] { Fixtures.pods.filter { !$0.status.isTransitional } }

    /// Drives the reducer as the runtime does: a tick every second (each a little late, as
    /// Dispatch delivers them, by a varying amount), each request answered `latency` seconds
    /// after it was sent, with one pod changing every reply (a fleet that moves). Returns the
    /// instants at which list requests were sent, as the server would log them.
    func requestTimes(interval: Double, latency: Double, seconds: Int, focused: Bool = true,
                      unfocusedInterval: Double = UISettings.defaultUnfocusedInterval) -> [Double] {
        var state = AppState(endpoint: "x", interval: interval, now: t0)
        state.settings.unfocusedInterval = unfocusedInterval
        var sent: [Double] = []
        var inFlight: (generation: Int, answerAt: Double)?
        var replies = 0
        func run(_ effects: [Effect], at t: Double) {
            for case .fetchPods(let generation, _) in effects {
                sent.append(t)
                inFlight = (generation, t + latency)
            }
        }
        run(Reducer.reduce(&state, .start(t0)), at: 0)
        if !focused { _ = Reducer.reduce(&state, .key(.focusOut, t0)) }
        let lateness = [0.08, 0.01, 0.05, 0.0, 0.09, 0.03]
        for second in 1...seconds {
            let tick = Double(second) + lateness[second % lateness.count]
            // A reply that came before this tick is reduced first.
            if let (generation, at) = inFlight, at <= tick {
                var pods = steady
                replies += 1
                pods[0].name = "moving-\(replies)"
                _ = Reducer.reduce(&state, .podsLoaded(generation: generation, PodList(pods: pods), t0.addingTimeInterval(at)))
                inFlight = nil
            }
            run(Reducer.reduce(&state, .tick(t0.addingTimeInterval(tick))), at: tick)
        }
        return sent
    }

    @Test("--interval 2 polls every 2 s measured at the requests, not every 3 s", arguments: [0.05, 0.35, 0.9])
    func twoSecondsApart(latency: Double) {
        let sent = requestTimes(interval: 2, latency: latency, seconds: 30)
        let gaps = zip(sent.dropFirst(), sent).map { $0 - $1 }
        #expect(gaps.count >= 13)
        // Whole ticks late by at most the ticks' own lateness (< 0.1 s): two ticks apart.
        #expect(gaps.allSatisfy { abs($0 - 2) < 0.15 }, "gaps \(gaps)")
        if let first = sent.first, let last = sent.last {
            let period = (last - first) / Double(gaps.count)
            #expect(abs(period - 2) < 0.05, "period \(period)")
        }
    }

    @Test("interval 3 polls every 3 s, and a transition polls every second")
    func otherIntervals() {
        let sent = requestTimes(interval: 3, latency: 0.2, seconds: 30)
        let gaps = zip(sent.dropFirst(), sent).map { $0 - $1 }
        #expect(gaps.allSatisfy { abs($0 - 3) < 0.15 }, "gaps \(gaps)")

        var state = AppState(endpoint: "x", interval: 5, now: t0)
        _ = Reducer.reduce(&state, .start(t0))
        _ = Reducer.reduce(&state, .podsLoaded(generation: 1, PodList(pods: Fixtures.pods), t0.addingTimeInterval(0.3)))
        // qwen-eval is INITIALIZING: one second counted from the request, so the next tick.
        #expect(Reducer.reduce(&state, .tick(t0.addingTimeInterval(1.02))) == [.fetchPods(generation: 2, ServerQuery())])
    }

    @Test("a reply slower than the interval is followed by half an interval without requests")
    func slowReply() {
        var state = AppState(endpoint: "x", interval: 2, now: t0)
        _ = Reducer.reduce(&state, .start(t0))
        _ = Reducer.reduce(&state, .podsLoaded(generation: 1, PodList(pods: steady), t0.addingTimeInterval(2.5)))
        #expect(state.connection.nextPoll == t0.addingTimeInterval(3.5))
        #expect(Reducer.reduce(&state, .tick(t0.addingTimeInterval(3))) == [])
        #expect(Reducer.reduce(&state, .tick(t0.addingTimeInterval(4))) == [.fetchPods(generation: 2, ServerQuery())])
    }

    @Test("unfocused: no poll before unfocused_interval (30 s by default), then one every 30 s")
    func unfocusedSlowsDown() {
        let sent = requestTimes(interval: 2, latency: 0.2, seconds: 95, focused: false)
        #expect(sent.count == 4, "\(sent)")
        let gaps = zip(sent.dropFirst(), sent).map { $0 - $1 }
        #expect(gaps.allSatisfy { abs($0 - 30) < 0.15 }, "gaps \(gaps)")

        let ten = requestTimes(interval: 2, latency: 0.2, seconds: 35, focused: false, unfocusedInterval: 10)
        #expect(ten.count == 4, "\(ten)")
    }

    @Test("unfocused_interval 0 means no slowdown")
    func unfocusedOff() {
        let sent = requestTimes(interval: 2, latency: 0.2, seconds: 20, focused: false, unfocusedInterval: 0)
        #expect(sent.count == 11, "\(sent)")   // at 0, 2, 4 … 20
    }

    @Test("unfocused, a transition or an action's result does not poll sooner either")
    func unfocusedCapsEverything() {
        var state = AppState(endpoint: "x", interval: 2, now: t0)
        _ = Reducer.reduce(&state, .start(t0))
        _ = Reducer.reduce(&state, .key(.focusOut, t0))
        _ = Reducer.reduce(&state, .podsLoaded(generation: 1, PodList(pods: Fixtures.pods), t0.addingTimeInterval(0.2)))
        #expect(Reducer.pollInterval(state) == 1)   // a pod is INITIALIZING
        for second in 1...29 {
            #expect(Reducer.reduce(&state, .tick(t0.addingTimeInterval(Double(second)))) == [], "tick \(second)")
        }
        #expect(Reducer.reduce(&state, .tick(t0.addingTimeInterval(30))) == [.fetchPods(generation: 2, ServerQuery())])
    }

    @Test("focus-in polls at once, and never starts a second request beside one in flight")
    func focusInPollsAtOnce() {
        var state = Fixtures.loaded(steady)
        _ = Reducer.reduce(&state, .key(.focusOut, t0.addingTimeInterval(0.5)))
        #expect(!state.focused)
        #expect(Reducer.reduce(&state, .tick(t0.addingTimeInterval(10))) == [])
        #expect(Reducer.reduce(&state, .key(.focusIn, t0.addingTimeInterval(10.4))) == [.fetchPods(generation: 2, ServerQuery())])
        #expect(state.focused)
        _ = Reducer.reduce(&state, .key(.focusOut, t0.addingTimeInterval(10.5)))
        #expect(Reducer.reduce(&state, .key(.focusIn, t0.addingTimeInterval(10.6))) == [], "generation 2 is still in flight")
        #expect(state.connection.fetching && state.connection.generation == 2)
    }

    @Test("focus events are not keys of any mode: no message, no typed text, the filter line unchanged")
    func focusIsNotTyped() {
        var state = Fixtures.loaded(steady)
        _ = Reducer.reduce(&state, .key(.char("/"), t0))
        _ = Reducer.reduce(&state, .key(.char("a"), t0))
        let before = state.fleet.filter
        _ = Reducer.reduce(&state, .key(.focusOut, t0))
        _ = Reducer.reduce(&state, .key(.focusIn, t0))
        #expect(state.fleet.filter == before)
        #expect(Mode.of(state) == .filterLine)
    }

    @Test("unfocused, a tick alone draws the very same frame; news and focus-in draw again")
    func unfocusedFrameHeld() {
        let size = Size(width: 120, height: 40)
        var state = Fixtures.loaded(steady)
        _ = Reducer.reduce(&state, .tick(t0.addingTimeInterval(1)))
        _ = Reducer.reduce(&state, .key(.focusOut, t0.addingTimeInterval(1.5)))
        let held = Render.render(state.forDrawing, size: size)
        for second in 2...9 {
            _ = Reducer.reduce(&state, .tick(t0.addingTimeInterval(Double(second))))
            #expect(Render.render(state.forDrawing, size: size) == held, "tick \(second) changed the frame")
        }
        // Focused, the same ticks move "updated Ns ago": the held clock is what kept it still.
        #expect(Render.render(state, size: size) != held)
        _ = Reducer.reduce(&state, .key(.focusIn, t0.addingTimeInterval(9.5)))
        #expect(Render.render(state.forDrawing, size: size) != held)
        #expect(state.forDrawing.now == state.now)
    }
}

@Suite("Focus reports decoded")
struct FocusKeyTests {
    @Test("CSI I and CSI O are focus in and out; curses returns them under podtui's codes")
    func sequences() {
        #expect(KeyDecoder.key(forSequence: Array("\u{1B}[I".utf8)) == .focusIn)
        #expect(KeyDecoder.key(forSequence: Array("\u{1B}[O".utf8)) == .focusOut)
        #expect(KeyDecoder.key(forSequence: Array("\u{1B}[A".utf8)) == nil)
        #expect(KeyDecoder.key(forSequence: Array("\u{1B}O".utf8)) == nil)
        for (bytes, code) in KeyDecoder.definedSequences {
            #expect(KeyDecoder.key(forDefinedCode: code) == KeyDecoder.key(forSequence: Array(bytes.utf8)))
            #expect(code > 0o777, "inside curses' own key codes")
        }
        #expect(KeyDecoder.key(forDefinedCode: 0o777) == nil)
        #expect(!Key.focusIn.isPrintable && !Key.focusOut.isPrintable)
    }

    @Test("a focus report curses did not assemble (split by a slow read) is dropped, never typed")
    func splitReportDropped() {
        for letter in ["I", "O"] {
            var filter = OSCReplyFilter(awaiting: false)
            let start = ContinuousClock.now
            var out = filter.filter([.escape], at: start).keys
            out += filter.filter([.char("["), .char(Character(letter)), .char("j")], at: start + .milliseconds(40)).keys
            #expect(out == [.char("j")], "\(letter): \(out)")
        }
    }
}

@Suite("unfocused_interval in config.yaml")
struct UnfocusedSettingTests {
    func settings(_ yaml: String) throws -> Settings {
        var lines: [String: Int] = [:]
        let raw = try YAMLReader.parse(yaml, lines: &lines)
        var config = ConfigFile(path: "/home/u/.config/podtui/config.yaml", raw: raw)
        config.lines = lines
        return Settings.from(config)
    }

    @Test("default 30 s; a number of seconds; 0, off and false turn the slowdown off")
    func values() throws {
        #expect(try settings("ui:\n  interval: 2\n").unfocusedInterval == 30)
        #expect(try settings("ui:\n  unfocused_interval: 60\n").unfocusedInterval == 60)
        for off in ["0", "off", "\"off\"", "false"] {
            let s = try settings("ui:\n  unfocused_interval: \(off)\n")
            #expect(s.unfocusedInterval == 0 && s.problems.isEmpty, "\(off): \(s.problems)")
        }
    }

    @Test("a bad value is named with its line and the default kept")
    func bad() throws {
        for bad in ["0.5", "-3", "soon", "99999"] {
            let s = try settings("ui:\n  unfocused_interval: \(bad)\n")
            #expect(s.unfocusedInterval == 30)
            #expect(s.problems == ["config.yaml line 2: ui.unfocused_interval: must be a number of seconds from 1 to 3600, or 0 or off for no slowdown"])
        }
    }
}

@Suite("Unfocused, only a reply or input moves the clock frames are drawn at")
struct HeldClockTests {
    @Test("a timer file read or a ledger write while unfocused does not redraw the ages")
    func backgroundResultsKeepTheClock() {
        let size = Size(width: 120, height: 40)
        let t0 = Fixtures.now
        var state = Fixtures.loaded(Fixtures.pods.filter { !$0.status.isTransitional })
        _ = Reducer.reduce(&state, .key(.focusOut, t0.addingTimeInterval(1)))
        let held = Render.render(state.forDrawing, size: size)
        _ = Reducer.reduce(&state, .tagged(epoch: state.epoch, .timersLoaded(.success([]))), at: t0.addingTimeInterval(65))
        _ = Reducer.reduce(&state, .tagged(epoch: state.epoch, .templatesLoaded([])), at: t0.addingTimeInterval(66))
        #expect(Render.render(state.forDrawing, size: size) == held)
        _ = Reducer.reduce(&state, .tagged(epoch: state.epoch, .podsFailed(generation: state.connection.generation, .timeout(seconds: 1), t0.addingTimeInterval(67))))
        #expect(state.drawnAt == t0.addingTimeInterval(67))
    }
}
