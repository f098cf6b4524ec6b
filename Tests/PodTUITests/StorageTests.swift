import Foundation
import Testing
import PodAPI
@testable import PodTUICore

/// `:volumes`, `:credentials`, their small form, the volume picker and the detail pane's
/// volume names: reducer and render, no terminal.
@Suite("Volumes and credentials in the UI")
struct StorageTests {
    let now = Fixtures.now

    @discardableResult
    func keys(_ state: inout AppState, _ keys: [Key]) -> [Effect] {
        var effects: [Effect] = []
        for k in keys { effects += Reducer.reduce(&state, .key(k, now)) }
        return effects
    }

    @discardableResult
    func type(_ state: inout AppState, _ text: String) -> [Effect] { keys(&state, text.map { Key.char($0) }) }

    func run(_ state: inout AppState, _ line: String) -> [Effect] { type(&state, ":" + line) + keys(&state, [.enter]) }

    /// `:volumes` with the fixture volumes loaded.
    func volumes() -> AppState {
        var state = Fixtures.loaded()
        _ = run(&state, "volumes")
        _ = Reducer.reduce(&state, .volumesLoaded(.success(VolumeList(volumes: FormFixtures.volumes))))
        return state
    }

    @Test(":volumes asks for the list, shows it sorted by name, and keeps the selection across reloads")
    func opens() {
        var state = Fixtures.loaded()
        #expect(run(&state, "volumes") == [.loadVolumes])
        #expect(Mode.of(state) == .storage)
        #expect(Render.render(state, size: Size(width: 100, height: 20)).text.contains("Loading volumes…"))
        _ = Reducer.reduce(&state, .volumesLoaded(.success(VolumeList(volumes: FormFixtures.volumes))))
        let text = Render.render(state, size: Size(width: 120, height: 20)).text
        #expect(text.contains("Volumes (3)"))
        let rows = text.split(separator: "\n").map(String.init)
        let order = ["datasets", "model-zoo", "scratch"].compactMap { name in rows.firstIndex { $0.contains(name) } }
        #expect(order == order.sorted() && order.count == 3)
        keys(&state, [.char("j")])
        #expect(state.storage.selectedVolume == 503)
        _ = Reducer.reduce(&state, .volumesLoaded(.success(VolumeList(volumes: FormFixtures.volumes.reversed()))))
        #expect(state.selectedStorageVolume?.id == 503)
        keys(&state, [.escape])
        #expect(state.nav.view == .pods)
    }

    @Test("delete and resize of a mounted volume are refused with the reason; nothing is sent")
    func mountedRefused() {
        var state = volumes()   // datasets, mounted by one pod, is first
        #expect(keys(&state, [.char("d")]).isEmpty)
        #expect(state.message?.text == "datasets is mounted by 1 pod; it can be deleted only when no pod uses it")
        #expect(state.nav.overlay == nil)
        #expect(keys(&state, [.char("+")]).isEmpty)
        #expect(state.message?.text.contains("resized only when no pod uses it") == true)
        keys(&state, [.char("j")])   // model-zoo: S3 has no size
        #expect(keys(&state, [.char("+")]).isEmpty)
        #expect(state.message?.text == "S3 volumes have no size to change")
    }

    @Test("delete asks first, naming the volume; Enter alone cancels; y sends once and reloads after")
    func deleteAsks() {
        var state = volumes()
        keys(&state, [.char("G")])   // scratch
        #expect(keys(&state, [.char("d")]).isEmpty)
        #expect(state.nav.overlay == .confirmStorageDelete(.volume(502), name: "scratch", deleteFocused: false))
        let box = Render.render(state, size: Size(width: 100, height: 24)).text
        #expect(box.contains("Delete volume?") && box.contains("scratch") && box.contains("Its data is lost"))
        #expect(keys(&state, [.enter]).isEmpty && state.nav.overlay == nil)
        keys(&state, [.char("d")])
        let sent = keys(&state, [.char("y")])
        #expect(sent == [.storage(.deleteVolume(id: 502, name: "scratch"))])
        #expect(keys(&state, [.char("d")]).isEmpty)   // one at a time
        #expect(state.message?.text.contains("Waiting for the reply") == true)
        let after = Reducer.reduce(&state, .storageFinished(.deleteVolume(id: 502, name: "scratch"), .success(.done), now))
        #expect(after == [.loadVolumes] && state.storage.inFlight == nil)
        #expect(state.events.last?.text == "Delete volume scratch: done")
    }

