// Micro-benchmarks of the hot paths: decoding a list reply, reducing and rendering a frame,
// a filter keystroke, a sort, and the frame diff that decides what curses redraws.
// Each reports time (swift-benchmark) and heap allocations per iteration ("allocs").
//
//   scripts/bench                       # release build, full run
//   scripts/bench --short               # debug build, 3 iterations each (what CI runs)
import AllocCounter
import Benchmark
import Foundation
import PodAPI
import PodClient
import PodTUICore

// `scripts/perf-guard`: one counted case under callgrind, instead of the benchmarks.
if let flag = CommandLine.arguments.firstIndex(of: "--perf-guard") {
    let name = CommandLine.arguments.dropFirst(flag + 1).first ?? ""
    guard PerfGuard.run(name) else {
        FileHandle.standardError.write(Data("PodBench: --perf-guard needs one of \(PerfGuard.cases.joined(separator: ", "))\n".utf8))
        exit(2)
    }
    exit(0)
}

/// A list reply of `count` pods as the API sends it (envelope, ids above 2^53, env vars).
func listReply(_ count: Int) -> Data {
    struct Envelope: Encodable { let message = "success"; let code = 10000; let data: [Pod] }
    return (try? JSONEncoder.api.encode(Envelope(data: benchPods(count)))) ?? Data()
}

func decodeList(_ data: Data) -> [Pod] {
    ((try? HTTPPodService.decodeReply(status: 200, body: data) as LossyArray<Pod>)?.elements) ?? []
}

let reply1k = listReply(1_000)
let reply10k = listReply(10_000)
let pods10k = decodeList(reply10k)
let now = Date(timeIntervalSince1970: 1_800_000_000)
let size = Size(width: 120, height: 40)

/// A state with 10,000 pods loaded and the page size of a 120×40 terminal.
func loaded() -> AppState {
    var state = AppState(endpoint: "api.yottalabs.ai", interval: 3, now: now)
    _ = Reducer.reduce(&state, .start(now))
    _ = Reducer.reduce(&state, .podsLoaded(generation: 1, PodList(pods: pods10k), now))
    _ = Reducer.reduce(&state, .pageSize(Render.listRows(for: state, size: size)))
    return state
}
let base10k = loaded()

/// Keeps a copy of the state, as the store does when it publishes each new state to the UI
/// thread: mutations then pay for copy-on-write exactly as they do in the app.
/// `nonisolated(unsafe)` is safe here: swift-benchmark runs every benchmark body one after
/// another on the main thread, and nothing else touches this variable.
nonisolated(unsafe) var published: AppState? = nil

/// Measures `body` and records its allocations per call as the "allocs" counter.
func measured(_ state: inout BenchmarkState, _ body: () -> Void) throws {
    let before = alloc_count()
    try state.measure(f: body)
    state.counters["allocs"] = Double(alloc_count() - before)
}

benchmark("decode list of 1,000 pods, JSONDecoder") { state in
    try measured(&state) { precondition(decodeList(reply1k).count == 1_000) }
}

benchmark("decode list of 1,000 pods, fast path") { state in
    try measured(&state) { precondition(PodListFastPath.decode(reply1k)?.count == 1_000) }
}

benchmark("decode list of 10,000 pods, fast path") { state in
    try measured(&state) { precondition(PodListFastPath.decode(reply10k)?.count == 10_000) }
}

/// Two replies that differ in one pod (its status), for the incremental decode: decoding
/// them in turn with one memo decodes one changed pod each time.
func twoReplies(_ count: Int) -> (Data, Data) {
    var pods = benchPods(count)
    struct Envelope: Encodable { let message = "success"; let code = 10000; let data: [Pod] }
    let first = (try? JSONEncoder.api.encode(Envelope(data: pods))) ?? Data()
    pods[count / 2].status = pods[count / 2].status == .paused ? .running : .paused
    return (first, (try? JSONEncoder.api.encode(Envelope(data: pods))) ?? Data())
}

for count in [1_000, 10_000] {
    let (first, second) = twoReplies(count)
    benchmark("decode list of \(count == 1_000 ? "1,000" : "10,000") pods, one changed, incremental") { state in
        var memo = PodListMemo()
        _ = PodListFastPath.decode(first, memo: &memo)
        var flip = false
        try measured(&state) {
            precondition(PodListFastPath.decode(flip ? first : second, memo: &memo)?.count == count)
            flip.toggle()
        }
    }
}

