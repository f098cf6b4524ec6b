import Foundation
import Testing
import PodAPI
@testable import PodTUICore

/// Named cases where sentinels were: the credential list's "+ new credential…" line and
/// the scroll to the end.
@Suite("Named cases, not sentinels")
struct NamedCasesTests {
    let now = Fixtures.now

    @Test("the credential list's last line is a new-credential case, not a value the field could hold")
    func newCredentialLine() throws {
        var catalog = FormFixtures.catalog
        catalog.credentials = .loaded(FormFixtures.credentials + [RegistryCredential(id: 7, name: "+new", type: "DOCKER_HUB")])
        let choices = try catalog.choices(for: FormField.credential, values: FormValues()).get()
        #expect(choices.filter { $0.kind == .newCredential }.map(\.label) == ["+ new credential…"])
        #expect(choices.last?.kind == .newCredential)
        // Every other line fills the field with its value (a credential named "+new" too).
        #expect(choices.dropLast().allSatisfy { $0.kind == .value })

        var state = Fixtures.loaded()
        state.catalog = catalog
        _ = Reducer.perform(&state, .newPod)
        state.form?.focus(on: .field(.credential))
        _ = Reducer.reduceKey(&state, .enter)
        state.form?.picker?.highlight = choices.count - 1
        _ = Reducer.reduceKey(&state, .enter)
        #expect(state.storage.editor?.purpose == .newCredential(forPodForm: true))
        #expect(state.form?.values[.credential] == "")
    }

    @Test("G and :events scroll to the end as a case the view resolves; up from the top stays at the top")
    func scrollToEnd() {
        var state = Fixtures.loaded()
        for i in 0..<60 { state.events.append(PodEvent(at: now, podID: nil, text: "event \(i)", kind: .info)) }
        _ = InputReducer.run(&state, "events")
        #expect(state.nav.detailScroll == .end)
        let size = Size(width: 80, height: 24)
        #expect(Render.render(state, size: size).text.contains("event 59"))
        _ = Reducer.reduceKey(&state, .char("g"))
        #expect(state.nav.detailScroll == .top)
        #expect(!Render.render(state, size: size).text.contains("event 59"))
        _ = Reducer.reduceKey(&state, .char("k"))
        #expect(state.nav.detailScroll == .top)
        _ = Reducer.reduceKey(&state, .char("G"))
        #expect(state.nav.detailScroll == .end)
        #expect(Render.render(state, size: size).text.contains("event 59"))
    }

    @Test("a scroll offset is clamped by the view, never below the top, and survives a huge move")
    func offsets() {
        #expect(ScrollOffset.end.first(maxScroll: 40) == 40)
        #expect(ScrollOffset.end.first(maxScroll: -3) == 0)
        #expect(ScrollOffset.line(7).first(maxScroll: 5) == 5)
        #expect(ScrollOffset.line(2).moved(by: -5) == .top)
        #expect(ScrollOffset.line(Int.max - 1).moved(by: 10) == .line(Int.max))
        #expect(ScrollOffset.end.moved(by: 3) == .end)
    }

    @Test("an action names its case for the slow-reduce log, a tagged one by what it carries")
    func actionNames() {
        #expect(Action.tick(now).name == "tick")
        #expect(Action.key(.char("j"), now).name == "key")
        #expect(Action.tagged(epoch: 3, .screenSize(Size(width: 80, height: 24))).name == "screenSize")
        #expect(Action.tagged(epoch: 1, .tagged(epoch: 2, .timersLoaded(.success([])))).name == "timersLoaded")
    }
}