    @Test("the server's refusal of a delete is shown in its words")
    func serverRefusal() {
        var state = volumes()
        keys(&state, [.char("G"), .char("d"), .char("y")])
        let error = PodAPIError.api(httpStatus: 200, code: 12001, message: "Resource status invalid: volume is mounted by 1 pod(s)", podID: nil)
        _ = Reducer.reduce(&state, .storageFinished(.deleteVolume(id: 502, name: "scratch"), .failure(error), now))
        #expect(state.message?.text == "Delete volume scratch failed: Resource status invalid: volume is mounted by 1 pod(s)")
        #expect(state.message?.kind == .error)
    }

    @Test("the new-volume form checks first, names the field and keeps every value; a server refusal keeps them too")
    func newVolume() {
        var state = volumes()
        keys(&state, [.char("n")])
        #expect(Mode.of(state) == .storageEditor)
        type(&state, "fast data")   // a space is text in a text field
        keys(&state, [.tab, .right, .tab, .ctrl("u")])   // type VENDOR, clear the region
        #expect(keys(&state, [.enter]).isEmpty)
        let editor = state.storage.editor
        #expect(editor?.value("name") == "fast data" && editor?.value("storageType") == "VENDOR")
        #expect(editor?.errorField == "region" && editor?.fields[editor?.focus ?? 0].key == "region")
        #expect(editor?.error?.contains("sizeInGb") == true && editor?.error?.contains("vendorVolumeType") == true)
        type(&state, "us-east-1")
        keys(&state, [.tab]); type(&state, "200")
        keys(&state, [.tab, .char(" ")])   // NVMe
        let sent = keys(&state, [.enter])
        let request = VolumeCreateRequest(name: "fast data", storageType: .vendor, region: "us-east-1", sizeInGb: 200, vendorVolumeType: "NVMe")
        #expect(sent == [.storage(.createVolume(request))])
        #expect(keys(&state, [.enter]).isEmpty)   // never twice
        let refusal = PodAPIError.api(httpStatus: 400, code: 10001, message: "region: unknown region us-east-1", podID: nil)
        _ = Reducer.reduce(&state, .storageFinished(.createVolume(request), .failure(refusal), now))
        #expect(state.storage.editor?.value("name") == "fast data" && state.storage.editor?.submitting == false)
        #expect(state.storage.editor?.errorField == "region")
        _ = keys(&state, [.enter])
        let done = Reducer.reduce(&state, .storageFinished(.createVolume(request), .success(.created(id: 900)), now))
        #expect(done == [.loadVolumes] && state.storage.editor == nil && state.storage.selectedVolume == 900)
    }

