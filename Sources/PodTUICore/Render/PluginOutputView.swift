import FoundationEssentials
import PodAPI

/// `:plugins`: the plugins configured, then each background run (newest last) with how it
/// ended and its last output lines; and the "run this plugin?" box.
enum PluginOutputView {
    static func draw(_ state: AppState, into screen: inout Screen, top: Int, bottom: Int) {
        var lines: [(String, Style)] = []
        let plugins = state.plugins.configured
        if plugins.isEmpty {
            lines.append(("No plugins: config.yaml's plugins: binds your own commands to keys.", Style(color: .muted)))
        }
        for plugin in plugins {
            let hidden = plugin.dangerous && state.settings.readOnly ? "  (dangerous: off in read-only mode)" : ""
            let kind = plugin.background ? "background" : "terminal"
            lines.append((DisplayWidth.pad(plugin.key.label, to: 6) + DisplayWidth.pad(TextSafety.clean(plugin.name), to: 20)
                          + kind + ", " + plugin.scope.rawValue + hidden, hidden.isEmpty ? .plain : Style(color: .muted)))
        }
        for entry in state.plugins.entries {
            lines.append(("", .plain))
            let title = "\(TextSafety.clean(entry.run.name)) on \(TextSafety.clean(entry.run.podLabel))"
            guard let result = entry.result else {
                lines.append((title + ": running…", Style(color: .accent, bold: true)))
                continue
            }
            let ended: String
            if let failure = result.failure { ended = "could not start: " + failure }
            else if result.timedOut { ended = "stopped after \(Format.age(Plugin.deadline))" }
            else { ended = "exited with status \(result.status)" }
            let ok = result.failure == nil && !result.timedOut && result.status == 0
            lines.append((title + ": " + TextSafety.clean(ended), Style(color: ok ? .good : .bad, bold: true)))
            for line in result.output {
                lines.append(("  " + TextSafety.clean(state.settings.redactor.redact(line)), .plain))
            }
        }
        ScrollText.draw(title: "Plugins (\(plugins.count)) and background runs (\(state.plugins.entries.count))", lines,
                        scroll: state.nav.detailScroll, into: &screen, top: top, bottom: bottom)
    }

    /// "Run NAME on POD?" with the command line it will run (each argument as it will be
    /// passed: the pod's text in it cleaned for the screen, never interpreted).
    static func drawConfirm(_ state: AppState, _ run: PluginRun, into screen: inout Screen) {
        let inner = Box.draw(title: "Run \(TextSafety.clean(run.name)) on \(TextSafety.clean(run.podLabel))?", width: 72, height: 6,
                             into: &screen, style: Style(color: .warn))
        let argv = run.arguments.map { TextSafety.clean(state.settings.redactor.redact($0)) }.joined(separator: " ")
        screen.put(argv, row: inner.row, col: inner.col, style: Style(bold: true), maxWidth: inner.width)
        screen.put(run.background ? "in the background (:plugins shows its output)" : "with the terminal (podtui comes back when it ends)",
                   row: inner.row + 1, col: inner.col, style: Style(color: .muted), maxWidth: inner.width)
        let keys = state.settings.keymap
        screen.put("\(KeyBindings.key(.confirm, in: .confirmBulk, keymap: keys)) runs it · "
                   + "\(KeyBindings.bindings(in: .confirmBulk, keymap: keys).first { $0.command == .cancel }?.keyLabel ?? "n") cancels",
                   row: inner.row + inner.height - 1, col: inner.col, style: Style(color: .muted), maxWidth: inner.width)
    }
}
