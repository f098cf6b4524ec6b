import PodAPI

/// The bindings table and the availability rules.
public enum KeyBindings {
    public static let all: [KeyBinding] = [
        KeyBinding(keys: [.enter], command: .openDetail, label: "detail", focus: [.list], inFooter: true, dangerous: false),
        KeyBinding(keys: [.escape], command: .back, label: "back", focus: [.detail], inFooter: true, dangerous: false),
        KeyBinding(keys: [.char("k"), .up], command: .moveUp, label: "up", focus: [.list, .detail], inFooter: false, dangerous: false),
        KeyBinding(keys: [.char("j"), .down], command: .moveDown, label: "down", focus: [.list, .detail], inFooter: false, dangerous: false),
        KeyBinding(keys: [.pageUp, .ctrl("b")], command: .pageUp, label: "page up", focus: [.list, .detail], inFooter: false, dangerous: false),
        KeyBinding(keys: [.pageDown, .ctrl("f")], command: .pageDown, label: "page down", focus: [.list, .detail], inFooter: false, dangerous: false),
        KeyBinding(keys: [.char("g"), .home], command: .first, label: "first", focus: [.list, .detail], inFooter: false, dangerous: false),
        KeyBinding(keys: [.char("G"), .end], command: .last, label: "last", focus: [.list, .detail], inFooter: false, dangerous: false),
        KeyBinding(keys: [.char("p")], command: .pause, label: "pause", focus: [.list, .detail], inFooter: true, dangerous: false),
        KeyBinding(keys: [.char("r")], command: .resume, label: "resume", focus: [.list, .detail], inFooter: true, dangerous: false),
        KeyBinding(keys: [.char("d")], command: .delete, label: "delete", focus: [.list, .detail], inFooter: true, dangerous: true),
        KeyBinding(keys: [.char("n")], command: .newPod, label: "new pod", focus: [.list, .detail], inFooter: true, dangerous: false),
        KeyBinding(keys: [.char("C")], command: .clonePod, label: "clone", focus: [.list, .detail], inFooter: false, dangerous: false),
        KeyBinding(keys: [.char("/")], command: .filter, label: "filter", focus: [.list], inFooter: true, dangerous: false),
        KeyBinding(keys: [.char(":")], command: .command, label: "command", focus: [.list, .detail], inFooter: false, dangerous: false),
        KeyBinding(keys: [.char(" ")], command: .mark, label: "mark", focus: [.list], inFooter: false, dangerous: false),
        KeyBinding(keys: [.char("*")], command: .markAll, label: "mark all shown", focus: [.list], inFooter: false, dangerous: false),
        KeyBinding(keys: [.char("u")], command: .clearMarks, label: "clear marks", focus: [.list], inFooter: false, dangerous: false),
        KeyBinding(keys: [.char("s")], command: .ssh, label: "ssh", focus: [.list, .detail], inFooter: true, dangerous: false),
        KeyBinding(keys: [.char("c")], command: .copySSH, label: "copy ssh cmd", focus: [.list, .detail], inFooter: false, dangerous: false),
        KeyBinding(keys: [.char("N")], command: .sortName, label: "sort by name", focus: [.list], inFooter: false, dangerous: false),
        KeyBinding(keys: [.char("S")], command: .sortStatus, label: "sort by status", focus: [.list], inFooter: false, dangerous: false),
        KeyBinding(keys: [.char("U")], command: .sortGPU, label: "sort by GPU", focus: [.list], inFooter: false, dangerous: false),
        KeyBinding(keys: [.char("X")], command: .sortCount, label: "sort by GPU count", focus: [.list], inFooter: false, dangerous: false),
        KeyBinding(keys: [.char("R")], command: .sortRegion, label: "sort by region", focus: [.list], inFooter: false, dangerous: false),
        KeyBinding(keys: [.char("A")], command: .sortAge, label: "sort by age", focus: [.list], inFooter: false, dangerous: false),
        KeyBinding(keys: [.char("P")], command: .sortPrice, label: "sort by $/h", focus: [.list], inFooter: false, dangerous: false),
        KeyBinding(keys: [.char("$")], command: .sortCost, label: "sort by cost so far", focus: [.list], inFooter: false, dangerous: false),
        KeyBinding(keys: [.char("I")], command: .sortID, label: "sort by id", focus: [.list], inFooter: false, dangerous: false),
        KeyBinding(keys: [.char("e")], command: .revealEnv, label: "show env", focus: [.detail], inFooter: true, dangerous: false),
        KeyBinding(keys: [.char("?"), .function(1)], command: .help, label: "help", focus: [.list, .detail], inFooter: true, dangerous: false),
        KeyBinding(keys: [.char("q"), .ctrl("c")], command: .quit, label: "quit", focus: [.list, .detail], inFooter: true, dangerous: false),
    ]

    /// The command a key maps to in a pane, with the user's remapping.
    public static func command(for key: Key, focus: Focus, keymap: [Command: [Key]] = [:]) -> Command? {
        for binding in table(remapped: keymap) where binding.focus.contains(focus) && binding.keys.contains(key) { return binding.command }
        return nil
    }

    /// The bindings with the keys the settings give some commands.
    public static func table(remapped keymap: [Command: [Key]]) -> [KeyBinding] {
        guard !keymap.isEmpty else { return all }
        return all.map { binding in
            var b = binding
            if let keys = keymap[binding.command] { b.keys = keys }
            return b
        }
    }

    /// Keys bound to two commands in the same pane, in words.
    public static func conflicts(_ table: [KeyBinding]) -> [String] {
        var out: [String] = []
        for (i, a) in table.enumerated() {
            for b in table[(i + 1)...] where !a.focus.isDisjoint(with: b.focus) {
                for key in a.keys where b.keys.contains(key) {
                    out.append("\(key.label) is bound to both \(a.command.rawValue) and \(b.command.rawValue); \(a.command.rawValue) wins")
                }
            }
        }
        return out
    }

    /// Nil when the command can run now; otherwise why not, in words.
    public static func unavailableReason(_ command: Command, state: AppState) -> String? {
        let action: PodAction
        switch command {
        case .pause: action = .pause
        case .resume: action = .resume
        case .delete: action = .delete
        case .openDetail: return state.selectedPod == nil ? "No pod selected" : nil
        case .revealEnv: return (state.selectedPod?.envVars ?? []).isEmpty ? "This pod has no environment variables" : nil
        case .newPod: return state.readOnly ? "Read-only mode: create is disabled" : nil
        case .ssh, .copySSH:
            guard let pod = state.selectedPod else { return "No pod selected" }
            guard let sshCmd = pod.sshCmd, !sshCmd.isEmpty else {
                return "\(TextSafety.clean(pod.label)) has no ssh command" + (pod.status == .running ? "" : " (ssh needs RUNNING; it is \(TextSafety.clean(pod.status.wireName)))")
            }
            if command == .ssh, SSHCommand.arguments(sshCmd) == nil { return "The pod's ssh command is not a plain ssh command; c copies it instead" }
            return nil
        case .mark, .markAll: return state.pods.isEmpty ? "No pods to mark" : nil
        case .clonePod:
            if state.readOnly { return "Read-only mode: create is disabled" }
            return state.selectedPod == nil ? "No pod selected to clone" : nil
        default: return nil
        }
        if state.readOnly { return "Read-only mode: \(action.rawValue) is disabled" }
        guard let pod = state.selectedPod else { return "No pod selected" }
        if let pending = state.pending[pod.id] { return "\(TextSafety.clean(pod.label)): \(pending.rawValue) is already in progress" }
        return action.refusal(for: pod.status)
    }
}
