import Foundation
import Testing
import PodAPI
@testable import PodTUICore

/// Render snapshots: the pure view at fixed sizes, compared with string literals, plus
/// style masks for selection and status colours.
@Suite("Render snapshots")
struct RenderTests {
    func render(_ state: AppState, _ w: Int, _ h: Int) -> Screen { Render.render(state, size: Size(width: w, height: h)) }

    func assertSnapshot(_ screen: Screen, _ expected: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let actual = screen.text
        if actual != expected {
            Issue.record("snapshot differs; actual:\n\(actual)\n---", sourceLocation: sourceLocation)
        }
    }

    func loadedState(width: Int, height: Int) -> AppState {
        var state = Fixtures.loaded()
        state.nav.pageSize = Render.listRows(for: state, size: Size(width: width, height: height))
        return state
    }

    @Test("list at 80×24")
    func list80() {
        let state = loadedState(width: 80, height: 24)
        assertSnapshot(render(state, 80, 24), SNAP_LIST_80)
    }

    @Test("list at 120×40")
    func list120() {
        let state = loadedState(width: 120, height: 40)
        assertSnapshot(render(state, 120, 40), SNAP_LIST_120)
    }

    @Test("list at 40×10 drops columns and stays aligned")
    func list40() {
        let state = loadedState(width: 40, height: 10)
        assertSnapshot(render(state, 40, 10), SNAP_LIST_40)
    }

    @Test("detail masks env values until revealed")
    func detail() {
        var state = loadedState(width: 80, height: 24)
        _ = Reducer.reduce(&state, .key(.char("j"), Fixtures.now))
        _ = Reducer.reduce(&state, .key(.enter, Fixtures.now))
        let masked = render(state, 80, 24).text
        #expect(masked.contains("HF_TOKEN=••••••") && !masked.contains("hf_secret_value"))
        #expect(masked.contains("362740422811062272") && masked.contains("22/SSH → proxy 30003"))
        _ = Reducer.reduce(&state, .key(.char("e"), Fixtures.now))
        #expect(render(state, 80, 24).text.contains("HF_TOKEN=hf_secret_value"))
    }

    @Test("delete confirmation names the pod with Cancel focused")
    func confirm() {
        var state = loadedState(width: 80, height: 24)
        _ = Reducer.reduce(&state, .key(.char("d"), Fixtures.now))
        let screen = render(state, 80, 24)
        #expect(screen.text.contains("Delete broken") && screen.text.contains("[ Cancel ]  [ Delete ]"))
        let row = screen.lines.firstIndex { $0.contains("[ Cancel ]") }!
        let col = screen.lines[row].distance(from: screen.lines[row].startIndex, to: screen.lines[row].range(of: "[ Cancel ]")!.lowerBound)
        #expect(screen[row, col].style.reverse)
    }

    @Test("style mask: the selected row is reversed, statuses coloured")
    func styleMask() {
        let state = loadedState(width: 80, height: 24)
        let screen = render(state, 80, 24)
        let mask = screen.mask { cell in
            if cell.style.reverse { return "R" }
            switch cell.style.color {
            case .good: return "g"
            case .bad: return "b"
            case .busy: return "y"
            case .paused: return "p"
            default: return "."
            }
        }.split(separator: "\n").map(String.init)
        #expect(mask[2].allSatisfy { $0 == "R" })        // selected row (broken) fully reversed
        #expect(mask[3].contains("ggggggggg."))            // llama-ft-7 "● RUNNING" in green, not its padding
        #expect(mask[4].contains("yyyyyyyyyyyy"))          // qwen-eval INITIALIZE in yellow
        #expect(mask[5].contains("pppppppp"))              // sd-xl-train PAUSED
    }

    @Test("hostile names: no control characters reach a cell, width stays aligned")
    func hostile() {
        let evil = Fixtures.pod(9_007_199_254_740_993, "日本語😀evil\u{1B}]52;c;ZXZpbA==\u{07}\u{1B}[2J\u{202E}é", .running)
        var state = Fixtures.loaded(Fixtures.pods + [evil])
        state.nav.pageSize = 10
        let screen = render(state, 80, 24)
        for cell in screen.cells {
            #expect(!cell.text.unicodeScalars.contains { TextSafety.isUnsafe($0) })
        }
        guard let row = screen.lines.first(where: { $0.contains("evil") }) else { Issue.record("no evil row:\n\(screen.text)"); return }
        #expect(row.contains("日本語😀"))
        #expect(DisplayWidth.of(row) <= 80)
    }