benchmark("decode list of 10,000 pods, JSONDecoder") { state in
    try measured(&state) { precondition(decodeList(reply10k).count == 10_000) }
}

// Baselines for the decoder figures: the same bytes through Foundation's JSON parser alone,
// and through JSONDecoder into a four-field struct.
benchmark("baseline: JSONSerialization of the 10,000-pod reply") { state in
    try measured(&state) { blackHole(try? JSONSerialization.jsonObject(with: reply10k)) }
}

struct MinimalPod: Decodable { let id: Int64; let name: String; let status: String; let gpuType: String }
struct MinimalEnvelope: Decodable { let code: Int; let data: [MinimalPod] }
benchmark("baseline: JSONDecoder of the 10,000-pod reply into 4-field structs") { state in
    try measured(&state) { blackHole(try? JSONDecoder().decode(MinimalEnvelope.self, from: reply10k)) }
}

// The first reply of a session: podtui's share of "first list request → full list on screen"
// (issue 29): the reply decoded with an empty memo, the first reduction (search records, the
// sort, the summary, the spend ledger's first edges) and the first frame.
benchmark("first reply of 10,000 pods: decode + reduce + render") { state in
    try measured(&state) {
        var memo = PodListMemo()
        guard let pods = PodListFastPath.decode(reply10k, memo: &memo) else { preconditionFailure("fast path declined") }
        var app = AppState(endpoint: "api.yottalabs.ai", interval: 3, now: now)
        app.spend.session = "bench"
        _ = Reducer.reduce(&app, .start(now))
        _ = Reducer.reduce(&app, .ledgerLoaded(.success([])))
        _ = Reducer.reduce(&app, .podsLoaded(generation: 1, PodList(pods: pods), now))
        blackHole(Render.render(app, size: size))
    }
}

benchmark("reduce + render an unchanged reply of 10,000 pods") { state in
    var app = base10k
    try measured(&state) {
        _ = Reducer.reduce(&app, .tick(now.addingTimeInterval(3)))
        _ = Reducer.reduce(&app, .podsLoaded(generation: app.connection.generation, PodList(pods: pods10k), now.addingTimeInterval(3)))
        blackHole(Render.render(app, size: size))
    }
}

benchmark("reduce + render after one of 10,000 pods changed") { state in
    var app = base10k
    var changed = pods10k
    var flip = false
    try measured(&state) {
        changed[5_000].status = flip ? .running : .pausing
        flip.toggle()
        _ = Reducer.reduce(&app, .tick(now.addingTimeInterval(3)))
        _ = Reducer.reduce(&app, .podsLoaded(generation: app.connection.generation, PodList(pods: changed), now.addingTimeInterval(3)))
        blackHole(Render.render(app, size: size))
    }
}

benchmark("render only, 10,000 pods at 120x40") { state in
    let app = base10k
    try measured(&state) { blackHole(Render.render(app, size: size)) }
}

benchmark("key Down + render, 10,000 pods") { state in
    var app = base10k
    try measured(&state) {
        _ = Reducer.reduce(&app, .key(.down, now))
        published = app
        blackHole(Render.render(app, size: size))
    }
}

benchmark("filter keystroke + render, 10,000 pods") { state in
    var app = base10k
    _ = Reducer.reduce(&app, .key(.char("/"), now))
    _ = Reducer.reduce(&app, .key(.char("9"), now))
    var flip = false
    try measured(&state) {
        // Alternates "9" and "99": each keystroke refilters all 10,000 pods.
        _ = Reducer.reduce(&app, .key(flip ? .backspace : .char("9"), now))
        published = app
        flip.toggle()
        blackHole(Render.render(app, size: size))
    }
}

benchmark("sort keystroke + render, 10,000 pods") { state in
    var app = base10k
    try measured(&state) {
        _ = Reducer.reduce(&app, .key(.char("P"), now))   // $/h, flips direction each time
        published = app
        blackHole(Render.render(app, size: size))
    }
}

benchmark("diff two frames at 120x40 (one row changed)") { state in
    var app = base10k
    let first = Render.render(app, size: size)
    _ = Reducer.reduce(&app, .key(.down, now))
    let second = Render.render(app, size: size)
    try measured(&state) { blackHole(second.changedRows(from: first)) }
}

@inline(never)
func blackHole<T>(_ value: T) { withExtendedLifetime(value) {} }

Benchmark.main()
