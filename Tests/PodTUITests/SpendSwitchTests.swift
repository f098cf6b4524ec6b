import Foundation
import Testing
import PodAPI
import PodLocal
@testable import PodTUICore

/// A `:profile` switch: the spend and the timers in memory become the new endpoint's.
@Suite("Spend and timers across a :profile switch")
struct SpendSwitchTests {
    func pod(_ id: Int64, _ status: PodStatus = .running) -> Pod {
        Pod(id: id, name: "p\(id)", status: status, gpuType: "g", singleCardPrice: 2)
    }

    func reply(_ state: inout AppState, _ pods: [Pod], _ now: Date) -> [LedgerLine] {
        state.connection.fetching = true
        let effects = Reducer.reduce(&state, .podsLoaded(generation: state.connection.generation, PodList(pods: pods), now))
        return effects.flatMap { effect -> [LedgerLine] in if case .ledgerAppend(let lines) = effect { lines } else { [] } }
    }

    @Test("after a switch the spend is the new endpoint's ledger and the timers its own; back again, the old one's history returns")
    func twoEndpoints() throws {
        let t0 = Fixtures.now
        var state = AppState(endpoint: "https://api.one", interval: 3, now: t0)
        state.spend.session = "me"
        state.settings.timersEnabled = true
        _ = Reducer.reduce(&state, .start(t0))
        // Endpoint one: its history (pod 100, an hour RUNNING yesterday) and its live pods 1, 2.
        let history: [LedgerLine] = [
            .span(id: 100, name: "old", from: LedgerLine.ms(t0) - 90_000_000, to: LedgerLine.ms(t0) - 86_400_000, price: 2,
                  first: LedgerLine.ms(t0) - 90_000_000, complete: true),
        ]
        _ = Reducer.reduce(&state, .ledgerLoaded(.success(history)))
        let oneLines = reply(&state, [pod(1), pod(2)], t0)
        #expect(oneLines.count == 2)
        let timerOne = PauseTimer(podID: 1, name: "p1", due: t0.addingTimeInterval(3600), created: t0,
                                  owner: TimerOwner(endpoint: "https://api.one", profile: "one"))
        _ = Reducer.reduce(&state, .timersLoaded(.success([timerOne])))
        _ = Reducer.reduce(&state, .tick(t0.addingTimeInterval(TimerReducer.reloadEvery)))   // a timers load goes out
        #expect(state.timers.loading)
        #expect(Set(state.spend.total.keys) == [1, 2, 100])

        // Switch to endpoint two.
        let t1 = t0.addingTimeInterval(600)
        let effects = Reducer.reduce(&state, .profileSwitched(name: "two", endpoint: "https://api.two", readOnly: false, secrets: Redactor(), t1))
        #expect(effects.contains(.loadLedger) && effects.contains(.loadTimers))
        #expect(state.spend.lines.isEmpty && state.spend.total.isEmpty && state.spend.today.isEmpty)
        #expect(state.spend.lastStatus.isEmpty && state.spend.held.isEmpty && state.spend.todaysSpend(at: t1) == 0)
        #expect(state.spend.session == "me-r1" && !state.spend.loaded)
        // The old load's answer is dropped with its epoch; a new load is out, not the old one's flag.
        #expect(state.timers.timers.isEmpty && state.timers.lastLoad == t1 && !state.timers.firing)
        // The old account's ledger read, if it arrived late, is dropped with its epoch.
        _ = Reducer.reduce(&state, .tagged(epoch: state.epoch - 1, .ledgerLoaded(.success(history))))
        #expect(state.spend.total.isEmpty)
        // Endpoint two's history and pods.
        let twoHistory: [LedgerLine] = [.edge(session: "other", id: 200, name: "two-old", status: "PAUSED", at: LedgerLine.ms(t0), price: 1, created: nil)]
        _ = Reducer.reduce(&state, .tagged(epoch: state.epoch, .ledgerLoaded(.success(twoHistory))))
        let twoLines = reply(&state, [pod(3)], t1)
        #expect(twoLines.allSatisfy { $0.session == "me-r1" } && twoLines.count == 1)
        #expect(Set(state.spend.total.keys) == [3, 200])
        // The first pods are not GONE in the second endpoint's ledger: nothing was said of them.
        #expect(!twoLines.contains { if case .edge(_, let id, _, _, _, _, _) = $0 { id != 3 } else { false } })
        let timerTwo = PauseTimer(podID: 3, name: "p3", due: t1.addingTimeInterval(3600), created: t1,
                                  owner: TimerOwner(endpoint: "https://api.two", profile: "two"))
        _ = Reducer.reduce(&state, .tagged(epoch: state.epoch, .timersLoaded(.success([timerTwo]))))
        #expect(state.timers.timers.map(\.podID) == [3])

        // Back to endpoint one: its file holds this process's first session, which is history now.
        let t2 = t1.addingTimeInterval(600)
        _ = Reducer.reduce(&state, .profileSwitched(name: "one", endpoint: "https://api.one", readOnly: false, secrets: Redactor(), t2))
        #expect(state.spend.session == "me-r2")
        let oneFile = history + oneLines + [.alive(session: "me", at: LedgerLine.ms(t0.addingTimeInterval(300)))]
        _ = Reducer.reduce(&state, .tagged(epoch: state.epoch, .ledgerLoaded(.success(oneFile))))
        #expect(Set(state.spend.total.keys) == [1, 2, 100])
        // Pods 1 and 2 ran the 300 s session one watched, not the 600 s spent on endpoint two.
        let seconds = try #require(state.spend.total[1]).runningSeconds(at: t2)
        #expect(abs(seconds - 300) < 1, "\(seconds)")
    }
}
