import PodAPI

/// Where the user is: the pane that receives keys.
public enum Focus: Sendable, Hashable {
    case list, detail
}

/// One row of the bindings table: the footer, the help overlay and the reducer all read it.
public struct KeyBinding: Sendable {
    public var keys: [Key]
    public var command: Command
    /// What it does, in two or three words.
    public var label: String
    /// Panes where it works.
    public var focus: Set<Focus>
    /// Shown in the footer (the help overlay shows every binding).
    public var inFooter: Bool
    /// Needs a confirmation before anything is sent.
    public var dangerous: Bool

    /// The keys as the footer writes them, e.g. "j/↓".
    public var keyLabel: String { keys.map(\.label).joined(separator: "/") }
}

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
        KeyBinding(keys: [.char("e")], command: .revealEnv, label: "show env", focus: [.detail], inFooter: true, dangerous: false),
        KeyBinding(keys: [.char("?"), .function(1)], command: .help, label: "help", focus: [.list, .detail], inFooter: true, dangerous: false),
        KeyBinding(keys: [.char("q"), .ctrl("c")], command: .quit, label: "quit", focus: [.list, .detail], inFooter: true, dangerous: false),
    ]

    /// The command a key maps to in a pane.
    public static func command(for key: Key, focus: Focus) -> Command? {
        for binding in all where binding.focus.contains(focus) && binding.keys.contains(key) { return binding.command }
        return nil
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
        case .clonePod:
            if state.readOnly { return "Read-only mode: create is disabled" }
            return state.selectedPod == nil ? "No pod selected to clone" : nil
        default: return nil
        }
        if state.readOnly { return "Read-only mode: \(action.rawValue) is disabled" }
        guard let pod = state.selectedPod else { return "No pod selected" }
        if let pending = state.pending[pod.id] { return "\(pod.name): \(pending.rawValue) is already in progress" }
        return action.refusal(for: pod.status)
    }
}
