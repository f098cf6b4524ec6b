import Foundation
import Testing
import PodAPI
import PodSim
import PodProbe
@testable import PodTUICore

/// The footer, the help box and the reducer ask one function (`Availability`) whether a
/// command can run: for every key of every mode, in representative states and along a
/// random walk, a key the footer dims is refused with the footer's reason and changes
/// nothing else, and a key it shows is carried out.
@Suite("Availability: footer and behaviour agree")
struct AvailabilityTests {
    let now = Fixtures.now

    /// What a refused key must leave as it was (the message aside).
    func snapshot(_ state: AppState) -> String {
        [String(describing: state.nav), String(describing: state.form), String(describing: state.storage),
         String(describing: state.fleet.marks.sorted()), String(describing: state.fleet.pending), state.fleet.filter.text,
         String(describing: state.fleet.sort), String(describing: state.io), String(describing: state.templateChooser),
         String(describing: state.raw), String(describing: state.timers.timers), String(describing: state.bulk),
         String(state.settings.probe.enabled), String(state.shouldQuit)].joined(separator: "\n")
    }

    /// One key per binding of the mode that the table really gives that binding.
    func presses(_ state: AppState, _ mode: Mode) -> [(Key, Command)] {
        KeyBindings.bindings(in: mode, keymap: state.settings.keymap).compactMap { binding in
            guard let key = binding.keys.first,
                  KeyBindings.command(for: key, in: mode, keymap: state.settings.keymap) == binding.command else { return nil }
            return (key, binding.command)
        }
    }

    /// Checks every key of the state's mode. `strict` also holds a key the footer shows to
    /// doing something (for the hand-made states, where no action ends in an error alone).
    func check(_ base: AppState, strict: Bool, _ label: String) {
        var start = base
        start.message = nil
        let mode = Mode.of(start)
        let footer = KeyBindings.footerItems(start)
        for item in footer {
            guard let command = item.command else { continue }
            #expect(item.enabled == (Availability.reason(command, in: mode, start) == nil), "\(label): footer \(item.label)")
        }
        for (key, command) in presses(start, mode) {
            let refusal = Availability.refusal(command, in: mode, start)
            var after = start
            let effects = Reducer.reduceKey(&after, key)
            let what = "\(label) [\(mode)] \(key.label) → \(command)"
            if let refusal {
                if KeyBindings.hiddenWhenUnavailable.contains(command) {
                    #expect(!footer.contains { $0.command == command }, "\(what): unavailable but in the footer")
                    continue
                }
                #expect(effects.isEmpty, "\(what): refused but sent \(effects)")
                #expect(after.message == Message(refusal.reason, kind: refusal.kind, at: start.now), "\(what): refused as \(String(describing: after.message?.text)), not \(refusal.reason)")
                #expect(snapshot(after) == snapshot(start), "\(what): refused but changed the state")
            } else if strict {
                let refusedAnyway = effects.isEmpty && after.message?.kind == .error && snapshot(after) == snapshot(start)
                #expect(!refusedAnyway, "\(what): shown as available but refused: \(after.message?.text ?? "")")
            }
        }
    }