    @Test("stale header and no-data header")
    func staleHeader() {
        var state = Fixtures.loaded()
        _ = Reducer.reduce(&state, .tick(Fixtures.now.addingTimeInterval(1)))
        _ = Reducer.reduce(&state, .podsFailed(generation: 2, .http(status: 503, body: ""), Fixtures.now.addingTimeInterval(1)))
        #expect(render(state, 120, 40).lines[0].contains("stale: retrying in 3s (HTTP 503)"))
        var empty = AppState(endpoint: "x", now: Fixtures.now)
        _ = Reducer.reduce(&empty, .start(Fixtures.now))
        _ = Reducer.reduce(&empty, .podsFailed(generation: 1, .unauthorized(httpStatus: 401, detail: ""), Fixtures.now))
        #expect(render(empty, 140, 24).text.contains("Cannot load pods: API key rejected (HTTP 401): check YOTTA_API_KEY or ~/.yotta/config"))
    }

    @Test("every size from 1×1 to 200×60 renders without crashing", arguments: [1, 2, 10, 19, 20, 39, 40, 60, 80, 120, 200])
    func sizes(_ width: Int) {
        let state = Fixtures.loaded()
        for height in [1, 3, 5, 9, 10, 24, 60] {
            let screen = render(state, width, height)
            #expect(screen.lines.allSatisfy { DisplayWidth.of($0) <= width })
        }
    }

    @Test("the list position never covers a column title (seen at 60 columns over ssh)")
    func positionIndicator() {
        let many = (0..<12).map { Fixtures.pod(362_740_422_811_063_000 + Int64($0), "pod-\($0)", .running) }
        var state = Fixtures.loaded(many)
        state.nav.pageSize = Render.listRows(for: state, size: Size(width: 60, height: 15))
        let header = render(state, 60, 15).lines[1]
        #expect(header.contains("$/H") && !header.contains("/12"))
    }

    @Test("display width of wide, combining and control characters")
    func widths() {
        #expect(DisplayWidth.of("abc") == 3)
        #expect(DisplayWidth.of("日本") == 4)
        #expect(DisplayWidth.of("😀") == 2)
        #expect(DisplayWidth.of("e\u{301}") == 1)
        #expect(DisplayWidth.truncate("日本語テキスト", to: 7) == "日本語…")
        #expect(TextSafety.clean("a\u{1B}[31mb") == "a\u{FFFD}[31mb")
    }
}

/// Pods in the shapes the real API can send (issue 11): no name, no GPU type.
@Suite("Odd pod shapes on screen")
struct OddPodTests {
    static let nameless = Pod(id: 362_740_422_811_069_999, name: nil, status: .running, gpuType: "NVIDIA_RTX_4090_24G",
                              gpuCount: 1, createdAt: Fixtures.now.addingTimeInterval(-600), region: "us-east-1", singleCardPrice: 0.39)
    static let cpu = Pod(id: 362_740_422_811_068_888, name: "data-prep-cpu", status: .running, gpuType: nil, gpuCount: 0,
                         createdAt: Fixtures.now.addingTimeInterval(-600), resourceType: "CPU", region: "us-west-1", singleCardPrice: 0.12)

    @Test("a nameless pod is listed dimmed as (unnamed) with its id, after the named ones; a CPU pod shows CPU")
    func listed() throws {
        var state = Fixtures.loaded(Fixtures.pods + [Self.nameless, Self.cpu])
        state.nav.pageSize = 20
        let screen = Render.render(state, size: Size(width: 120, height: 30))
        let lines = screen.text.split(separator: "\n").map(String.init)
        let unnamed = try #require(lines.firstIndex { $0.contains("(unnamed) 3627…9999") })
        let cpuRow = try #require(lines.firstIndex { $0.contains("data-prep-cpu") })
        #expect(lines[cpuRow].contains(" CPU "))
        #expect(unnamed > cpuRow, "nameless pods sort after named ones")
        #expect(lines[unnamed].hasPrefix(" (unnamed)"))
        #expect(screen[unnamed, 1].style.dim)   // column 0 is the selection mark
        #expect(state.fleet.pods.count == 6)
    }

