import Foundation
import Testing
import PodAPI
import PodProbe
@testable import PodTUICore
@testable import PodTUI

/// Issue 28: the user's plugins. Read from config.yaml (one line per bad entry, the rest
/// apply), rows of the one bindings table, values filled in as whole argv elements and
/// environment variables, asked first, refused read-only when dangerous.
@Suite("Plugins")
struct PluginTests {
    func settings(_ yaml: String) throws -> Settings {
        var lines: [String: Int] = [:]
        let raw = try YAMLReader.parse(yaml, lines: &lines)
        var config = ConfigFile(path: "/home/u/.config/podtui/config.yaml", raw: raw)
        config.lines = lines
        return Settings.from(config)
    }

    /// A loaded state with these plugins, the first pod (RUNNING) selected.
    func state(_ plugins: [Plugin], pods: [Pod] = Fixtures.pods) -> AppState {
        var state = Fixtures.loaded(pods)
        state.plugins.configured = plugins
        state.nav.selectedID = pods[0].id
        return state
    }

    static let hostileName = "a b'; rm -rf ~ $(touch /tmp/x) `id` \"q\""

    @Test("a good plugins: section loads every field")
    func good() throws {
        let s = try settings("""
        plugins:
          - name: nvtop
            key: ctrl-g
            description: nvtop on the pod
            command: [ssh, -t, -p, $POD_SSH_PORT, --, $POD_SSH_HOST, nvtop]
          - name: log
            key: V
            command: [tail, -n, 5, "/logs/${POD_ID}.log"]
            scope: detail
            background: true
            confirm: true
            dangerous: true
        """)
        #expect(s.problems == [])
        #expect(s.plugins.count == 2)
        #expect(s.plugins[0].key == .ctrl("g") && s.plugins[0].scope == .both && !s.plugins[0].background && s.plugins[0].line == 2)
        #expect(s.plugins[1].key == .char("V") && s.plugins[1].modes == [.detail] && s.plugins[1].background && s.plugins[1].confirm && s.plugins[1].dangerous)
    }

