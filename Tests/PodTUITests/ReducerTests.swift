import Foundation
import Testing
import PodAPI
@testable import PodTUICore

@Suite("Reducer: keys to state and effects")
struct ReducerTests {
    let now = Fixtures.now

    func key(_ state: inout AppState, _ k: Key) -> [Effect] { Reducer.reduce(&state, .key(k, now)) }

    @Test("start fetches; a tick while a fetch is in flight does nothing")
    func noOverlappingPolls() {
        var state = AppState(endpoint: "x", now: now)
        #expect(Reducer.reduce(&state, .start(now)) == [.fetchPods(generation: 1, ServerQuery())])
        #expect(Reducer.reduce(&state, .tick(now.addingTimeInterval(30))) == [])
        _ = Reducer.reduce(&state, .podsLoaded(generation: 1, PodList(pods: Fixtures.pods), now))
        // A pod is initializing: the next poll comes after 1 s, not the 3 s interval.
        #expect(Reducer.reduce(&state, .tick(now.addingTimeInterval(0.5))) == [])
        #expect(Reducer.reduce(&state, .tick(now.addingTimeInterval(1))) == [.fetchPods(generation: 2, ServerQuery())])
    }

    @Test("steady fleets poll at the configured interval")
    func steadyInterval() {
        var state = Fixtures.loaded(Fixtures.pods.filter { !$0.status.isTransitional })
        #expect(Reducer.reduce(&state, .tick(now.addingTimeInterval(2))) == [])
        #expect(Reducer.reduce(&state, .tick(now.addingTimeInterval(3))) == [.fetchPods(generation: 2, ServerQuery())])
    }

    @Test("stale replies are dropped")
    func staleDropped() {
        var state = Fixtures.loaded()
        _ = Reducer.reduce(&state, .tick(now.addingTimeInterval(5)))   // generation 2 in flight
        _ = Reducer.reduce(&state, .podsLoaded(generation: 1, PodList(pods: []), now))
        #expect(state.fleet.pods.count == 4 && state.connection.fetching)
    }

    @Test("failures keep the data, mark it stale and back off")
    func backoff() {
        var state = Fixtures.loaded()
        _ = Reducer.reduce(&state, .tick(now.addingTimeInterval(1)))
        let failedAt = now.addingTimeInterval(1)
        _ = Reducer.reduce(&state, .podsFailed(generation: 2, .http(status: 503, body: ""), failedAt))
        #expect(state.fleet.pods.count == 4 && state.isStale)
        #expect(state.connection.nextPoll == failedAt.addingTimeInterval(3))
        _ = Reducer.reduce(&state, .tick(failedAt.addingTimeInterval(3)))
        _ = Reducer.reduce(&state, .podsFailed(generation: 3, .http(status: 503, body: ""), failedAt.addingTimeInterval(3)))
        #expect(state.connection.nextPoll == failedAt.addingTimeInterval(3 + 4))
        #expect(Reducer.backoff(failures: 9, error: .timeout(seconds: 1), interval: 3) == 60)
        #expect(Reducer.backoff(failures: 1, error: .rateLimited(retryAfter: 20), interval: 3) == 20)
        #expect(HeaderView.freshness(state) == "stale: retrying in 4s (HTTP 503)")
    }

    @Test("the selection stays on the same pod when rows reorder, and moves to a neighbour when it vanishes")
    func selectionKept() {
        var state = Fixtures.loaded()
        #expect(state.selectedPod?.name == "broken")   // sorted by name
        _ = key(&state, .char("j"))
        _ = key(&state, .char("j"))
        #expect(state.selectedPod?.name == "qwen-eval")
        var renamed = Fixtures.pods
        renamed[0].name = "aaa-first"
        _ = Reducer.reduce(&state, .podsLoaded(generation: 1, PodList(pods: renamed.reversed()), now))
        #expect(state.selectedPod?.name == "qwen-eval")
        _ = Reducer.reduce(&state, .podsLoaded(generation: 1, PodList(pods: renamed.filter { $0.name != "qwen-eval" }), now))
        #expect(state.selectedPod?.name == "sd-xl-train")
    }