    @Test("a nameless pod can be filtered, paused and named in messages by its id")
    func actions() {
        var state = Fixtures.loaded([Self.nameless])
        #expect(PodFilter("unnamed").matches(Self.nameless))
        #expect(PodFilter("9999").matches(Self.nameless))
        let effects = Reducer.reduce(&state, .key(.char("p"), Fixtures.now))
        #expect(effects == [.perform(.pause, podID: Self.nameless.id)])
        _ = Reducer.reduce(&state, .actionFinished(podID: Self.nameless.id, .pause, nil, Fixtures.now))
        #expect(state.message?.text.contains("pod 362740422811069999") == true)
        // Its clone starts without a name: the user picks one.
        #expect(CreateFormState.clone(of: Self.nameless).values[.name] == "")
        #expect(CreateFormState.clone(of: Self.cpu).values[.gpuType] == "")
    }

    @Test("a poll unanswered for max(5 s, interval) marks the data stale at once")
    func overduePoll() {
        var state = Fixtures.loaded()
        _ = Reducer.reduce(&state, .tick(Fixtures.now.addingTimeInterval(3)))   // interval 3: a poll starts
        #expect(state.connection.fetching)
        _ = Reducer.reduce(&state, .tick(Fixtures.now.addingTimeInterval(6)))
        #expect(!state.isStale && HeaderView.freshness(state).hasPrefix("updated"))
        _ = Reducer.reduce(&state, .tick(Fixtures.now.addingTimeInterval(8.1)))
        #expect(state.isStale)
        #expect(HeaderView.freshness(state) == "stale: no reply for 5s")
        // The reply arrives: fresh again.
        _ = Reducer.reduce(&state, .podsLoaded(generation: state.connection.generation, PodList(pods: Fixtures.pods), Fixtures.now.addingTimeInterval(9)))
        #expect(!state.isStale)
    }
}

/// Render is a pure function of (state, size): the time zone and the secrets to hide come in
/// through the state, nothing from the process.
@Suite("Render is pure")
struct RenderPurityTests {
    func detail(in zone: String) throws -> String {
        var state = Fixtures.loaded()
        let zone = try #require(TimeZone(identifier: zone))
        state.settings.timeZone = ZoneOffsets.sampled(from: Fixtures.now.addingTimeInterval(-86_400 * 400), to: Fixtures.now.addingTimeInterval(86_400)) {
            zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double($0)))
        }
        _ = Reducer.reduce(&state, .key(.enter, Fixtures.now))
        return Render.render(state, size: Size(width: 120, height: 40)).text
    }

    @Test("one state under two time zones gives the two expected screens")
    func timeZones() throws {
        let utc = try detail(in: "UTC"), tokyo = try detail(in: "Asia/Tokyo")
        // The selected pod is "broken", created 06:55 UTC and seen FAILED at 08:00 UTC.
        #expect(utc.contains("created      2027-01-15 06:55:00  (1h05m ago)"))
        #expect(utc.contains("2027-01-15 08:00:00  ✗ FAILED"))
        #expect(tokyo.contains("created      2027-01-15 15:55:00  (1h05m ago)"))
        #expect(tokyo.contains("2027-01-15 17:00:00  ✗ FAILED"))
        // Nothing else differs.
        #expect(utc.replacingOccurrences(of: "06:55:00", with: "15:55:00").replacingOccurrences(of: "08:00:00", with: "17:00:00") == tokyo)
    }

    @Test("secrets in the state's redactor never reach a cell, from any message")
    func redaction() {
        var state = Fixtures.loaded()
        state.settings.redactor.add("s3cr3t-password")
        state.message = Message("registry said: bad password s3cr3t-password", kind: .error, at: Fixtures.now)
        _ = Reducer.reduce(&state, .podsFailed(generation: state.connection.generation, .connection("proxy echoed s3cr3t-password"), Fixtures.now))
        Reducer.record(&state, nil, "event with s3cr3t-password", .bad)
        for view in [":events", ":pods"] {
            var s = state
            _ = InputReducer.run(&s, String(view.dropFirst()))
            let text = Render.render(s, size: Size(width: 120, height: 40)).text
            #expect(!text.contains("s3cr3t-password"), "\(view)")
        }
        #expect(Render.render(state, size: Size(width: 120, height: 40)).text.contains("<redacted>"))
    }
}
