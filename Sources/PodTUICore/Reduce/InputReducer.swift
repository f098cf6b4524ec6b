import FoundationEssentials
import PodAPI

/// The bottom input line: `/` filters as you type; `:` runs a command, k9s-style, with Tab
/// completion.
enum InputReducer {
    /// A key on the `/` or `:` line: `command` is what the bindings table made of it; keys
    /// it leaves alone are typed into the line.
    static func reduceKey(_ state: inout AppState, _ key: Key, command: Command?) -> [Effect] {
        guard var input = state.nav.input else { return [] }
        switch command {
        case .cancelLine?:
            state.nav.input = nil
            if input.kind == .filter { return setFilter(&state, "") }
            return []
        case .closeLine?:
            state.nav.input = nil
            return []
        case .acceptLine?:
            state.nav.input = nil
            if input.kind == .command { return run(&state, input.editor.text) }
            if case .timer(let ids) = input.kind {
                guard !input.editor.text.trimmed.isEmpty else {
                    state.say("No timer set", .info)
                    return []
                }
                return TimerReducer.accept(&state, ids: ids, text: input.editor.text)
            }
            if case .forward(let podID) = input.kind {
                return ForwardReducer.accept(&state, podID: podID, text: input.editor.text)
            }
            if !state.fleet.filter.isEmpty {
                state.say("\(state.fleet.pods.count) of \(state.fleet.allPods.count) pods match · \(KeyBindings.key(.clearFilter, in: .list, keymap: state.settings.keymap)) clears the filter", .info)
            }
            return []
        // Moving the list while typing works in both lines (the command line has no history).
        case .moveUp?, .moveDown?, .pageUp?, .pageDown?:
            Reducer.move(&state, command ?? .moveDown)
            return []
        case .complete?:
            if case .timer = input.kind {
                input.editor = LineEditor(TimerReducer.nextPreset(input.editor.text))
                state.nav.input = input
                return []
            }
            if case .forward(let podID) = input.kind {
                input.editor = LineEditor(ForwardReducer.nextPort(state, podID: podID, input.editor.text))
                state.nav.input = input
                return []
            }
            if let completed = complete(input.editor.text, state: state) {
                input.editor = LineEditor(completed)
                state.nav.input = input
            }
            return []
        default:
            if key == .backspace && input.editor.text.isEmpty {
                state.nav.input = nil   // backspace on an empty line leaves it, like vim's command line
                return []
            }
            let before = input.editor.text
            guard input.editor.apply(key) else { return [] }
            state.nav.input = input
            if input.kind == .filter, input.editor.text != before { return setFilter(&state, input.editor.text) }
            return []
        }
    }

    /// Sets the filter, refilters the list and, when the part the server can filter changed,
    /// asks for a new list (one request at a time, as always).
    static func setFilter(_ state: inout AppState, _ text: String) -> [Effect] {
        state.fleet.filter = PodFilter(text)
        Reducer.refresh(&state)
        if let unknown = state.fleet.filter.unknownFields.first {
            state.say("Unknown filter field \"\(unknown):\": use name, image, gpu, region, status or id", .error)
        }
        guard Reducer.serverQuery(state) != state.connection.requestedQuery else { return [] }
        if state.connection.fetching {
            state.connection.nextPoll = state.now   // podsLoaded sees the changed query and polls again
            return []
        }
        return Reducer.startFetch(&state)
    }

