import Foundation
import Testing
import PodAPI
@testable import PodTUICore

/// The create form as pure state: keys in, state and effects out.
@Suite("Create form")
struct FormTests {
    let now = Fixtures.now

    /// A loaded state with the form open and the catalogue loaded.
    func opened(readOnly: Bool = false) -> AppState {
        var state = Fixtures.loaded()
        state.settings.readOnly = readOnly
        let effects = Reducer.reduce(&state, .key(.char("n"), now))
        if !readOnly { #expect(effects == [.loadCatalog]) }
        _ = Reducer.reduce(&state, .gpuTypesLoaded(.success(FormFixtures.types)))
        _ = Reducer.reduce(&state, .credentialsLoaded(.success(FormFixtures.credentials)))
        return state
    }

    @discardableResult
    func keys(_ state: inout AppState, _ keys: [Key]) -> [Effect] {
        var effects: [Effect] = []
        for k in keys { effects += Reducer.reduce(&state, .key(k, now)) }
        return effects
    }

    func type(_ state: inout AppState, _ text: String) { keys(&state, text.map { Key.char($0) }) }

    /// Fills name, image and GPU type through the keys a person would press.
    func fillBasics(_ state: inout AppState) {
        type(&state, "job-1")
        keys(&state, [.tab])
        type(&state, "pytorch/pytorch:2.4")
        keys(&state, [.tab])
        type(&state, "4090")           // opens the GPU picker, narrowed to the 4090
        keys(&state, [.enter])
    }

    @Test("n opens the form with the name focused and asks for the pickers' lists; read-only refuses")
    func opens() {
        let state = opened()
        #expect(state.form?.focus == .field(.name))
        #expect(state.form?.isDirty == false)
        var ro = Fixtures.loaded()
        ro.settings.readOnly = true
        #expect(Reducer.reduce(&ro, .key(.char("n"), now)) == [])
        #expect(ro.form == nil)
        #expect(ro.message?.text == "Read-only mode: create is disabled")
    }

    @Test("Tab order starts name, image, GPU type, GPU count, regions; Shift-Tab goes back")
    func tabOrder() {
        var state = opened()
        var seen: [FormItem] = []
        for _ in 0..<5 { seen.append(state.form!.focus); keys(&state, [.tab]) }
        #expect(seen == [.field(.name), .field(.image), .field(.gpuType), .field(.gpuCount), .field(.regions)])
        keys(&state, [.backTab, .backTab])
        #expect(state.form?.focus == .field(.gpuCount))
        keys(&state, [.up, .up, .up, .up, .up])
        #expect(state.form?.focus == .field(.name))
    }

    @Test("every form item is reachable with Tab and ends at the buttons")
    func reachAll() {
        var state = opened()
        let items = state.form!.items
        #expect(items.last == .cancel && items.contains(.submit))
        for _ in items { keys(&state, [.tab]) }
        #expect(state.form?.focus == .cancel)
    }

    @Test("typing edits the focused field, keeps UTF-8, and marks the form dirty")
    func typing() {
        var state = opened()
        type(&state, "训练-ü")
        keys(&state, [.left, .backspace])
        #expect(state.form?.values[.name] == "训练ü")
        #expect(state.form?.isDirty == true)
        keys(&state, [.ctrl("u")])
        #expect(state.form?.values[.name] == "")
    }

    @Test("the GPU picker narrows by typed text and fills the field with the code")
    func gpuPicker() {
        var state = opened()
        keys(&state, [.tab, .tab])
        type(&state, "h1")
        #expect(state.form?.picker?.item == .field(.gpuType))
        let shown = state.form!.picker!.filter(try! state.catalog.choices(for: .gpuType, values: state.form!.values).get())
        #expect(shown.map(\.value) == ["NVIDIA_H100_80G"])
        keys(&state, [.enter])
        #expect(state.form?.picker == nil)
        #expect(state.form?.values[.gpuType] == "NVIDIA_H100_80G")
    }

    @Test("a sold-out GPU cannot be chosen; only available regions of the chosen GPU can")
    func soldOut() {
        var state = opened()
        keys(&state, [.tab, .tab])
        type(&state, "5090")
        keys(&state, [.enter])
        #expect(state.form?.values[.gpuType] == "")
        #expect(state.message?.text.contains("sold out") == true)
        keys(&state, [.escape])
        type(&state, "h100")
        keys(&state, [.enter, .tab, .tab, .enter])   // to regions, open
        #expect(state.form?.picker?.item == .field(.regions))
        let choices = try! state.catalog.choices(for: .regions, values: state.form!.values).get()
        #expect(choices.map(\.value) == ["us-east-1", "us-central-3"])
        #expect(choices.map(\.enabled) == [true, false])
        keys(&state, [.char(" "), .down, .char(" "), .enter])
        #expect(state.form?.values.regionList == ["us-east-1"])
    }

    @Test("Esc in a multi picker undoes the toggles made while it was open")
    func pickerEscUndo() {
        var state = opened()
        keys(&state, [.tab, .tab, .tab, .tab, .enter])   // regions with no GPU: every available region
        keys(&state, [.char(" "), .down, .char(" ")])
        #expect(state.form?.values.regionList.count == 2)
        keys(&state, [.escape])
        #expect(state.form?.values[.regions] == "")
        #expect(state.form != nil)
    }

    @Test("with the GPU list unavailable the field takes typed text and says so")
    func pickerUnavailable() {
        var state = Fixtures.loaded()
        keys(&state, [.char("n")])
        _ = Reducer.reduce(&state, .gpuTypesLoaded(.failure(.http(status: 503, body: ""))))
        keys(&state, [.tab, .tab])
        type(&state, "NVIDIA_H100_80G")
        #expect(state.form?.picker == nil)
        #expect(state.form?.values[.gpuType] == "NVIDIA_H100_80G")
        #expect(FormView.pickerNotes(state.catalog)[.gpuType]?.0.contains("list unavailable") == true)
        keys(&state, [.enter])   // no list: Enter moves on
        #expect(state.form?.focus == .field(.gpuCount))
    }

    @Test("a GPU count of 3 shows the power-of-two rule as it is typed and blocks submit with no request")
    func gpuCountThree() {
        var state = opened()
        fillBasics(&state)
        keys(&state, [.tab, .ctrl("u"), .char("3")])
        let check = state.form!.check(catalog: state.catalog)
        #expect(state.form!.visibleErrors(check)[.field(.gpuCount)] == "must be a power of two: 1, 2, 4, 8…")
        keys(&state, [.tab, .tab])
        let effects = keys(&state, [.ctrl("s")])
        #expect(effects == [])
        #expect(state.form?.focus == .field(.gpuCount))
        #expect(state.message?.text == "Not sent: 1 problem to fix first")
    }

    @Test("required fields show only after submit; submit focuses the first bad field")
    func requiredAfterSubmit() {
        var state = opened()
        let check = state.form!.check(catalog: state.catalog)
        #expect(state.form!.visibleErrors(check).isEmpty)
        keys(&state, [.function(10)])
        let after = state.form!.visibleErrors(state.form!.check(catalog: state.catalog))
        #expect(after[.field(.name)] == "is required" && after[.field(.image)] == "is required" && after[.field(.gpuType)] == "is required")
        #expect(state.form?.focus == .field(.name))
    }

    @Test("every validator rule lands on its own cell", arguments: [
        (FormField.minVram, "2000", "must be between 0 and 1536 GB"),
        (.minRam, "-1", "must be between 0 and 1536 GB"),
        (.minVcpu, "5000", "must be between 0 and 1024"),
        (.shm, "x", "must be a whole number"),
        (.containerVolume, "0", "must be between 1 and 10240 GB"),
        (.persistentVolume, "20000", "must be between 0 and 10240 GB"),
        (.persistentMountPath, "data", "must be an absolute path starting with /"),
        (.credential, "abc", "must be a credential id (a positive number)"),
        (.credential, "99", "no stored credential has id 99"),
        (.image, "has space", "must not contain spaces"),
        (.regions, "us-east-1, us-east-1", "must not list a region twice"),
    ])
    func fieldRules(field: FormField, text: String, message: String) {
        var form = CreateFormState()
        form.values[.name] = "a"; form.values[.image] = "img"; form.values[.gpuType] = "NVIDIA_H100_80G"
        form.values[field] = text
        let check = form.check(catalog: FormFixtures.catalog)
        #expect(check.errors[.field(field)] == message)
    }

    @Test("row rules: env keys, ports and volumes point at their row, blank rows are skipped")
    func rowRules() {
        var form = CreateFormState()
        form.values[.name] = "a"; form.values[.image] = "img"; form.values[.gpuType] = "NVIDIA_H100_80G"
        form.values.env = [EnvRow(key: "A", value: "1"), EnvRow(), EnvRow(key: "A", value: "2"), EnvRow(key: "", value: "v")]
        form.values.ports = [PortRow(port: "8080", proto: "HTTP"), PortRow(port: "70000"), PortRow(port: "x"), PortRow(port: "8080")]
        form.values.volumes = [VolumeRow(volumeID: "7", mountPath: "rel"), VolumeRow(volumeID: "no", mountPath: "/d")]
        let check = form.check(catalog: FormFixtures.catalog)
        #expect(check.errors[.envKey(2)] == "A is set twice")
        #expect(check.errors[.envKey(3)] == "must not be empty")
        #expect(check.errors[.envKey(1)] == nil)
        #expect(check.errors[.portNumber(1)] == "must be between 1 and 65535")
        #expect(check.errors[.portNumber(2)] == "must be a port number 1–65535")
        #expect(check.errors[.portNumber(3)] == "port 8080 is exposed twice")
        #expect(check.errors[.volumeMount(0)] == "must be an absolute path starting with /")
        #expect(check.errors[.volumeID(1)] == "must be a volume id (a positive number)")
        #expect(check.request.environmentVars?.count == 3)
    }

    @Test("a region where the chosen GPU is sold out is an error before sending")
    func soldOutRegion() {
        var form = CreateFormState()
        form.values[.name] = "a"; form.values[.image] = "img"; form.values[.gpuType] = "NVIDIA_H100_80G"
        form.values[.regions] = "us-central-3"
        let check = form.check(catalog: FormFixtures.catalog)
        #expect(check.errors[.field(.regions)] == "H100 is sold out in us-central-3 (try us-east-1)")
    }

    @Test("a valid form sends exactly one create request; a second ^S while waiting sends nothing")
    func submitOnce() {
        var state = opened()
        fillBasics(&state)
        let effects = keys(&state, [.ctrl("s")])
        let expected = PodV2CreateRequest(name: "job-1", image: "pytorch/pytorch:2.4", gpuType: "NVIDIA_RTX_4090_24G", gpuCount: 1,
                                          imagePublicType: "PUBLIC", resourceType: "GPU")
        #expect(effects == [.createPod(expected)])
        #expect(state.form?.submitting == true)
        #expect(keys(&state, [.ctrl("s")]) == [])
        #expect(keys(&state, [.function(10)]) == [])
        keys(&state, [.escape])   // closing while the request is out is refused
        #expect(state.form != nil)
    }

    @Test("success closes the form, selects the new pod and polls")
    func success() {
        var state = opened()
        fillBasics(&state)
        keys(&state, [.ctrl("s")])
        let pod = Fixtures.pod(999, "job-1", .initializing)
        let effects = Reducer.reduce(&state, .podCreated(pod, now))
        #expect(state.form == nil)
        #expect(state.nav.selectedID == 999)
        #expect(state.fleet.pods.contains { $0.id == 999 })
        #expect(effects.count == 1 || state.connection.fetching)
        #expect(state.message?.kind == .success)
    }

    @Test("a server 10001 keeps every value and puts the message next to the field it names")
    func serverFieldError() {
        var state = opened()
        fillBasics(&state)
        keys(&state, [.ctrl("s")])
        let before = state.form!.values
        _ = Reducer.reduce(&state, .createFailed(.api(httpStatus: 400, code: 10001, message: "image: not found in the registry", podID: nil), now))
        #expect(state.form?.values == before)
        #expect(state.form?.submitting == false)
        #expect(state.form?.serverErrors[.field(.image)] == "not found in the registry")
        #expect(state.form?.focus == .field(.image))
        // Editing the field clears the server's word on it.
        keys(&state, [.char("x")])
        #expect(state.form?.serverErrors[.field(.image)] == nil)
    }

    @Test("401, 5xx and timeouts keep the form and say so at the top")
    func serverOtherErrors() {
        for error in [PodAPIError.unauthorized(httpStatus: 401, detail: ""), .http(status: 503, body: ""), .timeout(seconds: 30)] {
            var state = opened()
            fillBasics(&state)
            keys(&state, [.ctrl("s")])
            _ = Reducer.reduce(&state, .createFailed(error, now))
            #expect(state.form?.values[.name] == "job-1")
            #expect(state.form?.serverMessage?.contains(error.message) == true)
            if case .timeout = error { #expect(state.form?.serverMessage?.contains("may still have been created") == true) }
        }
    }

    @Test("Esc on a clean form closes it; on a dirty form it asks, Enter keeps, y discards")
    func escAsks() {
        var state = opened()
        keys(&state, [.escape])
        #expect(state.form == nil)
        state = opened()
        type(&state, "x")
        keys(&state, [.escape])
        #expect(state.form?.prompt == .discard(thenQuit: false, discardFocused: false))
        keys(&state, [.enter])
        #expect(state.form?.prompt == nil && state.form?.values[.name] == "x")
        keys(&state, [.escape, .char("y")])
        #expect(state.form == nil && !state.shouldQuit)
    }

    @Test("Ctrl-C on a dirty form asks before quitting")
    func ctrlC() {
        var state = opened()
        type(&state, "x")
        keys(&state, [.ctrl("c")])
        #expect(!state.shouldQuit && state.form?.prompt == .discard(thenQuit: true, discardFocused: false))
        keys(&state, [.tab, .enter])
        #expect(state.shouldQuit)
    }

    @Test("env, port and volume rows are added with ↵ and removed with ^X")
    func rows() {
        var state = opened()
        while state.form?.focus != .addEnv { keys(&state, [.tab]) }
        keys(&state, [.enter])
        #expect(state.form?.focus == .envKey(0))
        type(&state, "HF_TOKEN")
        keys(&state, [.tab])
        type(&state, "hf_abc")
        keys(&state, [.tab, .char(" ")])
        #expect(state.form?.values.env == [EnvRow(key: "HF_TOKEN", value: "hf_abc", secret: true)])
        keys(&state, [.ctrl("x")])
        #expect(state.form?.values.env.isEmpty == true && state.form?.focus == .addEnv)
        keys(&state, [.tab, .enter])
        type(&state, "8888")
        keys(&state, [.tab, .right])
        #expect(state.form?.values.ports == [PortRow(port: "8888", proto: "SSH")])
    }

    @Test("clone pre-fills from the pod and starts clean")
    func clone() {
        var state = Fixtures.loaded()
        state.nav.selectedID = Fixtures.pods[0].id
        keys(&state, [.char("C")])
        let form = state.form!
        #expect(form.title == "Clone of llama-ft-7")
        #expect(form.values[.name] == "llama-ft-7-clone")
        #expect(form.values[.gpuType] == "NVIDIA_H100_80G" && form.values[.gpuCount] == "8" && form.values[.regions] == "us-east-1")
        #expect(form.values.env == [EnvRow(key: "HF_TOKEN", value: "hf_secret_value", secret: true)])
        #expect(form.values.ports == [PortRow(port: "22", proto: "SSH")])
        #expect(!form.isDirty)
    }

    @Test("the command line matches the values and elides secrets")
    func commandLine() {
        var form = CreateFormState()
        form.values[.name] = "job 1"; form.values[.image] = "img"; form.values[.gpuType] = "NVIDIA_H100_80G"
        form.values[.gpuCount] = "2"; form.values[.regions] = "us-east-1"
        form.values[.registryPassword] = "hunter2hunter2"
        form.values.env = [EnvRow(key: "HF_TOKEN", value: "hf_abc", secret: true), EnvRow(key: "MODE", value: "fast")]
        form.values.ports = [PortRow(port: "22", proto: "SSH")]
        let line = form.commandLine(catalog: FormFixtures.catalog)
        #expect(line.hasPrefix("podtui pods create --name 'job 1' --image img --gpu-type NVIDIA_H100_80G --gpu-count 2 --region us-east-1 --resource-type GPU --image-public-type PUBLIC"))
        #expect(line.contains(#"--env HF_TOKEN="$HF_TOKEN" --env MODE=fast --expose 22/SSH"#))
        #expect(!line.contains("hf_abc") && !line.contains("hunter2"))
    }

    @Test("form state survives a resize and a failed poll")
    func survives() {
        var state = opened()
        type(&state, "keep-me")
        _ = Reducer.reduce(&state, .key(.resize, now))
        _ = Reducer.reduce(&state, .tick(now.addingTimeInterval(10)))
        _ = Reducer.reduce(&state, .podsFailed(generation: state.connection.generation, .http(status: 502, body: ""), now))
        _ = Reducer.reduce(&state, .podsLoaded(generation: state.connection.generation, PodList(pods: []), now))
        #expect(state.form?.values[.name] == "keep-me")
        #expect(state.form?.focus == .field(.name))
    }
}

enum FormFixtures {
    static let types: [GPUType] = [
        GPUType(gpuType: "NVIDIA_RTX_4090_24G", regions: [GPURegion(region: "us-east-1", available: true)]),
        GPUType(gpuType: "NVIDIA_RTX_5090_32G", regions: [GPURegion(region: "us-east-1", available: false)]),
        GPUType(gpuType: "NVIDIA_H100_80G", regions: [GPURegion(region: "us-east-1", regionName: "US East", available: true),
                                                     GPURegion(region: "us-central-3", available: false)]),
        GPUType(gpuType: "NVIDIA_A100_80G", regions: [GPURegion(region: "us-west-1", available: true)]),
    ]
    static let credentials = [RegistryCredential(id: 42, name: "team-dockerhub", type: "DOCKER_HUB")]
    static let volumes = [
        Volume(id: 501, name: "datasets", sizeInGb: 500, region: "us-east-1", storageType: "CEPH", status: "active", mountCount: 1, cost: 25,
               createdAt: Date(timeIntervalSince1970: 1_790_000_000)),
        Volume(id: 502, name: "scratch", sizeInGb: 100, region: "us-west-1", storageType: "CEPH", status: "active", mountCount: 0, cost: 5,
               createdAt: Date(timeIntervalSince1970: 1_795_000_000)),
        Volume(id: 503, name: "model-zoo", region: "us-west-1", storageType: "S3", status: "active", mountCount: 0, cost: 0),
    ]
    static var catalog: Catalog {
        var c = Catalog()
        c.gpuTypes = .loaded(types)
        c.credentials = .loaded(credentials)
        return c
    }
}

/// Render snapshots of the form: empty, and filled with errors showing, at two sizes.
@Suite("Create form render")
struct FormRenderTests {
    let now = Fixtures.now

    func state(filled: Bool) -> AppState {
        var state = Fixtures.loaded()
        _ = Reducer.reduce(&state, .key(.char("n"), now))
        _ = Reducer.reduce(&state, .gpuTypesLoaded(.success(FormFixtures.types)))
        _ = Reducer.reduce(&state, .credentialsLoaded(.failure(.http(status: 503, body: ""))))
        guard filled else { return state }
        var form = state.form!
        form.values[.name] = "llama-ft-8"
        form.values[.image] = "pytorch/pytorch:2.4.0-cuda12.1"
        form.values[.gpuType] = "NVIDIA_H100_80G"
        form.values[.gpuCount] = "3"
        form.values[.regions] = "us-central-3"
        form.values[.registryPassword] = "s3cret-pass"
        form.values.env = [EnvRow(key: "HF_TOKEN", value: "hf_abcdef", secret: true), EnvRow(key: "MODE", value: "train")]
        form.values.ports = [PortRow(port: "8888", proto: "HTTP")]
        form.submitAttempted = true
        form.focus(on: .field(.gpuCount))
        state.form = form
        return state
    }

    func check(_ screen: Screen, _ expected: String, sourceLocation: SourceLocation = #_sourceLocation) {
        if screen.text != expected { Issue.record("snapshot differs; actual:\n\(screen.text)\n---", sourceLocation: sourceLocation) }
    }

    @Test("empty form at 120×40")
    func empty120() { check(Render.render(state(filled: false), size: Size(width: 120, height: 40)), SNAP_FORM_EMPTY_120) }

    @Test("filled form with errors at 120×40: errors beside their fields, secrets masked")
    func errors120() {
        let screen = Render.render(state(filled: true), size: Size(width: 120, height: 40))
        check(screen, SNAP_FORM_ERRORS_120)
        #expect(!screen.text.contains("s3cret") && !screen.text.contains("hf_abcdef"))
    }

    @Test("filled form with errors at 80×24: errors under their fields, scrolled to the focus")
    func errors80() { check(Render.render(state(filled: true), size: Size(width: 80, height: 24)), SNAP_FORM_ERRORS_80) }

    @Test("the GPU picker over the form")
    func picker() {
        var s = state(filled: false)
        s.form?.focus(on: .field(.gpuType))
        _ = Reducer.reduce(&s, .key(.char("a"), now))
        check(Render.render(s, size: Size(width: 80, height: 24)), SNAP_FORM_PICKER_80)
    }

    @Test("a 20-column terminal still draws without crashing")
    func tiny() {
        for (w, h) in [(20, 5), (24, 8), (30, 12)] {
            let screen = Render.render(state(filled: true), size: Size(width: w, height: h))
            #expect(screen.lines.count == h)
        }
    }
}
