import PodAPI
import PodProbe

/// Why a command cannot run now, per mode: each rule is written here once. The footer dims
/// (or, for `KeyBindings.hiddenWhenUnavailable`, leaves out) what it refuses, the help box
/// says why, and the reducer asks it before carrying a key's command out and refuses with
/// the same words. It lives with the bindings, below the reducers, because the views ask
/// it too.
public enum Availability {
    /// Why not, and how the message line shows it.
    public struct Refusal: Sendable, Equatable {
        public var reason: String
        public var kind: Message.Kind
        public init(_ reason: String, _ kind: Message.Kind = .error) { self.reason = reason; self.kind = kind }

        /// The one wording of every read-only refusal: `Read-only mode: WHAT is disabled`.
        public static func readOnly(_ what: String) -> Refusal { Refusal("Read-only mode: \(what) is disabled") }
    }

    /// Nil when `command` can run now in `mode`; otherwise why not.
    public static func refusal(_ command: Command, in mode: Mode, _ state: AppState) -> Refusal? {
        switch mode {
        case .list, .detail: pods(command, in: mode, state)
        case .raw: raw(command, state)
        case .storage: storage(command, state)
        case .storageEditor: storageEditor(command, state)
        case .form: form(command, state)
        case .picker, .multiPicker: picker(command, state)
        case .timers: timers(command, state)
        case .forwards: forwards(command, state)
        case .views, .help, .formHelp, .confirmDelete, .confirmBulk, .filterLine, .commandLine, .formPrompt,
             .formCommandLine, .templateChooser: nil
        }
    }

    /// The reason alone (the footer and the help box).
    public static func reason(_ command: Command, in mode: Mode, _ state: AppState) -> String? {
        refusal(command, in: mode, state)?.reason
    }

    // MARK: - The list and the detail pane

    private static func pods(_ command: Command, in mode: Mode, _ state: AppState) -> Refusal? {
        let noPod = Refusal("No pod selected", .info)
        switch command {
        case .openDetail, .rawView: return state.selectedPod == nil ? noPod : nil
        case .metricsView:
            if state.selectedPod == nil { return noPod }
            return state.settings.metricsAvailable ? nil : Refusal("API metrics are not available here", .info)
        case .revealEnv:
            return (state.selectedPod?.envVars ?? []).isEmpty ? Refusal("This pod has no environment variables", .info) : nil
        case .newPod: return state.settings.readOnly ? Refusal.readOnly("create") : nil
        case .clonePod:
            if state.settings.readOnly { return Refusal.readOnly("create") }
            return state.selectedPod == nil ? Refusal("No pod selected to clone") : nil
        case .pause, .resume, .delete:
            let action: PodAction = command == .pause ? .pause : command == .resume ? .resume : .delete
            if state.settings.readOnly { return Refusal.readOnly(action.rawValue) }
            // With marks, the list acts on the marked pods (one confirmation, then each pod
            // the action applies to): the selected pod's status does not matter.
            if mode == .list && !state.fleet.marks.isEmpty { return nil }
            guard let pod = state.selectedPod else { return Refusal("No pod selected") }
            if let pending = state.fleet.pending[pod.id] {
                return Refusal("\(TextSafety.clean(pod.label)): \(pending.rawValue) is already in progress")
            }
            return action.refusal(for: pod.status).map { Refusal($0) }
        case .pauseTimer: return pauseTimer(state)
        case .forward: return forward(state)
        case .ssh, .copySSH:
            guard let pod = state.selectedPod else { return Refusal("No pod selected") }
            guard let sshCmd = pod.sshCmd, !sshCmd.isEmpty else {
                return Refusal("\(TextSafety.clean(pod.label)) has no ssh command"
                               + (pod.status == .running ? "" : " (ssh needs RUNNING; it is \(TextSafety.clean(pod.status.wireName)))"))
            }
            // What podtui refuses to run it does not copy either: pasted into a shell, an
            // option such as -oProxyCommand would run there.
            // The point first: the message line may cut the reason short.
            if case .failure(let refusal) = SSHCommand.copyText(sshCmd) {
                let prefix = "the pod's ssh command was refused: "
                let why = refusal.reason.hasPrefix(prefix) ? String(refusal.reason.dropFirst(prefix.count)) : refusal.reason
                return Refusal("The pod's ssh command is neither run nor copied: " + why)
            }
            return nil
        case .mark:
            if state.fleet.pods.isEmpty { return Refusal("No pods to mark", .info) }
            return state.selectedPod == nil ? noPod : nil
        case .markAll: return state.fleet.pods.isEmpty ? Refusal("No pods to mark", .info) : nil
        case .openURL:
            guard let pod = state.selectedPod else { return Refusal("No pod selected") }
            if case .failure(let refusal) = Endpoints.url(for: pod) { return Refusal(refusal.reason) }
            return nil
        // Esc with no filter kept does nothing, quietly: it is the key people press to get
        // back, and a message each time would be noise.
        default: return nil
        }
    }

