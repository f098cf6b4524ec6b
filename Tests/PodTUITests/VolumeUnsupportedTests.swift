import Foundation
import Testing
import PodAPI
@testable import PodTUICore

/// A server without volume rename or resize (API notes §6.3): the storage view says so, keeps
/// the row as it was and neither reloads nor resends.
@Suite("Volume rename and resize not supported by the server")
struct VolumeUnsupportedTests {
    let now = Fixtures.now

    @discardableResult
    func keys(_ state: inout AppState, _ keys: [Key]) -> [Effect] {
        var effects: [Effect] = []
        for k in keys { effects += Reducer.reduce(&state, .key(k, now)) }
        return effects
    }

    func volumes() -> AppState {
        var state = Fixtures.loaded()
        _ = keys(&state, ":volumes".map { Key.char($0) } + [.enter])
        _ = Reducer.reduce(&state, .volumesLoaded(.success(VolumeList(volumes: FormFixtures.volumes))))
        return state
    }

    @Test("rename refused as unsupported: the message says so, the row is kept, the form closes, nothing more is sent")
    func rename() {
        var state = volumes()
        keys(&state, [.char("G")])   // scratch
        keys(&state, [.char("e"), .ctrl("u")])
        let sent = keys(&state, "fresh".map { Key.char($0) } + [.enter])
        let request = StorageRequest.renameVolume(id: 502, name: "fresh")
        #expect(sent == [.storage(request)])
        let before = state.catalog.volumes.value
        let error = PodAPIError.unsupported(operation: "Renaming a volume", httpStatus: 404, code: nil, detail: "")
        let after = Reducer.reduce(&state, .storageFinished(request, .failure(error), now))
        #expect(after.isEmpty)   // no reload, no retry
        #expect(state.message?.text == "Rename volume to fresh failed: Renaming a volume is not supported by this server (HTTP 404)")
        #expect(state.message?.kind == .error)
        #expect(state.catalog.volumes.value == before && state.selectedStorageVolume?.name == "scratch")
        #expect(state.storage.editor == nil && state.storage.inFlight == nil)
        let text = Render.render(state, size: Size(width: 140, height: 20)).text
        #expect(text.contains("scratch") && text.contains("not supported by this server"))
        // The next tick does not resend it either.
        #expect(!Reducer.reduce(&state, .tick(now.addingTimeInterval(1))).contains { if case .storage = $0 { true } else { false } })
    }

    @Test("resize refused with code 10001 as unsupported: the size is kept and the code shown")
    func resize() {
        var state = volumes()
        keys(&state, [.char("G"), .char("+"), .ctrl("u")])
        let sent = keys(&state, "200".map { Key.char($0) } + [.enter])
        let request = StorageRequest.resizeVolume(id: 502, sizeInGb: 200)
        #expect(sent == [.storage(request)])
        let error = PodAPIError.unsupported(operation: "Resizing a volume", httpStatus: 400, code: 10001, detail: "Unsupported operation")
        #expect(Reducer.reduce(&state, .storageFinished(request, .failure(error), now)).isEmpty)
        #expect(state.message?.text.contains("not supported by this server (HTTP 400, code 10001") == true)
        #expect(state.selectedStorageVolume?.sizeInGb == 100 && state.storage.editor == nil)
    }
}
