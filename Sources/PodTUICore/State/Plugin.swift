import PodAPI
import PodProbe

/// A user's own command bound to a key (`plugins:` in config.yaml), k9s-style. It runs
/// without a shell: `command` is argv, and each element's `$POD_…` variables are replaced
/// by the selected pod's values as whole text (a name with spaces, quotes or `;` stays
/// inside its one element and nothing interprets it). The same names are in its environment.
///
/// ```yaml
/// plugins:
///   - name: nvtop
///     key: ctrl-g
///     description: nvtop on the pod over ssh
///     command: [ssh, -t, -p, $POD_SSH_PORT, -l, $POD_SSH_USER, --, $POD_SSH_HOST, nvtop]
///     scope: both            # list, detail or both (the default)
///     background: false      # true: no terminal, a 60 s deadline, output in :plugins
///     confirm: false         # ask first
///     dangerous: false       # hidden and refused in read-only mode (and asks first)
/// ```
public struct Plugin: Sendable, Equatable {
    public enum Scope: String, Sendable, CaseIterable { case list, detail, both }

    public var name: String
    public var key: Key
    public var description: String?
    public var command: [String]
    public var scope: Scope
    public var background: Bool
    public var confirm: Bool
    public var dangerous: Bool
    /// The config file's line of the entry, for messages.
    public var line: Int?

    public init(name: String, key: Key, description: String? = nil, command: [String], scope: Scope = .both,
                background: Bool = false, confirm: Bool = false, dangerous: Bool = false, line: Int? = nil) {
        self.name = name; self.key = key; self.description = description; self.command = command; self.scope = scope
        self.background = background; self.confirm = confirm; self.dangerous = dangerous; self.line = line
    }

    /// The panes whose keys it takes.
    public var modes: Set<Mode> {
        switch scope {
        case .list: [.list]
        case .detail: [.detail]
        case .both: [.list, .detail]
        }
    }

    /// Asks before it runs: `confirm`, and every `dangerous` one.
    public var asksFirst: Bool { confirm || dangerous }

    /// Its row in the bindings table (footer, help, `podtui keys`).
    public var binding: KeyBinding {
        KeyBinding([key], .plugin, name, help: "plugin \(name): " + (description ?? command.joined(separator: " ")) + (background ? " (in the background; :plugins shows its output)" : ""),
                   in: modes, footer: true, dangerous: asksFirst)
    }

    /// Seconds a background plugin may run before it is killed.
    public static let deadline = 60.0

    /// The variables a command may use, in the order the README lists them.
    public static let variables = ["POD_ID", "POD_NAME", "POD_STATUS", "POD_REGION", "POD_IMAGE", "POD_SSH_HOST", "POD_SSH_PORT",
                                   "POD_SSH_USER", "POD_SSH_ALIAS", "MARKED_POD_IDS"]
    /// The ones that come from the pod's `sshCmd` (refused by the rules of `s`).
    static let sshVariables: Set<String> = ["POD_SSH_HOST", "POD_SSH_PORT", "POD_SSH_USER"]

    /// Programs that read an argument as a script: a pod's text spliced into that script
    /// would be read as code, so a variable there is refused (the script reads the
    /// environment instead: `$$POD_NAME` is a literal `$POD_NAME`).
    static let shells: Set<String> = ["sh", "bash", "dash", "zsh", "ksh", "mksh", "fish", "ash", "busybox"]

    // MARK: - Substitution

    /// One piece of an argv element: literal text or a variable.
    enum Piece: Equatable { case text(String), variable(String) }

    /// `$NAME`, `${NAME}` (NAME of `A-Z`, `0-9`, `_`, not starting with a digit) and `$$` (a
    /// literal `$`); any other
    /// `$` is itself. Nil piece list when a `${` is not closed.
    static func pieces(_ element: String) -> [Piece]? {
        var out: [Piece] = []
        var text = ""
        var i = element.startIndex
        func isName(_ c: Character) -> Bool { c == "_" || (c.isASCII && (c.isUppercase || c.isNumber)) }
        while i < element.endIndex {
            let c = element[i]
            let next = element.index(after: i)
            guard c == "$", next < element.endIndex else { text.append(c); i = next; continue }
            if element[next] == "$" { text.append("$"); i = element.index(after: next); continue }
            var name = ""
            var end = next
            if element[next] == "{" {
                guard let close = element[next...].firstIndex(of: "}") else { return nil }
                name = String(element[element.index(after: next)..<close])
                end = element.index(after: close)
            } else if element[next] == "_" || (element[next].isASCII && element[next].isUppercase) {
                while end < element.endIndex, isName(element[end]) { name.append(element[end]); end = element.index(after: end) }
            }
            if name.isEmpty { text.append(c); i = next; continue }
            if !text.isEmpty { out.append(.text(text)); text = "" }
            out.append(.variable(name))
            i = end
        }
        if !text.isEmpty { out.append(.text(text)) }
        return out
    }