    @Test("a credential's password is masked on screen and sent as typed")
    func passwordMasked() {
        var state = Fixtures.loaded()
        _ = run(&state, "credentials")
        _ = Reducer.reduce(&state, .credentialsLoaded(.success(FormFixtures.credentials)))
        keys(&state, [.char("n")])
        type(&state, "ghcr")
        keys(&state, [.tab, .right, .right, .right, .right, .tab])   // PRIVATE
        type(&state, "bob")
        keys(&state, [.tab])
        type(&state, "hunter2 and more")
        let screen = Render.render(state, size: Size(width: 100, height: 24)).text
        #expect(!screen.contains("hunter2") && screen.contains("••••••••••••••••"))
        let sent = keys(&state, [.enter])
        #expect(sent == [.storage(.createCredential(CredentialCreateRequest(name: "ghcr", type: "PRIVATE", username: "bob",
                                                                            password: RegistryPassword("hunter2 and more"))))])
        #expect(!"\(sent)".contains("hunter2"))   // effects print without it (logs, test output)
    }

    @Test("editing a credential sends only what changed; nothing changed is refused")
    func editCredential() {
        var state = Fixtures.loaded()
        _ = run(&state, "credentials")
        _ = Reducer.reduce(&state, .credentialsLoaded(.success(FormFixtures.credentials)))
        keys(&state, [.char("e")])
        #expect(keys(&state, [.enter]).isEmpty)
        #expect(state.storage.editor?.error?.contains("nothing to change") == true)
        keys(&state, [.ctrl("u")]); type(&state, "renamed")
        #expect(keys(&state, [.enter]) == [.storage(.updateCredential(id: 42, CredentialUpdateRequest(name: "renamed")))])
    }

    @Test("read-only mode refuses every change, with the reason")
    func readOnly() {
        var state = volumes()
        state.settings.readOnly = true
        for key in ["n", "e", "+", "d"] {
            #expect(keys(&state, [.char(Character(key))]).isEmpty)
            #expect(state.message?.text.hasPrefix("Read-only mode") == true, "\(key)")
        }
    }

    @Test("the form's volume row picks from the list, marks volumes outside the chosen regions, and keeps a typed id")
    func volumePicker() {
        var state = Fixtures.loaded()
        _ = keys(&state, [.char("n")])
        _ = Reducer.reduce(&state, .volumesLoaded(.success(VolumeList(volumes: FormFixtures.volumes))))
        state.form?.values[.regions] = "us-east-1"
        state.form?.values.volumes = [VolumeRow()]
        state.form?.focus(on: .volumeID(0))
        type(&state, "scr")
        #expect(Mode.of(state) == .picker && state.form?.picker?.item == .volumeID(0))
        let screen = Render.render(state, size: Size(width: 120, height: 30)).text
        #expect(screen.contains("scratch") && screen.contains("outside the chosen regions") && !screen.contains("datasets"))
        keys(&state, [.enter])
        #expect(state.form?.values.volumes.first?.volumeID == "502")
        #expect(Render.render(state, size: Size(width: 140, height: 40)).text.contains("scratch · CEPH us-west-1 100 GB"))
        // An id the list does not have is kept as typed.
        state.form?.values.volumes = [VolumeRow()]
        state.form?.focus(on: .volumeID(0))
        type(&state, "12345")
        keys(&state, [.enter])
        #expect(state.form?.values.volumes.first?.volumeID == "12345")
    }

    @Test("+ new credential… in the form's picker opens the small form; the new id goes back into the form")
    func newCredentialFromForm() {
        var state = Fixtures.loaded()
        _ = keys(&state, [.char("n")])
        _ = Reducer.reduce(&state, .credentialsLoaded(.success(FormFixtures.credentials)))
        state.form?.focus(on: .field(.credential))
        keys(&state, [.enter])
        type(&state, "new cred")
        keys(&state, [.enter])
        #expect(state.storage.editor?.purpose == .newCredential(forPodForm: true))
        #expect(Mode.of(state) == .storageEditor && state.form != nil)
        type(&state, "mine"); keys(&state, [.tab, .tab]); type(&state, "me"); keys(&state, [.tab]); type(&state, "pw-123456")
        guard case .storage(let request)? = keys(&state, [.enter]).first else { Issue.record("nothing sent"); return }
        _ = Reducer.reduce(&state, .storageFinished(request, .success(.created(id: 4242)), now))
        #expect(state.storage.editor == nil && state.form?.values[.credential] == "4242")
        #expect(Mode.of(state) == .form)
    }

    @Test("the detail pane names attached volumes, and asks for the list once to do so")
    func detailNamesVolumes() {
        var pod = Fixtures.pod(1, "with-data", .running)
        pod.persistentVolumes = [VolumeAttachment(volumeId: 501, mountPath: "/data"), VolumeAttachment(volumeId: 9, mountPath: "/x")]
        var state = Fixtures.loaded([pod])
        #expect(keys(&state, [.enter]) == [.loadVolumes])
        #expect(Render.render(state, size: Size(width: 120, height: 40)).text.contains("id 501 at /data"))
        _ = Reducer.reduce(&state, .volumesLoaded(.success(VolumeList(volumes: FormFixtures.volumes))))
        let text = Render.render(state, size: Size(width: 120, height: 40)).text
        #expect(text.contains("datasets at /data") && text.contains("id 9 at /x"))
    }

    @Test("storage views draw at any size without losing the name", arguments: [(20, 5), (20, 10), (40, 12), (80, 24), (200, 60)])
    func sizes(width: Int, height: Int) {
        var state = volumes()
        var hostile = FormFixtures.volumes
        hostile[0].name = "evil\u{1b}]52;c;eA==\u{07}name"
        _ = Reducer.reduce(&state, .volumesLoaded(.success(VolumeList(volumes: hostile, problems: ["CEPH page 1 item 3: missing field id"]))))
        let screen = Render.render(state, size: Size(width: width, height: height))
        #expect(screen.lines.count == height)
        for cell in screen.cells { #expect(!cell.text.unicodeScalars.contains(where: TextSafety.isUnsafe)) }
        if width >= 40 && height >= 10 { #expect(screen.text.contains("scratch")) }
        keys(&state, [.char("n")])
        _ = Render.render(state, size: Size(width: width, height: height))
    }
}
