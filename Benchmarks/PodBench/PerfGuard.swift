// The work `scripts/perf-guard` counts under callgrind: each case runs its measured part
// exactly once, inside one `@inline(never)` function with a plain symbol name
// (`podtui_perf_…`, by `@_silgen_name`: a Swift-mangled name compresses repeated words, so a
// pattern on it would be a guess), and callgrind collects only while that function runs
// (`--toggle-collect`). Everything before (building the fleet, the warm previous reply, the
// first indexing) is not counted.
//
//   PodBench --perf-guard changed-pod-1k     one changed pod of 1,000: the reply's bytes
//                                            compared with the last, decoded, reduced, drawn
//   PodBench --perf-guard filter-key-10k     one key into the `/` filter at 10,000 pods,
//                                            reduced and drawn
//   PodBench --perf-guard sort-key-10k       `P` (sort by $/h) at 10,000 pods, reduced and
//                                            drawn
//   PodBench --perf-guard first-reply-10k    the session's first reply, of 10,000 pods:
//                                            decoded whole, reduced (indexes, sort, the
//                                            spend ledger's first edges), drawn
import Foundation
import PodAPI
import PodClient
import PodTUICore

enum PerfGuard {
    /// The cases, by the name the script and the baseline file use.
    static let cases = ["changed-pod-1k", "filter-key-10k", "sort-key-10k", "first-reply-10k"]

    /// Runs one case; false for an unknown name.
    static func run(_ name: String) -> Bool {
        switch name {
        case "changed-pod-1k": changedPod()
        case "filter-key-10k": filterKey()
        case "sort-key-10k": sortKey()
        case "first-reply-10k": firstReply()
        default: return false
        }
        return true
    }

    static let clock = Date(timeIntervalSince1970: 1_800_000_000)
    static let screen = Size(width: 120, height: 40)

    /// What the runtime keeps between polls of a changing fleet: the last reply's print (the
    /// client's cache) and the state they were reduced into.
    struct Poll {
        var lastPrint = BodyPrint(Data(), seed: 7)
        var memo = PodListMemo()
        var state: AppState
    }

    /// The client's path for a list reply (`HTTPPodService.fetchList`: an identical print reuses
    /// the last decode, else the fast path with its memo of the last list's pods), then the
    /// store's (tick, reply) and the frame.
    static func poll(_ poll: inout Poll, _ body: Data, at seconds: Double) -> Screen {
        let now = clock.addingTimeInterval(seconds)
        let pods: [Pod]
        let print = BodyPrint(body, seed: 7)
        if print == poll.lastPrint {
            pods = poll.state.fleet.allPods
        } else {
            pods = PodListFastPath.decode(body, memo: &poll.memo) ?? []
            poll.lastPrint = print
        }
        _ = Reducer.reduce(&poll.state, .tick(now))
        _ = Reducer.reduce(&poll.state, .podsLoaded(generation: poll.state.connection.generation, PodList(pods: pods), now))
        return Render.render(poll.state, size: screen)
    }

    /// A 1,000-pod fleet polled twice (the second reply with one pod changed, so the path is
    /// warm), then the counted poll: a third reply with another pod changed.
    static func changedPod() {
        var pods = PerfGuard.pods(1_000)
        var state = AppState(endpoint: "api.yottalabs.ai", interval: 2, now: clock)
        _ = Reducer.reduce(&state, .start(clock))
        _ = Reducer.reduce(&state, .pageSize(Render.listRows(for: state, size: screen)))
        var kept = Poll(state: state)
        blackHole(poll(&kept, reply(pods), at: 0))
        pods[10].status = .pausing
        blackHole(poll(&kept, reply(pods), at: 2))
        pods[500].status = .paused
        let next = reply(pods)
        countedChangedPod(&kept, next)
        precondition(kept.state.fleet.allPods.count == 1_000 && kept.state.fleet.allPods[500].status == .paused)
    }

    /// 10,000 pods loaded and drawn, `/9` typed (and a key typed and erased, so the path is
    /// warm), then the counted keystroke: `9` again, making the filter `99`.
    static func filterKey() {
        var state = AppState(endpoint: "api.yottalabs.ai", interval: 2, now: clock)
        _ = Reducer.reduce(&state, .start(clock))
        _ = Reducer.reduce(&state, .podsLoaded(generation: 1, PodList(pods: pods(10_000)), clock))
        _ = Reducer.reduce(&state, .pageSize(Render.listRows(for: state, size: screen)))
        for key in [Key.char("/"), .char("9"), .char("1"), .backspace] {
            _ = Reducer.reduce(&state, .key(key, clock))
            blackHole(Render.render(state, size: screen))
        }
        countedFilterKey(&state)
        precondition(state.fleet.filter.text == "99", "the filter is \(state.fleet.filter.text)")
    }

