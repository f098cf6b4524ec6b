import Testing
import PodAPI
@testable import PodTUICore
@testable import PodTUI

/// `ui:` and `keys:` of config.yaml: every problem named with its line, defaults kept.
@Suite("Settings")
struct SettingsTests {
    func settings(_ yaml: String) throws -> Settings {
        var lines: [String: Int] = [:]
        let raw = try YAMLReader.parse(yaml, lines: &lines)
        var config = ConfigFile(path: "/home/u/.config/podtui/config.yaml", raw: raw)
        config.lines = lines
        return Settings.from(config)
    }

    @Test("a good file sets everything")
    func good() throws {
        let s = try settings("""
        ui:
          interval: 5
          columns: [status, GPU, "$/h", COST]
          theme: high-contrast
          notifications: true
          mouse: false
          gpu_probe: true
          gpu_probe_interval: 60
          gpu_idle_percent: 2.5
          gpu_idle_minutes: 30

        keys:
          pause: z
          quit:
            - q
            - ctrl-q
        """)
        #expect(s.problems == [])
        #expect(s.interval == 5 && s.columns == ["STATUS", "GPU", "$/H", "COST"] && s.theme == .highContrast)
        #expect(s.notifications && !s.mouse)
        #expect(s.probe.enabled && s.probe.interval == 60 && s.probe.idlePercent == 2.5 && s.probe.idleMinutes == 30)
        #expect(s.keys[.pause] == [.char("z")] && s.keys[.quit] == [.char("q"), .ctrl("q")])
    }

    @Test("a missing section means defaults, no problems")
    func empty() throws {
        let s = try settings("")
        #expect(s == Settings())
    }

    @Test("each bad value is reported with file, line and field, and keeps its default", arguments: [
        ("ui:\n  interval: 0", "config.yaml line 2: ui.interval: must be a number of seconds, at least 1"),
        ("ui:\n  gpu_probe: sometimes", "config.yaml line 2: ui.gpu_probe: must be true or false"),
        ("ui:\n  gpu_probe_interval: 1", "config.yaml line 2: ui.gpu_probe_interval: must be a number of seconds from 5 to 3600"),
        ("ui:\n  gpu_idle_percent: 0", "config.yaml line 2: ui.gpu_idle_percent: must be a percentage above 0, at most 100"),
        ("ui:\n  gpu_idle_minutes: 0.05", "config.yaml line 2: ui.gpu_idle_minutes: must be a number of minutes from 0.1 to 10080"),
        ("ui:\n  interval: fast", "config.yaml line 2: ui.interval: must be a number of seconds, at least 1"),
        ("ui:\n  columns: GPU", "config.yaml line 2: ui.columns: must be a list of column titles"),
        ("ui:\n  columns: [GPU, COLOUR]", "config.yaml line 2: ui.columns: unknown column \"COLOUR\" (known: NAME, STATUS, GPU, ×, GPU%, VRAM, REGION, AGE, $/H, COST, ID, CPU%, MEM, DISK)"),
        ("ui:\n  theme: neon", "config.yaml line 2: ui.theme: must be one of auto, dark, light, high-contrast, mono"),
        ("ui:\n  notifications: \"yes\"", "config.yaml line 2: ui.notifications: must be true or false"),
        ("ui:\n  mouse: 1", "config.yaml line 2: ui.mouse: must be true or false"),
        ("ui:\n\n  speed: 2", "config.yaml line 3: ui.speed: unknown setting (known: interval, unfocused_interval, columns, theme, notifications, mouse, hyperlinks, budget_per_hour, gpu_probe, gpu_probe_interval, gpu_idle_percent, gpu_idle_minutes, metrics, metrics_requests_per_second)"),
        ("keys:\n  pause: ctrl-", "config.yaml line 2: keys.pause: must be a key or a list of keys, like \"p\", \"ctrl-p\", \"f5\", \"enter\""),
        ("keys:\n  pause: 5", "config.yaml line 2: keys.pause: must be a key or a list of keys, like \"p\", \"ctrl-p\", \"f5\", \"enter\""),
    ])
    func problems(yaml: String, message: String) throws {
        let s = try settings(yaml)
        #expect(s.problems == [message])
        var defaults = Settings()
        defaults.problems = s.problems
        #expect(s == defaults)
    }

    @Test("an unknown command in keys: names the known ones")
    func unknownCommand() throws {
        let s = try settings("keys:\n  explode: x")
        #expect(s.problems.first?.hasPrefix("config.yaml line 2: keys.explode: unknown command (known: moveUp, moveDown") == true)
    }

    @Test("remapped keys work in the reducer and conflicts are reported")
    func remap() throws {
        let s = try settings("keys:\n  pause: z\n  resume: p\n  delete: z")
        #expect(s.problems == ["config.yaml: keys: z is bound to both pause and delete; pause wins"])
        var state = Fixtures.loaded()
        state.settings.keymap = s.keys
        state.nav.selectedID = Fixtures.pods[0].id   // running
        #expect(Reducer.reduce(&state, .key(.char("z"), Fixtures.now)) == [.perform(.pause, podID: Fixtures.pods[0].id)])
        #expect(KeyBindings.command(for: .char("p"), in: .list, keymap: s.keys) == .resume)
    }

    @Test("key names", arguments: [("p", Key.char("p")), ("P", .char("P")), ("ctrl-x", .ctrl("x")), ("F5", .function(5)),
                                    ("enter", .enter), ("esc", .escape), ("space", .char(" ")), ("pgdn", .pageDown)])
    func keyNames(text: String, key: Key) {
        #expect(KeyName.parse(text) == key)
    }

    @Test("settings problems show on the first screen and in :events; the UI starts anyway")
    func shownAtStart() throws {
        let s = try settings("ui:\n  theme: neon")
        let state = TUIApp.initialState(TUIOptions(service: FakeService(), endpoint: "x", interval: 3, readOnly: false,
                                                   logger: .init(label: "t"), settings: s))
        #expect(state.message?.text == "config.yaml line 2: ui.theme: must be one of auto, dark, light, high-contrast, mono; using the default")
        #expect(state.events.count == 1)
    }
}

/// A service that is never called (for building options).
struct FakeService: NoStorageService {
    func listPods(regions: [String], statuses: [PodStatus]) async throws -> PodList { PodList(pods: []) }
    func getPod(id: Int64) async throws -> Pod { throw PodAPIError.connection("fake") }
    func createPod(_ request: PodV2CreateRequest) async throws -> CreateResult { throw PodAPIError.connection("fake") }
    func pausePod(id: Int64) async throws {}
    func resumePod(id: Int64) async throws {}
    func deletePod(id: Int64) async throws {}
    func gpuTypes() async throws -> [GPUType] { [] }
    func registryCredentials() async throws -> [RegistryCredential] { [] }
}
