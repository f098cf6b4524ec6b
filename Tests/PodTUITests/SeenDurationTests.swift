import Foundation
import Testing
import PodAPI
@testable import PodTUICore

/// Figures claim only what podtui saw: a status the pod already had when podtui started is
/// "seen 5s" (or "since" the API's updatedAt), never "for 5s"; a change podtui saw is "for".
/// The history behind it stays bounded however the fleet flaps.
@Suite("Seen durations and bounded history")
struct SeenDurationTests {
    func preview(_ state: AppState) -> String {
        Render.render(state, size: Size(width: 140, height: 30)).text
    }

    @Test("a pod paused before podtui started is 'seen', not 'for'")
    func pausedBeforeStart() {
        var state = Fixtures.loaded([Fixtures.pod(1, "old-pause", .paused)])
        _ = Reducer.reduce(&state, .tick(Fixtures.now.addingTimeInterval(5)))
        let text = preview(state)
        #expect(text.contains("PAUSED seen 5s"), "\(text)")
        #expect(!text.contains("PAUSED for"))
    }

    @Test("with updatedAt from the API, the status holds 'since' then")
    func sinceUpdatedAt() {
        var pod = Fixtures.pod(1, "old-pause", .paused)
        pod.updatedAt = Fixtures.now.addingTimeInterval(-14 * 86_400)
        var state = Fixtures.loaded([pod])
        state.settings.timeZone = .utc
        _ = Reducer.reduce(&state, .tick(Fixtures.now.addingTimeInterval(5)))
        #expect(preview(state).contains("PAUSED since 2027-01-01"), "\(preview(state))")
        // The detail pane says the same of the history's first entry.
        _ = Reducer.reduce(&state, .key(.enter, Fixtures.now))
        let detail = Render.render(state, size: Size(width: 140, height: 60)).text
        #expect(detail.contains("since 2027-01-01"), "\(detail)")
    }

    @Test("a change podtui saw is 'for', in the preview and the detail pane")
    func observedChange() {
        var state = Fixtures.loaded([Fixtures.pod(1, "train", .running)])
        var paused = Fixtures.pod(1, "train", .paused)
        paused.updatedAt = Fixtures.now.addingTimeInterval(-86_400)   // ignored: the change was seen
        _ = Reducer.reduce(&state, .podsLoaded(generation: state.connection.generation, PodList(pods: [paused]), Fixtures.now.addingTimeInterval(10)))
        _ = Reducer.reduce(&state, .tick(Fixtures.now.addingTimeInterval(70)))
        #expect(preview(state).contains("PAUSED for 1m"), "\(preview(state))")
        _ = Reducer.reduce(&state, .key(.enter, Fixtures.now.addingTimeInterval(70)))
        let detail = Render.render(state, size: Size(width: 140, height: 60)).text
        #expect(detail.contains("RUNNING  seen 10s"), "\(detail)")
        #expect(detail.contains("PAUSED  for 1m"), "\(detail)")
    }

    @Test("a pod that appears after the first reply was seen to appear")
    func appeared() {
        var state = Fixtures.loaded([Fixtures.pod(1, "a", .running)])
        let pods = [Fixtures.pod(1, "a", .running), Fixtures.pod(2, "new", .initializing)]
        _ = Reducer.reduce(&state, .podsLoaded(generation: state.connection.generation, PodList(pods: pods), Fixtures.now.addingTimeInterval(3)))
        #expect(state.fleet.history[2]?.first?.observed == true)
        #expect(state.fleet.history[1]?.first?.observed == false)
    }

    @Test("a pod that flaps for days keeps a bounded history")
    func flapping() {
        var state = Fixtures.loaded([Fixtures.pod(1, "flap", .running)])
        for i in 0..<500 {
            let status: PodStatus = i % 2 == 0 ? .paused : .running
            _ = Reducer.reduce(&state, .podsLoaded(generation: state.connection.generation, PodList(pods: [Fixtures.pod(1, "flap", status)]),
                                                   Fixtures.now.addingTimeInterval(Double(i))))
        }
        #expect((state.fleet.history[1]?.count ?? 0) <= StatusChange.keptPerPod)
        #expect(state.events.count <= 1_000)
    }

    @Test("an API that invents new ids every poll does not grow the session")
    func newIDsEveryPoll() {
        var state = Fixtures.loaded([])
        for poll in 0..<20 {
            let pods = (0..<1_000).map { Fixtures.pod(Int64(poll * 1_000 + $0 + 10), "p\($0)", .running) }
            _ = Reducer.reduce(&state, .podsLoaded(generation: state.connection.generation, PodList(pods: pods), Fixtures.now.addingTimeInterval(Double(poll))))
        }
        #expect(state.fleet.history.count <= 1_000 + Reducer.rememberedBeyondLive)
        #expect(state.fleet.names.count <= 1_000 + Reducer.rememberedBeyondLive)
    }
}