    /// `t`: the selected RUNNING pod, or the marked ones that are RUNNING.
    private static func pauseTimer(_ state: AppState) -> Refusal? {
        if state.settings.readOnly { return Refusal.readOnly("setting pause timers") }
        if !state.settings.timersEnabled { return Refusal("Pause timers need the state directory, which could not be used") }
        if !state.fleet.marks.isEmpty {
            let anyRunning = state.fleet.allPods.contains { state.fleet.marks.contains($0.id) && $0.status == .running }
            return anyRunning ? nil : Refusal("None of the marked pods is RUNNING")
        }
        guard let pod = state.selectedPod else { return Refusal("No pod selected") }
        return pod.status == .running ? nil
            : Refusal("\(TextSafety.clean(pod.label)) is \(pod.status.wireName): a pause timer needs a RUNNING pod")
    }

    /// `F`: the selected pod must be RUNNING and its `sshCmd` pass the rules of `s`.
    /// Allowed read-only: a forward changes nothing on the pod.
    private static func forward(_ state: AppState) -> Refusal? {
        guard let pod = state.selectedPod else { return Refusal("No pod selected") }
        if !state.settings.probesAvailable { return Refusal("Port-forwards need ssh, which podtui cannot run here", .info) }
        if case .failure(let failure) = PodLookup.invocation(for: pod) {
            return Refusal("\(TextSafety.clean(pod.label)): " + failure.reason)
        }
        return nil
    }

    private static func forwards(_ command: Command, _ state: AppState) -> Refusal? {
        guard command == .stopForward else { return nil }
        if state.forwards.items.isEmpty { return Refusal("No port-forwards", .info) }
        return state.forwards.items.indices.contains(state.forwards.selected) ? nil : Refusal("No forward selected", .info)
    }

    // MARK: - The raw view and :timers

    private static func raw(_ command: Command, _ state: AppState) -> Refusal? {
        // `e` here shows secret-looking fields too, not only env values: always available.
        command == .copyJSON && state.raw?.json == nil ? Refusal("Nothing loaded yet", .info) : nil
    }

    private static func timers(_ command: Command, _ state: AppState) -> Refusal? {
        guard command == .cancelTimer else { return nil }
        let active = state.timers.active
        if active.isEmpty { return Refusal("No pause timers", .info) }
        return active.indices.contains(state.timers.selected) ? nil : Refusal("No timer selected", .info)
    }

    // MARK: - :volumes and :credentials

