import Foundation
import Testing
import PodAPI
@testable import PodTUICore

/// The time is stamped once per action: the action's own instant, else the store's clock;
/// every message carries it.
@Suite("Time stamped once")
struct TimeStampTests {
    @Test("an action without a time of its own takes the store's clock, not a stale state.now")
    func untimedActionsTakeTheClock() {
        var state = Fixtures.loaded()
        let later = Fixtures.now.addingTimeInterval(3_600)
        _ = Reducer.reduce(&state, .volumesLoaded(.failure(.connection("x"))), at: later)
        #expect(state.now == later)
        // Without a clock (as in pure tests), it keeps the last time.
        _ = Reducer.reduce(&state, .templatesLoaded([]))
        #expect(state.now == later)
    }

    @Test("a timed action's own instant wins, tagged results too; messages carry state.now")
    func timedActions() {
        var state = Fixtures.loaded()
        let t1 = Fixtures.now.addingTimeInterval(10), clock = Fixtures.now.addingTimeInterval(99)
        _ = Reducer.reduce(&state, .tagged(epoch: state.epoch, .notice("hello", isError: false, t1)), at: clock)
        #expect(state.now == t1)
        #expect(state.message == Message("hello", kind: .success, at: t1))
        state.say("said", .error)
        #expect(state.message == Message("said", kind: .error, at: t1))
    }
}
