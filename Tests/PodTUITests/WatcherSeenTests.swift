import FoundationEssentials
import Testing
import PodLocal
@testable import PodTUICore

/// A TUI beside a `podtui watch` of its profile: the header says so, `:timers` says who fires
/// each timer, and clock timers are left to the watcher unless it is late by the grace.
@Suite("TUI beside a watcher")
struct WatcherSeenTests {
    func state(watcher: WatcherSeen?, due: Date) -> AppState {
        var state = Fixtures.loaded()
        state.settings.timersEnabled = true
        let pod = Fixtures.pods[0]
        _ = Reducer.reduce(&state, .timersLoaded(.success([
            PauseTimer(podID: pod.id, name: pod.name, due: due, created: Fixtures.now),
        ])))
        _ = Reducer.reduce(&state, .watcherSeen(watcher))
        return state
    }

    @Test("a due clock timer is the watcher's for 30 s, then this TUI's; without a watcher at once")
    func deferral() {
        let due = Fixtures.now.addingTimeInterval(60)
        var watched = state(watcher: WatcherSeen(pid: 4242, since: Fixtures.now), due: due)
        #expect(!Reducer.reduce(&watched, .tick(due.addingTimeInterval(1))).contains(.fireDueTimers(idle: [:])))
        #expect(!Reducer.reduce(&watched, .tick(due.addingTimeInterval(29))).contains(.fireDueTimers(idle: [:])))
        #expect(Reducer.reduce(&watched, .tick(due.addingTimeInterval(31))).contains(.fireDueTimers(idle: [:])))
        var alone = state(watcher: nil, due: due)
        #expect(Reducer.reduce(&alone, .tick(due.addingTimeInterval(1))).contains(.fireDueTimers(idle: [:])))
    }

    @Test("the header says watched and since when; :timers says who fires each")
    func shown() {
        var watched = state(watcher: WatcherSeen(pid: 4242, since: Fixtures.now), due: Fixtures.now.addingTimeInterval(600))
        let header = Render.render(watched, size: Size(width: 160, height: 20)).text.split(separator: "\n").first.map(String.init) ?? ""
        #expect(header.contains("watched since " + Format.time(Fixtures.now, in: watched.settings.timeZone)))
        let narrow = Render.render(watched, size: Size(width: 60, height: 20)).text.split(separator: "\n").first.map(String.init) ?? ""
        #expect(narrow.contains("watched"))
        _ = Reducer.reduce(&watched, .key(.char("T"), Fixtures.now))
        let timers = Render.render(watched, size: Size(width: 160, height: 20)).text
        #expect(timers.contains("podtui watch (pid 4242)"))
        #expect(timers.contains("by watcher 4242"))
        var alone = state(watcher: nil, due: Fixtures.now.addingTimeInterval(600))
        #expect(!Render.render(alone, size: Size(width: 160, height: 20)).text.contains("watched"))
        _ = Reducer.reduce(&alone, .key(.char("T"), Fixtures.now))
        #expect(Render.render(alone, size: Size(width: 160, height: 20)).text.contains("by this podtui"))
    }
}