    @Test("each bad entry is one line naming its line and why; the good ones still load")
    func badEntries() throws {
        let s = try settings("""
        keys:
          pause: z
        plugins:
          - name: nocommand
            key: ctrl-a
          - name: unknownvar
            key: ctrl-y
            command: [echo, $POD_PASSWORD]
          - name: clash
            key: p
            command: [echo, hi]
          - name: clashremapped
            key: z
            command: [echo, hi]
          - name: shell
            key: ctrl-d
            command: [sh, -c, "echo $POD_NAME > f"]
          - name: good
            key: ctrl-e
            command: [sh, -c, "echo \\"$$POD_NAME\\" > f"]
          - name: twice
            key: ctrl-e
            command: [echo]
          - name: badkey
            key: hyper-x
            command: [echo]
          - key: ctrl-f
            command: [echo]
          - name: odd
            key: ctrl-h
            command: [echo]
            color: red
        """)
        #expect(s.plugins.map(\.name) == ["clash", "good"])   // p is free again: pause moved to z
        #expect(s.problems.count == 8)
        let joined = s.problems.joined(separator: "\n")
        #expect(joined.contains("config.yaml line 4: plugins[0] (nocommand): command is missing"))
        #expect(joined.contains("config.yaml line 6: plugins[1] (unknownvar): unknown variable $POD_PASSWORD"))
        #expect(joined.contains("plugins[3] (clashremapped): key z is already pause"))
        #expect(joined.contains("plugins[4] (shell): a variable in sh's script would be read as code"))
        #expect(joined.contains("plugins[6] (twice): key ^E is written twice (plugin good has it)"))
        #expect(joined.contains("plugins[7] (badkey): key hyper-x is not a key"))
        #expect(joined.contains("plugins[8]: name is missing"))
        #expect(joined.contains("plugins[9] (odd): unknown field color"))
        for problem in s.problems { #expect(problem.hasSuffix("this plugin is not loaded"), "\(problem)") }
    }

    @Test("a key a built-in has in the plugin's panes is refused; one free there is not")
    func clashes() throws {
        let s = try settings("""
        plugins:
          - name: a
            key: p
            command: [echo]
          - name: b
            key: e
            scope: list
            command: [echo]
          - name: c
            key: F
            command: [echo]
        """)
        // e shows env in the detail pane only: free in the list.
        #expect(s.plugins.map(\.name) == ["b"])
        #expect(s.problems.count == 2)
        #expect(s.problems[0].contains("key p is already pause"))
        #expect(s.problems[1].contains("key F is already forward"))
    }

    @Test("a hostile pod name stays one argv element and one environment value, never read as syntax")
    func substitution() {
        var pods = Fixtures.pods
        pods[0].name = Self.hostileName
        let plugin = Plugin(name: "p", key: .ctrl("g"), command: ["echo", "$POD_NAME", "--id=${POD_ID}x", "$$POD_NAME", "cost $5", "$MARKED_POD_IDS"])
        var s = state([plugin], pods: pods)
        s.fleet.marks = [pods[1].id, pods[0].id]
        _ = Reducer.reduce(&s, .key(.ctrl("g"), Fixtures.now))
        let request = s.io.external
        #expect(request?.arguments == ["echo", Self.hostileName, "--id=\(pods[0].id)x", "$POD_NAME", "cost $5", "\(pods[0].id),\(pods[1].id)"])
        #expect(request?.environment["POD_NAME"] == Self.hostileName)
        #expect(request?.environment["POD_SSH_HOST"] == "h" && request?.environment["POD_SSH_PORT"] == "30003" && request?.environment["POD_SSH_USER"] == "root")
        #expect(request?.environment["POD_STATUS"] == "RUNNING" && request?.environment["POD_IMAGE"] == "ubuntu:22.04")
        #expect(request?.environment.keys.contains { $0.hasPrefix("YOTTA_") } == false)
        #expect(Set(request?.environment.keys.map { $0 } ?? []) == Set(Plugin.variables))
    }

    @Test("a hostile sshCmd: a plugin using the ssh variables is refused by the rules of s; one that does not runs")
    func hostileSSH() {
        var pods = Fixtures.pods
        pods[0].sshCmd = "ssh -oProxyCommand=touch\\ /tmp/pwned root@h"
        let ssh = Plugin(name: "top", key: .ctrl("g"), command: ["ssh", "--", "$POD_SSH_HOST", "nvtop"])
        let plain = Plugin(name: "id", key: .ctrl("e"), command: ["echo", "$POD_ID"])
        var s = state([ssh, plain], pods: pods)
        _ = Reducer.reduce(&s, .key(.ctrl("g"), Fixtures.now))
        #expect(s.io.external == nil)
        #expect(s.message?.text.contains("ssh command was refused") == true)
        _ = Reducer.reduce(&s, .key(.ctrl("e"), Fixtures.now))
        #expect(s.io.external?.arguments == ["echo", String(pods[0].id)])
        #expect(s.io.external?.environment["POD_SSH_HOST"] == "")
    }

    @Test("background plugins become an effect; their result is kept for :plugins and said on the message line")
    func background() {
        let plugin = Plugin(name: "disk", key: .ctrl("g"), command: ["df", "$POD_ID"], background: true)
        var s = state([plugin])
        let effects = Reducer.reduce(&s, .key(.ctrl("g"), Fixtures.now))
        guard case .runPlugin(let run)? = effects.first else { Issue.record("no runPlugin: \(effects)"); return }
        #expect(run.arguments == ["df", String(Fixtures.pods[0].id)] && run.background)
        #expect(s.io.external == nil)
        let output = (1...80).map { "line \($0)" } + ["\u{1b}]52;c;aGk=\u{07}last"]
        _ = Reducer.reduce(&s, .pluginFinished(id: run.id, PluginResult(status: 3, output: output, timedOut: false), Fixtures.now))
        #expect(s.plugins.entries.first?.result?.output.count == PluginState.lines)
        #expect(s.message?.text.hasPrefix("Plugin disk on llama-ft-7 exited with status 3") == true)
        #expect(s.message?.text.contains("\u{1b}") == false)
        _ = InputReducer.run(&s, "plugins")
        #expect(s.nav.view == .plugins && Mode.of(s) == .views)
        let bottom = Render.render(s, size: Size(width: 100, height: 30))
        #expect(bottom.text.contains("last") && !bottom.text.contains("\u{1b}"))
        _ = Reducer.reduce(&s, .key(.char("g"), Fixtures.now))
        let top = Render.render(s, size: Size(width: 100, height: 30))
        #expect(top.text.contains("disk on llama-ft-7: exited with status 3"))
        #expect(top.text.contains("^G    disk"))
    }

    @Test("confirm asks first, naming the command; y runs it, n does not")
    func confirm() {
        let plugin = Plugin(name: "rsync up", key: .ctrl("g"), command: ["rsync", "$POD_NAME"], confirm: true)
        var s = state([plugin])
        _ = Reducer.reduce(&s, .key(.ctrl("g"), Fixtures.now))
        #expect(s.io.external == nil)
        guard case .confirmPlugin? = s.nav.overlay else { Issue.record("no confirmation"); return }
        #expect(Mode.of(s) == .confirmBulk)
        let screen = Render.render(s, size: Size(width: 100, height: 30))
        #expect(screen.text.contains("Run rsync up on llama-ft-7?") && screen.text.contains("rsync llama-ft-7"))
        _ = Reducer.reduce(&s, .key(.char("n"), Fixtures.now))
        #expect(s.nav.overlay == nil && s.io.external == nil)
        _ = Reducer.reduce(&s, .key(.ctrl("g"), Fixtures.now))
        _ = Reducer.reduce(&s, .key(.char("y"), Fixtures.now))
        #expect(s.nav.overlay == nil && s.io.external?.arguments == ["rsync", "llama-ft-7"])
    }

    @Test("read-only: a dangerous plugin is hidden from the footer and help and its key refused; others stay")
    func readOnly() {
        let danger = Plugin(name: "wipe", key: .ctrl("g"), command: ["echo"], dangerous: true)
        let safe = Plugin(name: "look", key: .ctrl("e"), command: ["echo"])
        var s = state([danger, safe])
        #expect(KeyBindings.footerItems(s).contains { $0.label == "wipe" })
        s.settings.readOnly = true
        #expect(!KeyBindings.footerItems(s).contains { $0.label == "wipe" })
        #expect(KeyBindings.footerItems(s).contains { $0.label == "look" })
        s.nav.overlay = .help
        let help = Render.render(s, size: Size(width: 120, height: 60)).text
        #expect(!help.contains("wipe") && help.contains("look"))
        s.nav.overlay = nil
        _ = Reducer.reduce(&s, .key(.ctrl("g"), Fixtures.now))
        #expect(s.io.external == nil && s.nav.overlay == nil)
        #expect(s.message?.text == "Read-only mode: the dangerous plugin wipe is disabled")
        _ = Reducer.reduce(&s, .key(.ctrl("e"), Fixtures.now))
        #expect(s.io.external?.arguments == ["echo"])
    }

    @Test("plugins are rows of the bindings table: scope, podtui keys, and no row in other panes")
    func table() {
        let listOnly = Plugin(name: "only-list", key: .ctrl("g"), command: ["echo"], scope: .list)
        #expect(KeyBindings.command(for: .ctrl("g"), in: .list, plugins: [listOnly]) == .plugin)
        #expect(KeyBindings.command(for: .ctrl("g"), in: .detail, plugins: [listOnly]) == nil)
        #expect(KeyTables.text(plugins: [listOnly]).contains("^G                     plugin only-list: echo"))
        var s = state([listOnly])
        s.nav.focus = .detail
        _ = Reducer.reduce(&s, .key(.ctrl("g"), Fixtures.now))
        #expect(s.io.external == nil)
    }

    @Test("a plugin whose program is not an executable file is dropped at start with its line")
    func executable() throws {
        var s = try settings("""
        plugins:
          - name: gone
            key: ctrl-g
            command: [/nonexistent/tool, $POD_ID]
          - name: there
            key: ctrl-y
            command: [sh, -c, "true"]
        """)
        s = PluginCheck.checked(s)
        #expect(s.plugins.map(\.name) == ["there"])
        #expect(s.problems == ["config.yaml line 2: plugin gone: /nonexistent/tool is not an executable file; this plugin is not loaded"])
    }

    @Test("a background plugin runs without a shell, with the values in its environment and no YOTTA_*; closeAll ends a hung one")
    func runtime() async throws {
        let children = BackgroundChildren()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("plugin-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let run = PluginRun(id: 1, name: "t", arguments: ["/bin/sh", "-c", "printf '%s\\n' \"$1\" \"$POD_NAME\"; env | grep -c '^YOTTA_' || true", "sh", Self.hostileName],
                            environment: ["POD_NAME": Self.hostileName], background: true, podLabel: "x")
        let result = await withCheckedContinuation { (c: CheckedContinuation<PluginResult, Never>) in
            children.runPlugin(run) { c.resume(returning: $0) }
        }
        #expect(result.status == 0 && !result.timedOut)
        #expect(result.output == [Self.hostileName, Self.hostileName, "0"])
        // A plugin that hangs: ended by closeAll (the loop's end), not waited for.
        let hung = PluginRun(id: 2, name: "hang", arguments: ["sleep", "30"], environment: [:], background: true, podLabel: "x")
        let started = ContinuousClock.now
        let ended = await withCheckedContinuation { (c: CheckedContinuation<PluginResult, Never>) in
            children.runPlugin(hung) { c.resume(returning: $0) }
            Task.detached {
                while children.running == 0 { try? await Task.sleep(for: .milliseconds(10)) }
                children.closeAll()
            }
        }
        #expect(ended.status == 128 + 15)
        #expect(ContinuousClock.now - started < .seconds(10))
    }
}