    /// What is wrong with `command`, one line, or nil: an unknown variable, an unclosed
    /// `${`, or a variable inside a shell's `-c` script.
    static func commandProblem(_ command: [String]) -> String? {
        guard let program = command.first, !program.isEmpty else { return "command is empty (a list: [program, arguments…])" }
        for element in command {
            guard let pieces = pieces(element) else { return "\"${\" without \"}\" in \(shown(element))" }
            for case .variable(let name) in pieces where !variables.contains(name) {
                return "unknown variable $\(name) (known: \(variables.map { "$" + $0 }.joined(separator: ", ")); $$ is a literal $)"
            }
        }
        if case .variable? = pieces(program)?.first { return "the program itself cannot be a variable" }
        let base = program.split(separator: "/").last.map(String.init) ?? program
        if shells.contains(base), let c = command.firstIndex(where: { $0.hasPrefix("-") && !$0.hasPrefix("--") && $0.contains("c") }),
           c + 1 < command.count, let script = pieces(command[c + 1]), script.contains(where: { if case .variable = $0 { true } else { false } }) {
            return "a variable in \(base)'s script would be read as code; write $$NAME there (the shell then reads it from the environment)"
        }
        return nil
    }

    /// `command` with every variable replaced by its value, each element staying one element.
    public static func substitute(_ command: [String], _ values: [String: String]) -> [String] {
        command.map { element in
            (pieces(element) ?? [.text(element)]).map { piece in
                switch piece {
                case .text(let text): text
                case .variable(let name): values[name] ?? ""
                }
            }.joined()
        }
    }

    /// The variables `command` uses.
    static func used(_ command: [String]) -> Set<String> {
        var names = Set<String>()
        for element in command { for case .variable(let name) in pieces(element) ?? [] { names.insert(name) } }
        return names
    }

    /// The values for `pod`: its fields, its ssh target (when `sshCmd` passes the rules of
    /// `s`), its `~/.ssh/config` alias and the marked pods. A variable the command uses
    /// whose value cannot be had is an error that says why (the SSH ones for a refused
    /// `sshCmd`).
    public func values(for pod: Pod, allPods: [Pod], marked: Set<Int64>) -> Result<[String: String], ProbeFailure> {
        var values: [String: String] = [
            "POD_ID": String(pod.id),
            "POD_NAME": pod.name ?? "",
            "POD_STATUS": pod.status.wireName,
            "POD_REGION": pod.region ?? "",
            "POD_IMAGE": pod.image ?? "",
            "MARKED_POD_IDS": marked.sorted().map(String.init).joined(separator: ","),
        ]
        values["POD_SSH_ALIAS"] = SSHConfig.hosts(for: allPods).first { $0.podID == pod.id }?.alias ?? ""
        let used = Self.used(command)
        switch ProbeTarget.parse(pod.sshCmd) {
        case .success(let target):
            values["POD_SSH_HOST"] = target.host
            values["POD_SSH_PORT"] = target.port.map(String.init) ?? "22"
            values["POD_SSH_USER"] = target.user ?? ""
        case .failure(let failure):
            if !used.isDisjoint(with: Self.sshVariables) { return .failure(failure) }
            for name in Self.sshVariables { values[name] = "" }
        }
        return .success(values)
    }

    static func shown(_ text: String) -> String {
        let clean = TextSafety.clean(text)
        return clean.count > 40 ? String(clean.prefix(40)) + "…" : clean
    }
}

/// A plugin about to run (or running): argv with the values in, its environment, and what
/// messages call it.
public struct PluginRun: Sendable, Equatable {
    /// Numbered by the reducer, so a result finds its run.
    public var id: Int
    public var name: String
    public var arguments: [String]
    /// The `$POD_…` variables, added to the child's environment (which never holds YOTTA_*
    /// or the key).
    public var environment: [String: String]
    public var background: Bool
    /// "llama-ft-7" for messages.
    public var podLabel: String

    public init(id: Int, name: String, arguments: [String], environment: [String: String], background: Bool, podLabel: String) {
        self.id = id; self.name = name; self.arguments = arguments; self.environment = environment
        self.background = background; self.podLabel = podLabel
    }
}

/// How a background plugin ended: its status and last output lines, or why it never ran.
public struct PluginResult: Sendable, Equatable {
    public var status: Int32
    public var output: [String]
    public var timedOut: Bool
    /// Why it could not start (then `status` means nothing).
    public var failure: String?

    public init(status: Int32, output: [String], timedOut: Bool, failure: String? = nil) {
        self.status = status; self.output = output; self.timedOut = timedOut; self.failure = failure
    }
}