    @Test("pause on a RUNNING pod sends one request and marks it pending; a second p sends nothing")
    func pause() {
        var state = Fixtures.loaded()
        _ = key(&state, .char("j"))   // llama-ft-7
        #expect(key(&state, .char("p")) == [.perform(.pause, podID: 362_740_422_811_062_272)])
        #expect(state.fleet.pending[362_740_422_811_062_272] == .pause)
        #expect(key(&state, .char("p")) == [])
        #expect(state.message?.text.contains("already in progress") == true)
        let effects = Reducer.reduce(&state, .actionFinished(podID: 362_740_422_811_062_272, .pause, nil, now))
        #expect(state.fleet.pending.isEmpty && effects == [.fetchPods(generation: 2, ServerQuery())])
    }

    @Test("a refused action explains why and sends nothing")
    func refused() {
        var state = Fixtures.loaded()
        _ = key(&state, .char("G"))   // sd-xl-train, PAUSED
        #expect(key(&state, .char("p")) == [])
        #expect(state.message == Message("Pod is PAUSED; pause needs RUNNING", kind: .error, at: now))
        state.settings.readOnly = true
        #expect(key(&state, .char("r")) == [])
        #expect(state.message?.text == "Read-only mode: resume is disabled")
    }

    @Test("delete asks first: y confirms, n/Esc cancel, Enter picks the focused button (Cancel)")
    func deleteConfirmation() {
        var state = Fixtures.loaded()
        let id = state.nav.selectedID!
        #expect(key(&state, .char("d")) == [])
        #expect(state.nav.overlay == .confirmDelete(podID: id, name: "broken", deleteFocused: false))
        #expect(key(&state, .escape) == [] && state.nav.overlay == nil)
        _ = key(&state, .char("d"))
        #expect(key(&state, .char("n")) == [] && state.nav.overlay == nil)
        _ = key(&state, .char("d"))
        #expect(key(&state, .enter) == [] && state.nav.overlay == nil)
        _ = key(&state, .char("d"))
        _ = key(&state, .tab)
        #expect(key(&state, .enter) == [.perform(.delete, podID: id)])
        state.fleet.pending = [:]
        _ = key(&state, .char("d"))
        #expect(key(&state, .char("y")) == [.perform(.delete, podID: id)])
    }

    @Test("a failed action says so and is not repeated")
    func failedAction() {
        var state = Fixtures.loaded()
        _ = key(&state, .char("j"))
        _ = key(&state, .char("p"))
        let effects = Reducer.reduce(&state, .actionFinished(podID: 362_740_422_811_062_272, .pause, .http(status: 500, body: ""), now))
        #expect(effects == [])
        #expect(state.message?.kind == .error && state.message?.text.contains("not retried") == true)
    }

    @Test("Enter opens detail, Esc goes back, e reveals env, ? toggles help, q quits")
    func navigation() {
        var state = Fixtures.loaded()
        _ = key(&state, .enter)
        #expect(state.nav.focus == .detail)
        _ = key(&state, .char("e"))
        #expect(state.nav.revealEnv)
        _ = key(&state, .escape)
        #expect(state.nav.focus == .list && !state.nav.revealEnv)
        _ = key(&state, .char("?"))
        #expect(state.nav.overlay == .help)
        _ = key(&state, .char("x"))
        #expect(state.nav.overlay == nil)
        _ = key(&state, .ctrl("c"))
        #expect(state.shouldQuit)
    }

    @Test("status history records each change once")
    func history() {
        var state = Fixtures.loaded()
        var pods = Fixtures.pods
        pods[2].status = .running
        _ = Reducer.reduce(&state, .podsLoaded(generation: 1, PodList(pods: pods), now.addingTimeInterval(20)))
        _ = Reducer.reduce(&state, .podsLoaded(generation: 1, PodList(pods: pods), now.addingTimeInterval(21)))
        #expect(state.fleet.history[362_740_422_811_062_274]?.map(\.status) == [.initializing, .running])
    }

