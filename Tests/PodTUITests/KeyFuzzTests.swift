import Foundation
import Testing
import PodAPI
import PodProbe
import PodSim
@testable import PodTUICore

/// Fuzzing the key handling: 100,000 seeded random keys (and results arriving in between)
/// into every pane, overlay, the form and its pickers, rendering at random sizes from 1×1 to
/// 400×120 as it goes. Nothing may crash or loop, and every frame must hold only safe cells.
/// `PODTUI_FUZZ_ITERATIONS` scales the key count.
@Suite("Key fuzzing")
struct KeyFuzzTests {
    static let keys = ProcessInfo.processInfo.environment["PODTUI_FUZZ_ITERATIONS"].flatMap(Int.init).map { $0 * 25 } ?? 100_000

    /// Every kind of key, weighted toward the ones that change modes.
    static let vocabulary: [Key] = {
        var keys: [Key] = [.up, .down, .left, .right, .pageUp, .pageDown, .home, .end, .enter, .escape, .tab, .backTab,
                           .backspace, .delete, .insert, .resize, .unknown(-1), .unknown(410)]
        keys += (1...12).map(Key.function)
        keys += "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPRSTUVWXYZ0123456789 /:*$<>!?,.-_=\"'日本😀é\u{301}".map(Key.char)
        keys += "abcdefhiklnrstuwxy".map(Key.ctrl)   // not q/c (quit) or z (suspend, handled by the loop)
        keys += [.mouse(MouseEvent(.click, row: 3, col: 5)), .mouse(MouseEvent(.doubleClick, row: 2, col: 1)),
                 .mouse(MouseEvent(.wheelDown, row: 9, col: 9)), .mouse(MouseEvent(.click, row: 1, col: 70))]
        // Mode switches, often, so every pane and the form get keys.
        keys += Array(repeating: .char("n"), count: 6) + Array(repeating: .char("/"), count: 4)
            + Array(repeating: .char(":"), count: 4) + Array(repeating: .char("C"), count: 3)
        return keys
    }()

    func fleet() -> [Pod] {
        Fixtures.pods + [
            Fixtures.pod(9_007_199_254_740_993, "日本語😀\u{1B}]52;c;eA==\u{07}\u{202E}evil", .unknown("WEIRD")),
            Fixtures.pod(5, String(repeating: "x", count: 255), .terminating, price: nil),
        ]
    }

