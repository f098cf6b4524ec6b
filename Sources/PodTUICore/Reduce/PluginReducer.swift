import FoundationEssentials
import PodAPI
import PodProbe

/// The user's plugins: a key found in `PluginState`, its values filled in from the selected
/// pod, asked first when it says so, then run in the foreground (the terminal, like `s`) or
/// in the background (the runtime, a deadline; `:plugins` shows its output).
enum PluginReducer {
    /// The plugin bound to `key` in `mode`. A dangerous plugin in read-only mode is hidden
    /// from the table; its key is still refused aloud rather than doing nothing.
    static func key(_ state: inout AppState, _ key: Key, in mode: Mode) -> [Effect] {
        let readOnly = state.settings.readOnly
        guard let plugin = state.plugins.plugin(for: key, in: mode, readOnly: readOnly) else { return [] }
        return start(&state, plugin)
    }

    /// True when `key` is a dangerous plugin's that read-only mode hides (the message says so).
    static func refusedReadOnly(_ state: inout AppState, _ key: Key, in mode: Mode) -> Bool {
        guard state.settings.readOnly,
              let hidden = state.plugins.configured.first(where: { $0.dangerous && $0.key == key && $0.modes.contains(mode) }) else { return false }
        state.say(Availability.Refusal.readOnly("the dangerous plugin \(Plugin.shown(hidden.name))").reason, .error)
        return true
    }

    /// Fills in the plugin's values for the selected pod and runs it, or asks first.
    static func start(_ state: inout AppState, _ plugin: Plugin) -> [Effect] {
        if plugin.dangerous && state.settings.readOnly {
            state.say(Availability.Refusal.readOnly("the dangerous plugin \(Plugin.shown(plugin.name))").reason, .error)
            return []
        }
        guard let pod = state.selectedPod else {
            state.say("No pod selected", .info)
            return []
        }
        let values: [String: String]
        switch plugin.values(for: pod, allPods: state.fleet.allPods, marked: state.fleet.marks) {
        case .success(let found): values = found
        case .failure(let failure):
            state.say("Plugin \(Plugin.shown(plugin.name)) not run on \(TextSafety.clean(pod.label)): \(failure.reason)", .error)
            return []
        }
        let run = PluginRun(id: state.plugins.nextID, name: plugin.name, arguments: Plugin.substitute(plugin.command, values),
                            environment: values, background: plugin.background, podLabel: pod.label)
        state.plugins.nextID += 1
        if plugin.asksFirst {
            state.nav.overlay = .confirmPlugin(run)
            return []
        }
        return launch(&state, run)
    }

    /// Runs it: the terminal for a foreground one, the runtime's background for the others.
    static func launch(_ state: inout AppState, _ run: PluginRun) -> [Effect] {
        let title = "\(Plugin.shown(run.name)) on \(TextSafety.clean(run.podLabel))"
        guard run.background else {
            state.io.sequence += 1
            state.io.external = ExternalRequest(seq: state.io.sequence, arguments: run.arguments, title: "plugin " + title,
                                                environment: run.environment)
            state.say("Running \(title)…", .info)
            return []
        }
        state.plugins.entries.append(PluginState.Entry(run: run, result: nil))
        trim(&state)
        state.say("Running \(title) in the background (:plugins shows its output)…", .info)
        return [.runPlugin(run)]
    }

    /// The confirmation's answer.
    static func confirmed(_ state: inout AppState, _ run: PluginRun, yes: Bool) -> [Effect] {
        state.nav.overlay = nil
        guard yes else {
            state.say("Plugin \(Plugin.shown(run.name)) not run", .info)
            return []
        }
        return launch(&state, run)
    }

    /// A background run ended: its output kept for `:plugins`, its last line on the message row.
    static func finished(_ state: inout AppState, _ id: Int, _ result: PluginResult) {
        guard let i = state.plugins.entries.firstIndex(where: { $0.run.id == id }) else { return }
        var kept = result
        kept.output = Array(result.output.suffix(PluginState.lines))
        state.plugins.entries[i].result = kept
        let run = state.plugins.entries[i].run
        let title = "\(Plugin.shown(run.name)) on \(TextSafety.clean(run.podLabel))"
        let last = kept.output.last.map { ": " + TextSafety.clean(state.settings.redactor.redact($0)) } ?? ""
        if let failure = result.failure {
            state.say("Plugin \(title) could not start: \(TextSafety.clean(failure))", .error)
        } else if result.timedOut {
            state.say("Plugin \(title) was stopped after \(Format.age(Plugin.deadline))\(last)", .error)
        } else if result.status == 0 {
            state.say("Plugin \(title) done\(last)", .success)
        } else {
            state.say("Plugin \(title) exited with status \(result.status)\(last)", .error)
        }
        record(&state, "plugin \(title): " + (result.failure.map { "could not start: " + $0 } ?? (result.timedOut ? "stopped at the deadline" : "status \(result.status)")),
               bad: result.failure != nil || result.timedOut || result.status != 0)
    }

    /// Keeps the newest `PluginState.kept` runs (never one still running).
    private static func trim(_ state: inout AppState) {
        while state.plugins.entries.count > PluginState.kept, let done = state.plugins.entries.firstIndex(where: { $0.result != nil }) {
            state.plugins.entries.remove(at: done)
        }
    }

    private static func record(_ state: inout AppState, _ text: String, bad: Bool) {
        Reducer.record(&state, nil, TextSafety.clean(text), bad ? .bad : .good)
    }
}