    private static func storage(_ command: Command, _ state: AppState) -> Refusal? {
        switch command {
        case .newItem, .rename, .resize, .delete: break
        default: return nil
        }
        if state.settings.readOnly {
            return Refusal.readOnly("changing \(state.nav.view == .credentials ? "credentials" : "volumes")")
        }
        if let busy = state.storage.inFlight { return Refusal("Waiting for the reply to \(busy.summary)") }
        if command == .newItem { return nil }
        if command == .resize && state.nav.view != .volumes { return Refusal("Only volumes can be resized") }
        if state.nav.view == .volumes {
            guard let volume = state.selectedStorageVolume else { return Refusal("No volume selected") }
            if command == .resize { return volume.resizeRefusal.map { Refusal($0) } }
            if command == .delete { return volume.deleteRefusal.map { Refusal($0) } }
            return nil
        }
        return state.selectedStorageCredential == nil ? Refusal("No credential selected") : nil
    }

    private static func storageEditor(_ command: Command, _ state: AppState) -> Refusal? {
        guard let editor = state.storage.editor else { return nil }
        switch command {
        case .change, .editText:
            guard editor.fields.indices.contains(editor.focus) else { return Refusal("Nothing to change") }
            let isChoice: Bool
            if case .choice = editor.fields[editor.focus].kind { isChoice = true } else { isChoice = false }
            if command == .change { return isChoice ? nil : Refusal("Only on a choice") }
            return isChoice ? Refusal("Only in a text field") : nil
        case .submit:
            if editor.submitting { return Refusal("Already sent: waiting for the reply", .info) }
            if state.settings.readOnly { return Refusal.readOnly("\(editor.title.lowercased())") }
            if let busy = state.storage.inFlight { return Refusal("Waiting for the reply to \(busy.summary)", .info) }
            return nil
        default:
            return nil
        }
    }

    // MARK: - The create form

    private static func form(_ command: Command, _ state: AppState) -> Refusal? {
        guard let form = state.form else { return nil }
        switch command {
        case .submit:
            if form.submitting {
                return Refusal("Already creating \(TextSafety.clean(form.values[.name])): waiting for the reply", .info)
            }
            return state.settings.readOnly ? Refusal.readOnly("create") : nil
        case .cancel:
            return form.submitting ? Refusal("Creating: wait for the reply before closing the form", .info) : nil
        case .saveTemplate:
            if !state.settings.templatesEnabled { return Refusal("Templates need the config directory, which is not available") }
            return form.values[.name].trimmed.isEmpty ? Refusal("Give the pod a name first: the template is saved under it") : nil
        case .removeRow:
            return form.focus.row == nil ? Refusal("Only on an env, port or volume row") : nil
        case .editText:
            if case .field(let field) = form.focus, field.kind == .picker { return Refusal("Only in a text field") }
            return form.focus.isText ? nil : Refusal("Only in a text field")
        case .change:
            switch form.focus {
            case .envSecret, .volumeBackup, .portProtocol: return nil
            case .field(let field): if case .cycle = field.kind { return nil }
            default: break
            }
            return Refusal("Only on a choice or a checkbox")
        default:
            return nil
        }
    }

    /// The lists in the form: a sold-out line cannot be chosen, a new credential cannot be
    /// made read-only.
    private static func picker(_ command: Command, _ state: AppState) -> Refusal? {
        guard command == .choose || command == .toggle, let form = state.form, let picker = form.picker,
              let choices = try? state.catalog.choices(for: picker.item, values: form.values).get() else { return nil }
        let shown = picker.filter(choices)
        guard shown.indices.contains(picker.highlight) else { return nil }
        let choice = shown[picker.highlight]
        if command == .toggle {
            // Taking a sold-out region off the list is fine; adding one is not.
            guard picker.isMulti, !choice.enabled, !form.values.regionList.contains(choice.value) else { return nil }
            return Refusal("\(choice.label) is sold out for this GPU right now")
        }
        guard !picker.isMulti else { return nil }
        if choice.kind == .newCredential {
            return state.settings.readOnly ? Refusal.readOnly("creating credentials") : nil
        }
        return choice.enabled ? nil : Refusal("\(choice.label) is sold out right now")
    }
}
