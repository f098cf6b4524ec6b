import Foundation
import Testing
import PodAPI
@testable import PodTUICore

/// The form reads its keys through the bindings table: remapping `activate` or `change`
/// works on its buttons, checkboxes, choices and lists, and the old key no longer does it.
@Suite("Form keys through the table")
struct FormBindingsTests {
    let now = Fixtures.now

    func form(keymap: [Command: [Key]]) -> AppState {
        var state = Fixtures.loaded()
        _ = Reducer.reduce(&state, .gpuTypesLoaded(.success(FormFixtures.types)))
        _ = Reducer.reduce(&state, .credentialsLoaded(.success(FormFixtures.credentials)))
        state.settings.keymap = keymap
        _ = Reducer.reduceKey(&state, .char("n"))
        return state
    }

    @Test("a remapped activate key presses a button, opens a list and moves on; Enter no longer does")
    func remappedActivate() throws {
        var state = form(keymap: [.activate: [.ctrl("o")]])
        state.form?.focus(on: .addEnv)
        _ = Reducer.reduceKey(&state, .enter)
        #expect(state.form?.values.env.isEmpty == true)
        _ = Reducer.reduceKey(&state, .ctrl("o"))
        #expect(state.form?.values.env.count == 1)
        #expect(state.form?.focus == .envKey(0))

        state.form?.focus(on: .field(.gpuType))
        _ = Reducer.reduceKey(&state, .enter)
        #expect(state.form?.picker == nil)
        _ = Reducer.reduceKey(&state, .ctrl("o"))
        #expect(state.form?.picker?.item == .field(.gpuType))
        _ = Reducer.reduceKey(&state, .escape)

        state.form?.focus(on: .field(.name))
        _ = Reducer.reduceKey(&state, .ctrl("o"))
        #expect(state.form?.focus != .field(.name))
    }

    @Test("a remapped change key toggles a checkbox, cycles a choice and presses a button; Space no longer does")
    func remappedChange() throws {
        var state = form(keymap: [.change: [.ctrl("t")]])
        state.form?.values.env.append(EnvRow())
        state.form?.focus(on: .envSecret(0))
        guard let before = state.form?.values.env.first?.secret else {
            Issue.record("no env row")
            return
        }
        _ = Reducer.reduceKey(&state, .char(" "))
        #expect(state.form?.values.env.first?.secret == before)
        _ = Reducer.reduceKey(&state, .ctrl("t"))
        #expect(state.form?.values.env.first?.secret == !before)

        state.form?.focus(on: .field(.resourceType))
        let kind = state.form?.values[.resourceType]
        _ = Reducer.reduceKey(&state, .ctrl("t"))
        #expect(state.form?.values[.resourceType] != kind)

        // The change command's key presses a button, as Space did.
        state.form?.focus(on: .addPort)
        _ = Reducer.reduceKey(&state, .char(" "))
        #expect(state.form?.values.ports.isEmpty == true)
        _ = Reducer.reduceKey(&state, .ctrl("t"))
        #expect(state.form?.values.ports.count == 1)
    }

    @Test("with the default table, Enter and Space press a button, and → on Create sends nothing")
    func defaults() {
        var state = form(keymap: [:])
        state.form?.focus(on: .addEnv)
        _ = Reducer.reduceKey(&state, .enter)
        #expect(state.form?.values.env.count == 1)
        state.form?.focus(on: .addEnv)
        _ = Reducer.reduceKey(&state, .char(" "))
        #expect(state.form?.values.env.count == 2)
        state.form?.focus(on: .submit)
        #expect(Reducer.reduceKey(&state, .right).isEmpty)
        #expect(state.form?.submitAttempted == false)
    }
}
