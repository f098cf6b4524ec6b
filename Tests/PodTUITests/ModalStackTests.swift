import Foundation
import Testing
import PodAPI
@testable import PodTUICore

/// One order of layers decides both who gets the keys and what is drawn on top: with
/// several open, the top layer's box is whole on the screen (nothing drawn over it), and
/// its mode is the one that gets the keys.
@Suite("Modal stack: keys go to what is drawn on top")
struct ModalStackTests {
    let size = Size(width: 100, height: 30)

    func base() -> AppState {
        var state = Fixtures.loaded()
        _ = Reducer.reduce(&state, .gpuTypesLoaded(.success(FormFixtures.types)))
        _ = Reducer.reduce(&state, .credentialsLoaded(.success(FormFixtures.credentials)))
        _ = Reducer.reduce(&state, .volumesLoaded(.success(VolumeList(volumes: FormFixtures.volumes))))
        return state
    }

    /// States with two or more layers open at once.
    func states() -> [(String, AppState)] {
        var out: [(String, AppState)] = []
        func add(_ label: String, _ make: (inout AppState) -> Void) {
            var state = base()
            make(&state)
            out.append((label, state))
        }
        add("help over the small form over :volumes") {
            _ = InputReducer.run(&$0, "volumes")
            $0.storage.editor = .newVolume(region: "us-east-1")
            $0.nav.overlay = .help
        }
        add("a delete box over the small form") {
            _ = InputReducer.run(&$0, "credentials")
            $0.storage.editor = .edit(FormFixtures.credentials[0])
            $0.nav.overlay = .confirmStorageDelete(.credential(42), name: "team-dockerhub", deleteFocused: false)
        }
        add("the small form over the credential list over the form") {
            _ = Reducer.perform(&$0, .newPod)
            $0.form?.picker = PickerState(field: .credential)
            $0.storage.editor = .newCredential(forPodForm: true)
        }
        add("the small form over the template chooser") {
            $0.templates = ["t1", "t2"]
            _ = Reducer.perform(&$0, .newPod)
            $0.storage.editor = .newCredential(forPodForm: true)
        }
        add("the template chooser over the discard prompt") {
            $0.templates = ["t1"]
            _ = Reducer.perform(&$0, .newPod)
            $0.form?.prompt = .discard(thenQuit: false, discardFocused: false)
        }
        add("the discard prompt over the command line over a list") {
            _ = Reducer.perform(&$0, .newPod)
            $0.form?.picker = PickerState(field: .gpuType)
            $0.form?.showCommandLine = true
            $0.form?.prompt = .discard(thenQuit: true, discardFocused: false)
        }
        add("the form's help over its list") {
            _ = Reducer.perform(&$0, .newPod)
            $0.form?.picker = PickerState(field: .gpuType)
            $0.nav.overlay = .help
        }
        add("a bulk box over the : line") {
            $0.fleet.marks = [Fixtures.pods[0].id]
            $0.nav.input = InputLine(kind: .command, text: "so")
            $0.nav.overlay = .confirmBulk(.pause)
        }
        add("the form over the / line") {
            $0.nav.input = InputLine(kind: .filter, text: "ll")
            _ = Reducer.perform(&$0, .newPod)
        }
        return out
    }

    /// The mode each layer gives the keys to.
    func mode(of modal: Modal, _ state: AppState) -> Set<Mode> {
        switch modal {
        case .overlay: [.help, .formHelp, .confirmDelete, .confirmBulk]
        case .storageEditor: [.storageEditor]
        case .templateChooser: [.templateChooser]
        case .formPrompt: [.formPrompt]
        case .formCommandLine: [.formCommandLine]
        case .picker: [.picker, .multiPicker]
        case .form: [.form]
        case .inputLine: [.filterLine, .commandLine]
        }
    }

    @Test("with several layers open, the one drawn on top gets the keys, and nothing is drawn over it")
    func topGetsKeysAndIsWhole() throws {
        for (label, state) in states() {
            let stack = Modal.stack(state)
            #expect(stack.count >= 2, "\(label): \(stack)")
            let top = try #require(stack.last)
            #expect(mode(of: top, state).contains(Mode.of(state)), "\(label): keys go to \(Mode.of(state)), \(top) is on top")

            // The top layer drawn alone over a marked screen: the cells it writes.
            var alone = Screen(size: size)
            for row in 0..<size.height { alone.put(String(repeating: "§", count: size.width), row: row, col: 0) }
            Render.draw(top, state, into: &alone)
            let full = Render.render(state, size: size)
            var written = 0
            for row in 0..<size.height {
                for col in 0..<size.width where alone[row, col].text != "§" {
                    written += 1
                    #expect(full[row, col] == alone[row, col], "\(label): \(top) covered at \(row),\(col)")
                }
            }
            #expect(written > 0, "\(label): \(top) drew nothing")
        }
    }

    @Test("the order is written once: Modal's cases, bottom to top")
    func order() {
        #expect(Modal.allCases == [.inputLine, .form, .picker, .formCommandLine, .formPrompt, .templateChooser, .storageEditor, .overlay])
        var state = base()
        #expect(Modal.stack(state).isEmpty)
        #expect(Mode.of(state) == .list)
        state.templateChooser = 0   // without the form it belongs to, it is not open
        #expect(Modal.stack(state).isEmpty)
    }
}