    /// States that reach the rules: marks, statuses, read-only, storage, the form's items
    /// and pickers, every box and line.
    func states() -> [(String, AppState)] {
        var out: [(String, AppState)] = []
        func add(_ label: String, _ make: (inout AppState) -> Void) {
            var state = Fixtures.loaded()
            _ = Reducer.reduce(&state, .gpuTypesLoaded(.success(FormFixtures.types)))
            _ = Reducer.reduce(&state, .credentialsLoaded(.success(FormFixtures.credentials)))
            _ = Reducer.reduce(&state, .volumesLoaded(.success(VolumeList(volumes: FormFixtures.volumes))))
            state.settings.timersEnabled = true
            state.settings.templatesEnabled = true
            make(&state)
            out.append((label, state))
        }
        let paused = Fixtures.pods[1].id, running = Fixtures.pods[0].id, failed = Fixtures.pods[3].id
        add("running selected") { $0.nav.selectedID = running }
        add("paused selected") { $0.nav.selectedID = paused }
        add("failed selected") { $0.nav.selectedID = failed }
        add("marks, a PAUSED pod selected") { $0.nav.selectedID = paused; $0.fleet.marks = [running, paused] }
        add("marks, read-only") { $0.nav.selectedID = paused; $0.fleet.marks = [running]; $0.settings.readOnly = true }
        add("marks, none RUNNING") { $0.nav.selectedID = running; $0.fleet.marks = [paused] }
        add("read-only") { $0.settings.readOnly = true }
        add("pending pause") { $0.nav.selectedID = running; $0.fleet.pending[running] = .pause }
        add("no timers directory") { $0.settings.timersEnabled = false }
        add("filtered") { _ = InputReducer.setFilter(&$0, "llama") }
        add("empty fleet") { _ = Reducer.reduce(&$0, .podsLoaded(generation: 1, PodList(pods: []), now)) }
        add("detail, running") { $0.nav.selectedID = running; $0.nav.focus = .detail }
        add("detail, paused with marks") { $0.nav.selectedID = paused; $0.nav.focus = .detail; $0.fleet.marks = [running] }
        add(":gpus") { _ = InputReducer.run(&$0, "gpus") }
        add(":events") { _ = InputReducer.run(&$0, "events") }
        add("raw, loading") { $0.nav.selectedID = running; _ = Reducer.perform(&$0, .rawView) }
        add("raw, loaded") {
            $0.nav.selectedID = running
            _ = Reducer.perform(&$0, .rawView)
            _ = Reducer.reduce(&$0, .rawLoaded(podID: running, .success(#"{"code":10000,"data":{"id":1}}"#)))
        }
        add(":timers, none") { _ = InputReducer.run(&$0, "timers") }
        add(":volumes, a mounted one selected") { _ = InputReducer.run(&$0, "volumes") }
        add(":volumes, a free one selected") { _ = InputReducer.run(&$0, "volumes"); $0.storage.selectedVolume = 502 }
        add(":volumes, read-only") { _ = InputReducer.run(&$0, "volumes"); $0.settings.readOnly = true }
        add(":volumes, a request out") { _ = InputReducer.run(&$0, "volumes"); $0.storage.inFlight = .renameVolume(id: 502, name: "x") }
        add(":credentials") { _ = InputReducer.run(&$0, "credentials") }
        add("editor, a text field") { _ = InputReducer.run(&$0, "volumes"); $0.storage.editor = .newVolume(region: "us-east-1") }
        add("editor, a choice") {
            _ = InputReducer.run(&$0, "volumes")
            $0.storage.editor = .newVolume(region: "us-east-1")
            $0.storage.editor?.focus = 1
        }
        add("editor, sent") {
            _ = InputReducer.run(&$0, "volumes")
            $0.storage.editor = .newVolume(region: "us-east-1")
            $0.storage.editor?.submitting = true
        }
        add("editor, read-only") {
            _ = InputReducer.run(&$0, "volumes")
            $0.storage.editor = .newVolume(region: "us-east-1")
            $0.settings.readOnly = true
        }
        let items: [FormItem] = [.field(.name), .field(.resourceType), .field(.gpuType), .addEnv, .submit, .cancel]
        for item in items {
            add("form, on \(item)") { _ = Reducer.perform(&$0, .newPod); $0.form?.focus(on: item) }
        }
        add("form, an env row's secret box") {
            _ = Reducer.perform(&$0, .newPod)
            $0.form?.values.env.append(EnvRow())
            $0.form?.focus(on: .envSecret(0))
        }
        add("form, named") { _ = Reducer.perform(&$0, .newPod); $0.form?.values[.name] = "box" }
        add("form, named, no config directory") {
            _ = Reducer.perform(&$0, .newPod)
            $0.form?.values[.name] = "box"
            $0.settings.templatesEnabled = false
        }
        add("form, creating") { _ = Reducer.perform(&$0, .newPod); $0.form?.values[.name] = "box"; $0.form?.submitting = true }
        add("form, read-only") { _ = Reducer.perform(&$0, .clonePod); $0.settings.readOnly = true }
        add("GPU list, a sold-out type") {
            _ = Reducer.perform(&$0, .newPod)
            $0.form?.picker = PickerState(field: .gpuType)
            $0.form?.picker?.highlight = 1
        }
        add("GPU list, an available type") { _ = Reducer.perform(&$0, .newPod); $0.form?.picker = PickerState(field: .gpuType) }
        add("credential list, + new, read-only") {
            _ = Reducer.perform(&$0, .newPod)
            $0.form?.picker = PickerState(field: .credential)
            $0.form?.picker?.highlight = FormFixtures.credentials.count + 1
            $0.settings.readOnly = true
        }
        add("regions, a sold-out one") {
            _ = Reducer.perform(&$0, .newPod)
            $0.form?.values[.gpuType] = "NVIDIA_H100_80G"
            $0.form?.picker = PickerState(field: .regions)
            $0.form?.picker?.highlight = 1
        }
        add("discard prompt") { _ = Reducer.perform(&$0, .newPod); $0.form?.prompt = .discard(thenQuit: false, discardFocused: false) }
        add("form command line") { _ = Reducer.perform(&$0, .newPod); $0.form?.showCommandLine = true }
        add("templates") { $0.templates = ["t1"]; _ = Reducer.perform(&$0, .newPod) }
        add("help") { $0.nav.overlay = .help }
        add("delete box") { $0.nav.overlay = .confirmDelete(podID: running, name: "llama-ft-7", deleteFocused: false) }
        add("bulk box") { $0.fleet.marks = [running]; $0.nav.overlay = .confirmBulk(.pause) }
        add("filter line") { $0.nav.input = InputLine(kind: .filter) }
        add("command line") { $0.nav.input = InputLine(kind: .command) }
        add("forwards, none") { $0.nav.view = .forwards }
        add("forwards") {
            $0.nav.view = .forwards
            $0.forwards.items = [Forward(id: 1, podID: running, podLabel: "llama-ft-7", ports: ForwardPorts(remote: 8888, local: 8888, localGiven: false))]
        }
        return out
    }

    @Test("in representative states, every key the footer dims is refused with its reason, and every other key acts")
    func representative() {
        let all = states()
        var modes = Set<Mode>()
        for (label, state) in all {
            modes.insert(Mode.of(state))
            check(state, strict: true, label)
        }
        let missing = Set(Mode.allCases).subtracting(modes).subtracting([.formHelp])
        #expect(missing.isEmpty, "no state in \(missing)")
    }

    @Test("with marks set and a PAUSED pod selected, p is shown and pauses the marked pods")
    func marksMakePauseAvailable() {
        var state = Fixtures.loaded()
        state.nav.selectedID = Fixtures.pods[1].id
        state.fleet.marks = [Fixtures.pods[0].id]
        #expect(KeyBindings.footerItems(state).first { $0.command == .pause }?.enabled == true)
        _ = Reducer.reduceKey(&state, .char("p"))
        #expect(state.nav.overlay == .confirmBulk(.pause))
    }

    @Test("along a random walk through every mode, the footer and the keys agree")
    func randomWalk() {
        var rng = SeededRandom(seed: 11)
        let fuzz = KeyFuzzTests()
        var state = Fixtures.loaded(fuzz.fleet())
        state.settings.probesAvailable = true
        _ = Reducer.reduce(&state, .gpuTypesLoaded(.success(FormFixtures.types)))
        _ = Reducer.reduce(&state, .credentialsLoaded(.success(FormFixtures.credentials)))
        var modes = Set<Mode>()
        let scripts = [":gpus\r", ":events\r", ":volumes\r", ":credentials\r", ":timers\r", ":pods\r", "n", "/ll", "y", "\r"]
        for i in 0..<3_000 {
            if i % 100 == 50 {
                // Now and then a way into another view, so every mode gets its share.
                for key in [Key.escape, .escape] { _ = Reducer.reduce(&state, .key(key, now)) }
                for c in scripts[Int(rng.next() % UInt64(scripts.count))] {
                    for effect in Reducer.reduce(&state, .key(c == "\r" ? .enter : .char(c), now)) { fuzz.answer(effect, &state, &rng, now) }
                }
            }
            if i % 4 == 0 { check(state, strict: false, "step \(i)") }
            modes.insert(Mode.of(state))
            let key = KeyFuzzTests.vocabulary[Int(rng.next() % UInt64(KeyFuzzTests.vocabulary.count))]
            guard !key.isMouse else { continue }
            for effect in Reducer.reduce(&state, .key(key, now)) { fuzz.answer(effect, &state, &rng, now) }
            state.shouldQuit = false
        }
        #expect(modes.count >= 12, "the walk reached only \(modes)")
    }
}

extension Key {
    var isMouse: Bool { if case .mouse = self { true } else { false } }
}