    @Test("100,000 random keys into every pane and the form never crash, and quit only when asked")
    func randomKeys() async {
        var rng = SeededRandom(seed: 7)
        var state = Fixtures.loaded(fleet())
        state.settings.probesAvailable = true
        _ = Reducer.reduce(&state, .gpuTypesLoaded(.success(FormFixtures.types)))
        _ = Reducer.reduce(&state, .credentialsLoaded(.success(FormFixtures.credentials)))
        var now = Fixtures.now
        var modes: Set<String> = []
        for i in 0..<Self.keys {
            // 50 s of keys on one thread of the cooperative pool (two on 2 cores): yield now
            // and then, so the async tests beside it (stores, sockets) are not starved.
            if i % 500 == 0 { await Task.yield() }
            now = now.addingTimeInterval(0.01)
            if i % 1_000 == 500 {
                // Now and then a whole command, so the views behind `:` get their share.
                let script = [":gpus\r", ":events\r", ":sort age desc\r", ":filter gpu:h100 !x\r", ":pods\r", ":profile x\r", ":volumes\r", ":credentials\r", ":probe on\r", ":filter idle:yes\r", ":probe off\r"]
                for k in [Key.escape, .escape, .char("n"), .escape, .char("y"), .escape] { _ = Reducer.reduce(&state, .key(k, now)) }
                for c in script[Int(rng.next() % UInt64(script.count))] {
                    for effect in Reducer.reduce(&state, .key(c == "\r" ? .enter : .char(c), now)) { answer(effect, &state, &rng, now) }
                }
                modes.insert(mode(state))
            }
            let key = Self.vocabulary[Int(rng.next() % UInt64(Self.vocabulary.count))]
            let effects: [Effect]
            if case .mouse(let event) = key {
                effects = Reducer.reduce(&state, .mouse(event, now))
            } else {
                effects = Reducer.reduce(&state, .key(key, now))
            }
            // Answer the I/O the reducer asked for, sometimes with a failure.
            for effect in effects { answer(effect, &state, &rng, now) }
            if state.shouldQuit {
                // Only quit commands may get here (":q…" typed, or a confirmed discard-and-quit).
                state.shouldQuit = false
            }
            modes.insert(mode(state))
            // Step aside now and then: a long synchronous loop would hold a cooperative
            // thread that other tests' simulators need.
            if i % 500 == 0 { await Task.yield() }
            if i % 97 == 0 {
                let size = Size(width: Int(rng.next() % 401), height: Int(rng.next() % 121))
                let screen = Render.render(state, size: size)
                #expect(screen.lines.count == size.height)
                if i % 970 == 0 {
                    for cell in screen.cells { #expect(!cell.text.unicodeScalars.contains(where: TextSafety.isUnsafe)) }
                }
            }
        }
        // The walk reached every pane, overlay and the form's picker.
        for expected in ["list", "detail", "help", "form", "picker", "filter", "command", "gpus", "events", "volumes", "credentials", "editor"] {
            #expect(modes.contains(expected), "never reached \(expected)")
        }
    }

    func answer(_ effect: Effect, _ state: inout AppState, _ rng: inout SeededRandom, _ now: Date) {
        let fail = rng.next() % 4 == 0
        switch effect {
        case .fetchPods(let generation, _):
            _ = fail ? Reducer.reduce(&state, .podsFailed(generation: generation, .http(status: 503, body: ""), now))
                     : Reducer.reduce(&state, .podsLoaded(generation: generation, PodList(pods: fleet()), now))
        case .perform(let action, let id):
            _ = Reducer.reduce(&state, .actionFinished(podID: id, action, fail ? .timeout(seconds: 1) : nil, now))
        case .loadCatalog:
            _ = Reducer.reduce(&state, .gpuTypesLoaded(fail ? .failure(.connection("x")) : .success(FormFixtures.types)))
        case .createPod(let request):
            _ = fail ? Reducer.reduce(&state, .createFailed(.api(httpStatus: 400, code: 10001, message: "name: taken", podID: nil), now))
                     : Reducer.reduce(&state, .podCreated(Fixtures.pod(Int64(rng.next() % 1_000_000) + 10, request.name, .initializing), now))
        case .switchProfile:
            _ = Reducer.reduce(&state, .profileFailed("no profiles", now))
        case .fetchRaw(let id):
            _ = Reducer.reduce(&state, .rawLoaded(podID: id, fail ? .failure(.notFound(podID: id))
                                                       : .success(#"{"code":10000,"data":{"id":\#(id),"name":"x\u001b]52;c;x\u0007","extra":[1,{"k":null}]}}"#)))
        case .openURL(let url):
            _ = Reducer.reduce(&state, .notice("opened \(url)", isError: fail, now))
        case .writeSSHConfig(_, let hosts):
            _ = Reducer.reduce(&state, .notice("wrote \(hosts)", isError: fail, now))
        case .loadVolumes:
            _ = Reducer.reduce(&state, .volumesLoaded(fail ? .failure(.connection("x")) : .success(VolumeList(volumes: FormFixtures.volumes))))
        case .loadCredentials:
            _ = Reducer.reduce(&state, .credentialsLoaded(fail ? .failure(.connection("x")) : .success(FormFixtures.credentials)))
        case .loadLedger:
            _ = Reducer.reduce(&state, .ledgerLoaded(fail ? .failure(ExternalFailure("unreadable")) : .success([])))
        case .ledgerAppend, .addTimers, .cancelTimers, .saveTemplate, .saveIdleClocks:
            break
        case .loadTemplates:
            _ = Reducer.reduce(&state, .templatesLoaded(["t1"]))
        case .openTemplate(let name):
            _ = Reducer.reduce(&state, .templateLoaded(name: name, fail ? .failure(ExternalFailure("no template"))
                                                        : .success(TemplateData(request: PodV2CreateRequest(name: "x", image: "y", gpuType: "z"), references: ["K"]))))
        case .loadTimers:
            _ = Reducer.reduce(&state, .timersLoaded(.success([])))
        case .fireDueTimers:
            _ = Reducer.reduce(&state, .timersFired([], now))
        case .loadIdleClocks:
            _ = Reducer.reduce(&state, .idleClocksLoaded([:]))
        case .startForward(let request):
            _ = Reducer.reduce(&state, .forwardEvent(id: request.id, fail ? .ended("bind: \u{1b}[31m taken") : .started(local: request.ports.local), now))
        case .stopForward(let id):
            _ = Reducer.reduce(&state, .forwardEvent(id: id, .ended(""), now))
        case .runPlugin(let run):
            _ = Reducer.reduce(&state, .pluginFinished(id: run.id, PluginResult(status: fail ? 1 : 0, output: ["\u{1b}]52;c;x\u{07}"], timedOut: fail), now))
        case .fetchMetrics(let requests):
            for request in requests {
                let series = MetricSeries(labels: ["gpu_show_index": "0", "x": "\u{1b}]52;c;x\u{07}"],
                                          points: [MetricPoint(time: now, value: Double(rng.next() % 300) - 100), MetricPoint(time: now.addingTimeInterval(-30), value: nil)],
                                          latestTotal: rng.next() % 2 == 0 ? 1e300 : -1)
                let result: MetricsResult = switch rng.next() % 4 {
                case 0: .failed("HTTP 503", retryAfter: 1e300)
                case 1: .answer(.notAvailable("HTTP 404"))
                case 2: .answer(.noData)
                default: .answer(.data(PodMetrics(name: nil, series: [series])))
                }
                _ = Reducer.reduce(&state, .metricsLoaded(request, result, now))
            }
        case .probe(let jobs):
            for job in jobs {
                let result: Result<ProbeReport, ProbeFailure> = fail ? .failure(ProbeFailure(.authRefused, "Permission denied \u{1b}[31m"))
                    : .success(ProbeReport(tool: .nvidia, gpus: [GPUReading(index: 0, utilization: Double(rng.next() % 101), memoryUsedMiB: 1, memoryTotalMiB: 2)]))
                _ = Reducer.reduce(&state, .probed(podID: job.podID, result, now))
            }
        case .storage(let request):
            _ = Reducer.reduce(&state, .storageFinished(request, fail ? .failure(.api(httpStatus: 200, code: 12001, message: "in use", podID: nil))
                                                                 : .success(.created(id: 77)), now))
        }
        if let external = state.io.external {
            _ = Reducer.reduce(&state, .externalFinished(seq: external.seq, .success(0), now))
        }
    }

    func mode(_ state: AppState) -> String {
        if state.storage.editor != nil { return "editor" }
        if state.form?.picker != nil { return "picker" }
        if state.form != nil { return "form" }
        if state.nav.overlay == .help { return "help" }
        if let input = state.nav.input { return input.kind == .filter ? "filter" : "command" }
        if state.nav.view != .pods { return state.nav.view.rawValue }
        return state.nav.focus == .detail ? "detail" : "list"
    }
}