    /// Runs a `:` command line.
    static func run(_ state: inout AppState, _ line: String) -> [Effect] {
        let words = line.split(whereSeparator: \.isWhitespace).map(String.init)
        guard let first = words.first?.lowercased() else { return [] }
        let rest = words.dropFirst().joined(separator: " ")
        let command: LineCommand
        switch LineCommand.resolve(first) {
        case .success(let found): command = found
        case .failure(let unresolved):
            let hint = unresolved.candidates.map(\.rawValue).joined(separator: ", ")
            state.say("Unknown command :\(TextSafety.clean(first)) (try \(hint))", .error)
            return []
        }
        // Exhaustive: a new command without its case here does not compile (it once fell
        // into a `default:` that quit).
        switch command {
        case .pods:
            state.nav.view = .pods
        case .gpus:
            state.nav.view = .gpus
            state.nav.detailScroll = .top
            if state.catalog.gpuTypes.value == nil { state.catalog.gpuTypes = .loading }
            return [.loadCatalog]
        case .events:
            state.nav.view = .events
            state.nav.detailScroll = .end   // newest at the bottom, in view
        case .volumes:
            return StorageReducer.open(&state, .volumes)
        case .credentials:
            return StorageReducer.open(&state, .credentials)
        case .timers:
            return TimerReducer.open(&state)
        case .forwards:
            ForwardReducer.open(&state)
        case .plugins:
            state.nav.view = .plugins
            state.nav.detailScroll = .end   // the newest run at the bottom, in view
        case .new:
            guard !rest.isEmpty else { return Reducer.perform(&state, .newPod) }
            return [.openTemplate(rest)]
        case .budget:
            return BudgetReducer.set(&state, rest)
        case .probe:
            return ProbeReducer.command(&state, rest)
        case .metrics:
            return MetricsReducer.command(&state, rest)
        case .window:
            return MetricsReducer.windowCommand(&state, rest)
        case .filter:
            state.nav.view = .pods
            return setFilter(&state, rest)
        case .sort:
            let args = rest.split(separator: " ").map(String.init)
            guard let name = args.first, let column = SortColumn(named: name) else {
                state.say("Usage: :sort \(SortColumn.allCases.map(\.rawValue).joined(separator: "|")) [asc|desc]", .error)
                return []
            }
            let direction = args.dropFirst().first?.lowercased()
            let ascending: Bool? = direction.map { $0.hasPrefix("a") } ?? (state.fleet.sort.column == column ? nil : column.defaultAscending)
            state.nav.view = .pods
            Reducer.sortBy(&state, column, ascending: ascending)
        case .profile:
            guard !rest.isEmpty else {
                state.say("Usage: :profile NAME (profiles: \(state.settings.profiles.isEmpty ? "none configured" : state.settings.profiles.joined(separator: ", ")))", .error)
                return []
            }
            state.say("Switching to profile \(TextSafety.clean(rest))…", .info)
            return [.switchProfile(rest)]
        case .help:
            state.nav.overlay = .help
        case .open:
            guard rest.isEmpty || Int(rest) != nil else {
                state.say("Usage: :open [PORT]", .error)
                return []
            }
            return Reducer.openURL(&state, port: Int(rest))
        case .sshConfig:
            let hosts = SSHConfig.hosts(for: state.fleet.allPods)
            guard !hosts.isEmpty else {
                state.say("No running pod can be reached by ssh: nothing to write", .info)
                return []
            }
            state.say("Writing \(hosts.count) host\(hosts.count == 1 ? "" : "s") to ~/.ssh/config…", .info)
            return [.writeSSHConfig(block: SSHConfig.block(hosts), hosts: hosts.count)]
        case .quit:
            state.shouldQuit = true
        }
        return []
    }

    /// Tab completion: the command name, then a sort column or a profile name. Nil when
    /// nothing (or nothing more) can be completed.
    static func complete(_ text: String, state: AppState) -> String? {
        let endsWithSpace = text.last == " "
        let words = text.split(separator: " ").map(String.init)
        if words.count <= 1 && !endsWithSpace {
            let prefix = words.first?.lowercased() ?? ""
            let names = LineCommand.allCases.map(\.rawValue).filter { $0.hasPrefix(prefix) }
            return commonCompletion(prefix, names).map { $0 + (names.count == 1 ? " " : "") }
        }
        // Only spaces typed: nothing to complete (this indexed an empty list; found by KeyFuzzTests).
        guard let head = words.first?.lowercased() else { return nil }
        let partial = endsWithSpace ? "" : (words.last ?? "").lowercased()
        let options: [String]
        switch LineCommand(rawValue: head) {
        case .sort?: options = words.count >= (endsWithSpace ? 2 : 3) ? ["asc", "desc"] : SortColumn.allCases.map(\.rawValue)
        case .profile?: options = state.settings.profiles
        case .filter?: options = PodFilter.Field.allCases.map { $0.rawValue + ":" } + ["idle:yes"]
        case .probe?: options = ["on", "off"]
        case .metrics?: options = ["on", "off"]
        case .window?: options = MetricWindow.allCases.map(\.rawValue)
        default: options = []
        }
        let candidates = options.filter { $0.lowercased().hasPrefix(partial) }
        guard let word = commonCompletion(partial, candidates) else { return nil }
        let kept = endsWithSpace ? words : Array(words.dropLast())
        let suffix = candidates.count == 1 && !word.hasSuffix(":") ? " " : ""
        return (kept + [word]).joined(separator: " ") + suffix
    }

    /// The longest common prefix of the candidates, if it adds anything to `prefix`.
    private static func commonCompletion(_ prefix: String, _ candidates: [String]) -> String? {
        guard var common = candidates.first else { return nil }
        for c in candidates.dropFirst() {
            while !c.lowercased().hasPrefix(common.lowercased()) { common.removeLast() }
        }
        return common.count > prefix.count || candidates.count == 1 ? common : nil
    }
}