    /// 10,000 pods loaded and drawn, sorted by name and by $/h once each (so the path is
    /// warm), then the counted keystroke: `P`, the list by $/h in the other direction.
    static func sortKey() {
        var state = AppState(endpoint: "api.yottalabs.ai", interval: 2, now: clock)
        _ = Reducer.reduce(&state, .start(clock))
        _ = Reducer.reduce(&state, .podsLoaded(generation: 1, PodList(pods: pods(10_000)), clock))
        _ = Reducer.reduce(&state, .pageSize(Render.listRows(for: state, size: screen)))
        for key in [Key.char("N"), .char("P")] {
            _ = Reducer.reduce(&state, .key(key, clock))
            blackHole(Render.render(state, size: screen))
        }
        let before = state.fleet.sort
        countedSortKey(&state)
        precondition(state.fleet.sort != before, "the sort did not change")
    }

    /// A started session with its (empty) ledger read, then the counted first reply of 10,000
    /// pods: podtui's share of "first list request → full list on screen".
    static func firstReply() {
        var state = AppState(endpoint: "api.yottalabs.ai", interval: 2, now: clock)
        state.spend.session = "0f8e9c4a-1b2d-4e6f-8a9b-0c1d2e3f4a5b"   // as TUIApp makes it: a UUID
        _ = Reducer.reduce(&state, .start(clock))
        _ = Reducer.reduce(&state, .ledgerLoaded(.success([])))
        _ = Reducer.reduce(&state, .pageSize(Render.listRows(for: state, size: screen)))
        countedFirstReply(&state, reply(pods(10_000)))
        precondition(state.fleet.allPods.count == 10_000 && state.spend.total.count == 10_000)
    }

    /// The list reply's bytes as the API sends them.
    static func reply(_ pods: [Pod]) -> Data {
        struct Envelope: Encodable { let message = "success"; let code = 10000; let data: [Pod] }
        return (try? JSONEncoder.api.encode(Envelope(data: pods))) ?? Data()
    }

    /// The benchmarks' fleet (`listReply`), as pods.
    static func pods(_ count: Int) -> [Pod] { benchPods(count) }
}

/// The counted poll of `changed-pod-1k`.
@_silgen_name("podtui_perf_changed_pod")
@inline(never)
func countedChangedPod(_ kept: inout PerfGuard.Poll, _ body: Data) {
    blackHole(PerfGuard.poll(&kept, body, at: 4))
}

/// The counted reply of `first-reply-10k`: the client's path with nothing kept yet (the
/// reply's print made, every pod decoded), the store's reduction, the frame. Written out
/// rather than through `PerfGuard.poll`: two counted functions with the same body are merged
/// by the optimizer, and callgrind then finds neither name.
@_silgen_name("podtui_perf_first_reply")
@inline(never)
func countedFirstReply(_ state: inout AppState, _ body: Data) {
    var memo = PodListMemo()
    blackHole(BodyPrint(body, seed: 7))
    let pods = PodListFastPath.decode(body, memo: &memo) ?? []
    _ = Reducer.reduce(&state, .podsLoaded(generation: state.connection.generation, PodList(pods: pods), PerfGuard.clock))
    blackHole(Render.render(state, size: PerfGuard.screen))
    blackHole(memo)
}

/// The counted keystroke of `sort-key-10k`.
@_silgen_name("podtui_perf_sort_key")
@inline(never)
func countedSortKey(_ state: inout AppState) {
    _ = Reducer.reduce(&state, .key(.char("P"), PerfGuard.clock))
    blackHole(Render.render(state, size: PerfGuard.screen))
    blackHole(state.fleet.sort)
}

/// The counted keystroke of `filter-key-10k`.
@_silgen_name("podtui_perf_filter_key")
@inline(never)
func countedFilterKey(_ state: inout AppState) {
    _ = Reducer.reduce(&state, .key(.char("9"), PerfGuard.clock))
    blackHole(Render.render(state, size: PerfGuard.screen))
}
