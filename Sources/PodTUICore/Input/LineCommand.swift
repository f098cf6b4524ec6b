/// The commands of the `:` line. The reducer switches over them exhaustively (a new case
/// without its handling does not compile), the input view hints their usage, Tab completes
/// their names, and the `:` binding's help text lists them all (`helpText`).
public enum LineCommand: String, CaseIterable, Sendable {
    case pods, gpus, events, volumes, credentials, timers, forwards, plugins, new, budget, probe, metrics, window, filter, sort, profile, open
    case sshConfig = "ssh-config"
    case help, quit

    /// How it is written, with its arguments (":sort COLUMN [asc|desc]").
    public var synopsis: String {
        switch self {
        case .new: ":new [TEMPLATE]"
        case .budget: ":budget DOLLARS_PER_HOUR|off"
        case .probe: ":probe on|off"
        case .metrics: ":metrics [on|off]"
        case .window: ":window 1h|3h|12h|2d|7d|30d|90d"
        case .filter: ":filter TEXT"
        case .sort: ":sort COLUMN [asc|desc]"
        case .profile: ":profile NAME"
        case .open: ":open [PORT]"
        default: ":" + rawValue
        }
    }

    /// What it does, in a few words; nil when the name says it.
    public var summary: String? {
        switch self {
        case .pods: "the pod list"
        case .gpus: "GPU types, regions and availability"
        case .events: "status changes and action results"
        case .volumes: "persistent volumes: create, rename, resize, delete"
        case .credentials: "registry credentials: create, change, delete"
        case .timers: "pause timers (T): x cancels one"
        case .forwards: "port-forwards (F): x stops one"
        case .plugins: "your plugins and the background ones' output"
        case .new: "the create form, from a saved template"
        case .budget: "warn when the burn rate goes over"
        case .probe: "GPU use of running pods through your ssh"
        case .metrics: "the selected pod's charts, full screen; on|off: GPU%, VRAM... from the API"
        case .window: "how far back the charts look (w wider, W narrower)"
        case .filter: "same as /"
        case .sort: nil
        case .profile: "switch to a config profile"
        case .open: "open the selected pod's web endpoint (or copy its URL)"
        case .sshConfig: "write a Host block for every running pod to ~/.ssh/config"
        case .help: "the keys"
        case .quit: nil
        }
    }

    /// The hint the input line shows once the name is typed.
    public var usage: String { summary.map { synopsis + "  " + $0 } ?? synopsis }

    /// The `:` binding's help text: every command, from this enum.
    public static var helpText: String {
        "command line with Tab completion: " + allCases.map(\.synopsis).joined(separator: " ")
    }

    /// The command a typed word names: itself, or the one command it is a prefix of.
    /// Otherwise the names it could be (all of them when none starts with it).
    public static func resolve(_ word: String) -> Result<LineCommand, Unresolved> {
        let word = word.lowercased()
        let matches = allCases.filter { $0.rawValue.hasPrefix(word) }
        if let exact = matches.first(where: { $0.rawValue == word }) { return .success(exact) }
        if matches.count == 1 { return .success(matches[0]) }
        return .failure(Unresolved(candidates: matches.isEmpty ? allCases : matches))
    }

    /// A word that names no single command, and the commands it might mean.
    public struct Unresolved: Error, Sendable, Equatable {
        public var candidates: [LineCommand]
    }
}
