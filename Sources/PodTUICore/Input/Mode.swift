/// Where keys go right now, derived from the state in one place (`Mode.of`): the bindings
/// table is keyed by it, and the footer, the help box, the mouse and the reducers all ask it.
public enum Mode: String, Sendable, Hashable, CaseIterable {
    /// The pod list.
    case list
    /// The pod detail pane.
    case detail
    /// `:gpus` and `:events` (scrolling text views).
    case views
    /// One pod's JSON as the API sent it (`y`).
    case raw
    /// The help box (`?`).
    case help
    /// The help box over the create form (F1): it lists the form's keys.
    case formHelp
    /// "Delete pod?" for one pod.
    case confirmDelete
    /// The confirmation of a bulk pause, resume or delete of the marked pods.
    case confirmBulk
    /// Typing a `/` filter.
    case filterLine
    /// Typing a `:` command.
    case commandLine
    /// The create form.
    case form
    /// A single-choice list in the form (GPU type, count, credential).
    case picker
    /// The regions list in the form (several can be chosen).
    case multiPicker
    /// "Discard what you typed?" in the form.
    case formPrompt
    /// The form's equivalent command line (F2).
    case formCommandLine
    /// `:volumes` and `:credentials`.
    case storage
    /// The small form over them (create, rename, resize, change).
    case storageEditor
    /// `:timers`: the pause timers.
    case timers
    /// "Start from": the templates `n` offers above the empty form.
    case templateChooser
    /// `:forwards`: the active port-forwards.
    case forwards

    /// The mode for `state`: the top layer's (`Modal.stack`, whose order is also the
    /// drawing order), else the main view's.
    public static func of(_ state: AppState) -> Mode {
        guard let top = Modal.stack(state).last else { return main(state) }
        switch top {
        case .overlay:
            switch state.nav.overlay {
            case .help?: return state.form == nil ? .help : .formHelp
            case .confirmDelete?, .confirmStorageDelete?: return .confirmDelete
            case .confirmBulk?, .confirmPlugin?: return .confirmBulk
            case nil: return main(state)
            }
        case .storageEditor: return .storageEditor
        case .templateChooser: return .templateChooser
        case .formPrompt: return .formPrompt
        case .formCommandLine: return .formCommandLine
        case .picker: return state.form?.picker?.isMulti == true ? .multiPicker : .picker
        case .form: return .form
        case .inputLine: return state.nav.input?.kind == .filter ? .filterLine : .commandLine
        }
    }

    /// The main view's mode, with nothing open over it.
    private static func main(_ state: AppState) -> Mode {
        switch state.nav.view {
        case .pods: state.nav.focus == .detail ? .detail : .list
        case .raw: .raw
        case .volumes, .credentials: .storage
        case .timers: .timers
        case .forwards: .forwards
        case .gpus, .events, .plugins: .views
        }
    }

    /// The mode under the help box: whose keys it lists.
    public static func underHelp(_ state: AppState) -> Mode {
        var below = state
        below.nav.overlay = nil
        return of(below)
    }

    /// Where typing goes to a line editor: keys no binding claims are text.
    public var takesText: Bool {
        switch self {
        case .filterLine, .commandLine, .form, .picker, .multiPicker: true
        default: false
        }
    }

    /// A heading for the help box and the README.
    public var title: String {
        switch self {
        case .list: "Pod list"
        case .detail: "Pod detail"
        case .views: ":gpus and :events"
        case .raw: "Raw pod JSON (y)"
        case .help: "Help box"
        case .formHelp: "Form help box"
        case .confirmDelete: "Delete confirmation"
        case .confirmBulk: "Bulk action confirmation"
        case .filterLine: "Filter line (/)"
        case .commandLine: "Command line (:)"
        case .form: "Create form"
        case .picker: "Form list (GPU type, count, credential)"
        case .multiPicker: "Form regions list"
        case .formPrompt: "Discard prompt"
        case .formCommandLine: "Form command line (F2)"
        case .storage: ":volumes and :credentials"
        case .storageEditor: "Volume and credential form"
        case .timers: ":timers (T)"
        case .templateChooser: "Templates (n, when some are saved)"
        case .forwards: ":forwards"
        }
    }
}