    @Test("bindings table: every command has a key; footer items come from it")
    func bindings() {
        let commands = Set(KeyBindings.all.map(\.command))
        #expect(commands == Set(Command.allCases))
        var seen = Set<String>()
        for binding in KeyBindings.all {
            for key in binding.keys {
                for mode in binding.modes { #expect(seen.insert("\(mode)-\(key)").inserted, "\(key) bound twice in \(mode)") }
            }
        }
        #expect(KeyBindings.conflicts(KeyBindings.all).isEmpty)
        #expect(KeyBindings.all.first { $0.command == .delete }?.dangerous == true)
        // Every mode has bindings, and every mode a person can be in has a footer.
        for mode in Mode.allCases { #expect(!KeyBindings.bindings(in: mode).isEmpty, "\(mode)") }
    }
}

@Suite("Effect results carry the epoch they were started under")
struct EpochTests {
    @Test("after a :profile switch, results of work started before it are dropped")
    func staleResultsDropped() {
        var state = Fixtures.loaded()
        let pod = Fixtures.pods[0]
        _ = Reducer.reduce(&state, .key(.char("p"), Fixtures.now))
        #expect(state.fleet.pending[pod.id] == nil || state.fleet.pending.count == 1)
        let before = state.epoch
        _ = Reducer.reduce(&state, .tagged(epoch: before, .profileSwitched(name: "b", endpoint: "b.example", readOnly: false,
                                                                         secrets: Redactor(["key-of-profile-b"]), Fixtures.now)))
        #expect(state.epoch == before + 1)
        #expect(state.settings.redactor.secrets == ["key-of-profile-b"])
        // The old account's catalogue, action result and create reply arrive late: ignored.
        _ = Reducer.reduce(&state, .tagged(epoch: before, .gpuTypesLoaded(.success([GPUType(gpuType: "OLD", regions: [])]))))
        #expect(state.catalog.gpuTypes.value == nil)
        _ = Reducer.reduce(&state, .tagged(epoch: before, .actionFinished(podID: pod.id, .pause, nil, Fixtures.now)))
        #expect(state.message?.text.contains("paused") != true && state.message?.text.contains("pause requested") != true)
        _ = Reducer.reduce(&state, .tagged(epoch: before, .podCreated(pod, Fixtures.now)))
        #expect(state.fleet.allPods.isEmpty)
        // The new account's results apply.
        _ = Reducer.reduce(&state, .tagged(epoch: state.epoch, .gpuTypesLoaded(.success([GPUType(gpuType: "NEW", regions: [])]))))
        #expect(state.catalog.gpuTypes.value?.map(\.gpuType) == ["NEW"])
    }
}

@Suite("One bindings table for every mode")
struct BindingTableTests {
    func press(_ state: inout AppState, _ keys: [Key]) -> [Effect] {
        var effects: [Effect] = []
        for key in keys { effects += Reducer.reduce(&state, .key(key, Fixtures.now)) }
        return effects
    }

    @Test("remapping quit applies in every mode: from help, a remapped q no longer quits")
    func remapQuitEverywhere() {
        var state = Fixtures.loaded()
        state.settings.keymap = [.quit: [.ctrl("q")]]
        _ = press(&state, [.char("?")])
        #expect(Mode.of(state) == .help)
        _ = press(&state, [.char("q")])
        #expect(!state.shouldQuit && state.nav.overlay == nil, "q only closes help now")
        _ = press(&state, [.char("?"), .ctrl("q")])
        #expect(state.shouldQuit)
        // In the delete confirmation too.
        var confirm = Fixtures.loaded()
        confirm.settings.keymap = [.quit: [.ctrl("q")]]
        _ = press(&confirm, [.char("d")])
        #expect(Mode.of(confirm) == .confirmDelete)
        _ = press(&confirm, [.ctrl("c")])
        #expect(!confirm.shouldQuit)
        _ = press(&confirm, [.ctrl("q")])
        #expect(confirm.shouldQuit)
    }

    @Test("form keys come from the table and can be remapped")
    func formKeysRemapped() {
        var state = Fixtures.loaded()
        state.settings.keymap = [.submit: [.function(9)], .nextField: [.tab]]
        _ = press(&state, [.char("n")])
        #expect(Mode.of(state) == .form)
        _ = press(&state, [.down])   // no longer next field: ignored by a text field
        #expect(state.form?.focus == .field(.name))
        _ = press(&state, [.tab])
        #expect(state.form?.focus == .field(.image))
        _ = press(&state, [.ctrl("s")])
        #expect(state.message?.text.hasPrefix("Not sent") != true, "^S no longer submits")
        _ = press(&state, [.function(9)])
        #expect(state.message?.text.hasPrefix("Not sent") == true)
        // The footer and the help box say the new key.
        #expect(KeyBindings.footerItems(state).contains { $0.key == "F9" && $0.label == "create" })
    }

    @Test("the footer and the help box list the current mode's bindings")
    func footerFollowsMode() {
        var state = Fixtures.loaded()
        #expect(KeyBindings.footerItems(state).map(\.label).contains("pause"))
        _ = press(&state, [.char("d")])
        #expect(KeyBindings.footerItems(state).map(\.label) == ["delete", "cancel", "switch button", "choose"])
        _ = press(&state, [.escape, .char("/")])
        #expect(KeyBindings.footerItems(state).map(\.label).starts(with: ["keep filter", "clear", "move"]))
        let help = Render.render({ var s = Fixtures.loaded(); _ = press(&s, [.char("n"), .function(1)]); return s }(), size: Size(width: 120, height: 40)).text
        #expect(help.contains("Keys: Create form") && help.contains("^S/F10") && help.contains("create"))
    }

    @Test("a click on a footer item runs its command")
    func footerClick() {
        var state = Fixtures.loaded()
        state.nav.screenSize = Size(width: 120, height: 40)
        let placed = FooterLayout.place(KeyBindings.footerItems(state), width: 120)
        guard let help = placed.first(where: { $0.item.command == .help }) else { Issue.record("help is in the footer"); return }
        _ = Reducer.reduce(&state, .mouse(MouseEvent(.click, row: 39, col: help.columns.lowerBound + 1), Fixtures.now))
        #expect(state.nav.overlay == .help)
    }

    @Test("dangerous in the table is what makes delete ask first")
    func dangerousAsks() {
        var state = Fixtures.loaded()
        let effects = press(&state, [.char("d")])
        #expect(effects.isEmpty)
        if case .confirmDelete? = state.nav.overlay {} else { Issue.record("delete must ask") }
        #expect(KeyBindings.isDangerous(.delete) && !KeyBindings.isDangerous(.pause))
    }
}

@Suite("Review fixes: remapping, clicks, profile switches, pod shapes")
struct ReviewFixTests {
    func press(_ state: inout AppState, _ keys: [Key]) { for k in keys { _ = Reducer.reduce(&state, .key(k, Fixtures.now)) } }

    @Test("quit = [q, ctrl-q]: q quits from the list and help, but types in the form and does nothing in its prompt")
    func quitRemapKeepsPromptsSafe() {
        var state = Fixtures.loaded()
        state.settings.keymap = [.quit: [.char("q"), .ctrl("q")]]
        press(&state, [.char("n"), .char("q"), .escape])
        #expect(state.form?.values[.name] == "q")
        #expect(Mode.of(state) == .formPrompt)
        press(&state, [.char("q")])
        #expect(!state.shouldQuit && state.form != nil, "q in the discard prompt must not discard and quit")
        press(&state, [.ctrl("q")])
        #expect(state.shouldQuit)
        // help = ["h"]: F1 still opens the form's keys (a printable key cannot do it there).
        var form = Fixtures.loaded()
        form.settings.keymap = [.help: [.char("h")]]
        press(&form, [.char("n"), .function(1)])
        #expect(Mode.of(form) == .formHelp)
    }

    @Test("a click on the footer row does nothing while a box is open (it may cover the footer)")
    func noClickThroughBoxes() {
        var state = Fixtures.loaded()
        state.nav.screenSize = Size(width: 80, height: 24)
        press(&state, [.char("*"), .char("d")])
        #expect(Mode.of(state) == .confirmBulk)
        for col in 0..<80 { _ = Reducer.reduce(&state, .mouse(MouseEvent(.click, row: 23, col: col), Fixtures.now)) }
        #expect(state.bulk == nil && Mode.of(state) == .confirmBulk)
    }

    @Test("a :profile switch during a bulk action ends it, so later results show again")
    func switchEndsBulk() {
        var state = Fixtures.loaded()
        state.bulk = BulkProgress(action: .pause, total: 2, skipped: 0, waiting: [1, 2])
        _ = Reducer.reduce(&state, .profileSwitched(name: "b", endpoint: "b", readOnly: false, secrets: Redactor(), Fixtures.now))
        #expect(state.bulk == nil)
    }

    @Test("a GPU pod without gpuType but with a display name is a GPU pod; no resource type and no GPU is CPU")
    func cpuDetection() {
        let gpu = Pod(id: 1, name: "a", status: .running, gpuType: nil, gpuDisplayName: "NVIDIA H100", gpuCount: 8, resourceType: "GPU")
        #expect(!gpu.isCPU && gpu.gpuName == "NVIDIA H100")
        #expect(PodFilter("gpu:h100").matches(gpu))
        #expect(Pod(id: 2, name: "b", status: .running, gpuType: nil).isCPU)
        #expect(Pod(id: 3, name: "c", status: .running, gpuType: nil, resourceType: "cpu").isCPU)
    }

    @Test("a CPU pod can be created: no GPU type needed, none sent")
    func cpuCreate() throws {
        var request = PodV2CreateRequest(name: "cpu", image: "ubuntu:22.04", gpuType: "")
        request.resourceType = "CPU"
        #expect(CreateRequestValidator.validate(request).isEmpty)
        let body = String(decoding: try JSONEncoder.api.encode(request), as: UTF8.self)
        #expect(!body.contains("gpuType") && body.contains(#""resourceType":"CPU""#))
        var gpu = request
        gpu.resourceType = nil
        gpu.gpuCount = 1
        #expect(CreateRequestValidator.validate(gpu).map(\.field) == ["gpuType"])
    }
}

/// A changed reply keeps the indexes of pods that did not change; those that did, and the
/// name order when a name changed, must still be rebuilt.
@Suite("Indexes across replies")
struct IncrementalIndexTests {
    func reload(_ state: inout AppState, _ pods: [Pod]) {
        _ = Reducer.reduce(&state, .podsLoaded(generation: state.connection.generation, PodList(pods: pods), Fixtures.now))
    }

    @Test("a renamed pod is found by its new name, sorted by it, and no longer by the old one")
    func renamedPod() {
        var state = Fixtures.loaded()
        var pods = Fixtures.pods
        pods[2].name = "aaa-first-now"                      // was qwen-eval
        pods[1].status = .running                           // another pod changes status only
        reload(&state, pods)
        #expect(state.fleet.search == SearchIndex(pods))
        #expect(state.fleet.nameRank == SortSpec.nameRanks(pods, index: SearchIndex(pods)))
        #expect(state.fleet.pods.first?.name == "aaa-first-now")   // the default sort is by name
        state.fleet.filter = PodFilter("qwen")
        Reducer.refresh(&state)
        #expect(state.fleet.pods.isEmpty)
        state.fleet.filter = PodFilter("status:running")
        Reducer.refresh(&state)
        #expect(state.fleet.pods.map(\.name).contains("sd-xl-train"))
    }

    @Test("pods that swap places, appear or go get fresh indexes")
    func reordered() {
        var state = Fixtures.loaded()
        let swapped = [Fixtures.pods[1], Fixtures.pods[0], Fixtures.pods[3], Fixtures.pods[2]]
        reload(&state, swapped)
        #expect(state.fleet.search == SearchIndex(swapped))
        #expect(state.fleet.ids == swapped.map(\.id))
        #expect(state.fleet.nameRank == SortSpec.nameRanks(swapped, index: SearchIndex(swapped)))
        let fewer = Array(Fixtures.pods.prefix(2))
        reload(&state, fewer)
        #expect(state.fleet.search == SearchIndex(fewer))
        #expect(state.fleet.nameRank == SortSpec.nameRanks(fewer, index: SearchIndex(fewer)))
    }
}