/// Background plugins: those running and the last ones that ended, with their output.
public struct PluginState: Sendable {
    public struct Entry: Sendable, Equatable {
        public var run: PluginRun
        /// Nil while it runs.
        public var result: PluginResult?
    }
    /// The plugins of config.yaml that loaded.
    public var configured: [Plugin] = []
    /// Newest last; at most `kept`.
    public var entries: [Entry] = []
    public var nextID = 1
    /// Output lines kept per run.
    public static let lines = 50
    public static let kept = 20

    public init() {}

    /// The plugins offered now: a dangerous one is hidden in read-only mode.
    public func offered(readOnly: Bool) -> [Plugin] {
        configured.filter { !(readOnly && $0.dangerous) }
    }

    /// The plugin `key` runs in `mode`, among those offered.
    public func plugin(for key: Key, in mode: Mode, readOnly: Bool) -> Plugin? {
        offered(readOnly: readOnly).first { $0.key == key && $0.modes.contains(mode) }
    }
}

extension Settings {
    /// Reads `plugins:`: each bad entry is one problem naming its line and is skipped; the
    /// others apply. A key another plugin has, or a built-in key of the plugin's panes
    /// (after `keys:` remapping), is refused.
    mutating func readPlugins(_ config: ConfigFile, file: String) {
        guard let value = config.raw["plugins"] else { return }
        func line(_ path: String) -> String {
            let own = config.lines[path] ?? config.lines.filter { $0.key.hasPrefix(path + ".") }.map(\.value).min()
            return own.map { " line \($0)" } ?? ""
        }
        guard let items = value.array else {
            problems.append("\(file)\(line("plugins")): plugins: must be a list of plugins (- name: …, key: …, command: [...])")
            return
        }
        let builtIns = KeyBindings.table(remapped: keys)
        for (index, item) in items.enumerated() {
            let path = "plugins[\(index)]"
            let at = "\(file)\(line(path)): \(path)"
            guard let table = item.table else { problems.append("\(at): must be a mapping (name, key, command…)"); continue }
            let label = table["name"]?.string.map { " (\(Plugin.shown($0)))" } ?? ""
            func bad(_ why: String) { problems.append("\(at)\(label): \(why); this plugin is not loaded") }
            let known: Set<String> = ["name", "key", "description", "command", "scope", "background", "confirm", "dangerous"]
            if let unknown = table.keys.sorted().first(where: { !known.contains($0) }) {
                bad("unknown field \(Plugin.shown(unknown)) (known: \(known.sorted().joined(separator: ", ")))"); continue
            }
            guard let name = table["name"]?.string, !name.trimmed.isEmpty else { bad("name is missing (a string)"); continue }
            guard let keyText = table["key"]?.string else { bad("key is missing (like \"ctrl-g\", \"f6\", \"V\")"); continue }
            guard let key = KeyName.parse(keyText) else { bad("key \(Plugin.shown(keyText)) is not a key (like \"ctrl-g\", \"f6\", \"V\")"); continue }
            guard let words = table["command"]?.array else { bad("command is missing (a list: [program, arguments…])"); continue }
            let command = words.compactMap { $0.string ?? $0.integer.map(String.init) }
            guard command.count == words.count else { bad("command must be a list of strings"); continue }
            if let why = Plugin.commandProblem(command) { bad(why); continue }
            var plugin = Plugin(name: name, key: key, command: command, line: config.lines["\(path).name"] ?? config.lines[path])
            if let d = table["description"] {
                guard let text = d.string else { bad("description must be a string"); continue }
                plugin.description = text
            }
            if let s = table["scope"] {
                guard let text = s.string, let scope = Plugin.Scope(rawValue: text) else { bad("scope must be list, detail or both"); continue }
                plugin.scope = scope
            }
            var flagsOK = true
            for (field, keyPath) in [("background", \Plugin.background), ("confirm", \Plugin.confirm), ("dangerous", \Plugin.dangerous)] {
                guard let v = table[field] else { continue }
                guard let b = v.bool else { bad("\(field) must be true or false"); flagsOK = false; break }
                plugin[keyPath: keyPath] = b
            }
            guard flagsOK else { continue }
            if let clash = builtIns.first(where: { $0.keys.contains(key) && !$0.modes.isDisjoint(with: plugin.modes) }) {
                bad("key \(key.label) is already \(clash.command.rawValue) (\(clash.label)) in the \(clash.modes.intersection(plugin.modes).map(\.rawValue).sorted().joined(separator: " and ")); choose another")
                continue
            }
            if let other = plugins.first(where: { $0.key == key && !$0.modes.isDisjoint(with: plugin.modes) }) {
                bad("key \(key.label) is written twice (plugin \(Plugin.shown(other.name)) has it)")
                continue
            }
            plugins.append(plugin)
        }
    }
}
