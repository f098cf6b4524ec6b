import Foundation
import Testing
import PodAPI
import PodLocal
import PodLocalFiles
@testable import PodTUICore

/// Create-form templates: the file (secrets never written), and F3, n and :new in the UI.
@Suite("Templates")
struct TemplateTests {
    let now = Fixtures.now

    @discardableResult
    func keys(_ state: inout AppState, _ keys: [Key]) -> [Effect] {
        var effects: [Effect] = []
        for k in keys { effects += Reducer.reduce(&state, .key(k, now)) }
        return effects
    }

    func request() -> PodV2CreateRequest {
        var r = PodV2CreateRequest(name: "llama-ft-8", image: "pytorch/pytorch:2.4", gpuType: "NVIDIA_H100_80G", gpuCount: 8)
        r.regions = ["us-east-1"]
        r.environmentVars = [EnvVar(key: "HF_TOKEN", value: "hf_live_secret_value"), EnvVar(key: "EPOCHS", value: "3")]
        r.expose = [PortSpec(port: 8888, protocol: "http")]
        r.persistentVolumes = [VolumeAttachment(volumeId: 501, mountPath: "/data")]
        r.imageRegistryPassword = "registry-password-1"
        return r
    }

    @Test("a round trip keeps every field and writes no secret: a secret env value becomes a $KEY reference")
    func roundTrip() throws {
        let dir = NSTemporaryDirectory() + "podtui-templates-" + UUID().uuidString
        let store = TemplateStore(directory: dir)
        try store.save("llama-ft-8", request: request(), secretKeys: ["HF_TOKEN"])
        let text = try String(contentsOfFile: dir + "/llama-ft-8.json", encoding: .utf8)
        #expect(!text.contains("hf_live_secret_value") && !text.contains("registry-password-1") && text.contains("$HF_TOKEN"))
        let (loaded, refs) = try store.load("llama-ft-8")
        var expected = request()
        expected.environmentVars = [EnvVar(key: "HF_TOKEN", value: "$HF_TOKEN"), EnvVar(key: "EPOCHS", value: "3")]
        expected.imageRegistryPassword = nil
        #expect(loaded == expected && refs == ["HF_TOKEN"])
        #expect(store.names() == ["llama-ft-8"])
        #expect(throws: PodAPIError.self) { try store.save("../evil", request: request(), secretKeys: []) }
        #expect(throws: PodAPIError.self) { try store.load("missing") }
        // A CPU pod (no gpuType written) reads back too.
        try store.save("cpu", request: PodV2CreateRequest(name: "prep", image: "ubuntu:22.04", gpuType: "", resourceType: "CPU"), secretKeys: [])
        #expect(try store.load("cpu").request.gpuType == "")
    }

    @Test("F3 saves the form under the pod's name with its secret keys; n offers the templates; one fills the form, its secrets left to fill")
    func inTheUI() {
        var state = Fixtures.loaded()
        state.settings.templatesEnabled = true
        _ = keys(&state, [.char("n")])
        #expect(state.templateChooser == nil)   // no templates yet: straight to the empty form
        state.form?.values = CreateFormState.fromTemplate("x", request: request(), references: []).values
        state.form?.values.env[0].secret = true
        let saved = keys(&state, [.function(3)])
        guard case .saveTemplate(let name, _, let secrets)? = saved.first else { Issue.record("not saved"); return }
        #expect(name == "llama-ft-8" && secrets == ["HF_TOKEN"])
        _ = Reducer.reduce(&state, .templatesLoaded(["llama-ft-8", "other"]))
        state.form = nil
        _ = keys(&state, [.char("n")])
        #expect(Mode.of(state) == .templateChooser)
        #expect(Render.render(state, size: Size(width: 120, height: 40)).text.contains("Start from"))
        let open = keys(&state, [.down, .enter])
        #expect(open == [.openTemplate("llama-ft-8")])
        var saved2 = request()
        saved2.environmentVars = [EnvVar(key: "HF_TOKEN", value: "$HF_TOKEN"), EnvVar(key: "EPOCHS", value: "3")]
        _ = Reducer.reduce(&state, .templateLoaded(name: "llama-ft-8", .success(TemplateData(request: saved2, references: ["HF_TOKEN"]))))
        #expect(state.form?.values[.gpuType] == "NVIDIA_H100_80G" && state.form?.values.volumes.first?.volumeID == "501")
        #expect(state.form?.values.env.first == EnvRow(key: "HF_TOKEN", value: "", secret: true))
        #expect(state.message?.text.contains("fill in HF_TOKEN") == true)
        // :new NAME opens one directly.
        state.form = nil
        #expect(InputReducer.run(&state, "new other") == [.openTemplate("other")])
    }
}
