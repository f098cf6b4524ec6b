/// What can be open over the main view, in the order they stack: a later case sits over
/// an earlier one. This order is written here only: `Mode.of` gives the keys to the top of
/// `Modal.stack(state)` and `Render.render` draws the stack bottom to top, so the layer that
/// gets the keys is the one drawn on top.
public enum Modal: Sendable, Hashable, CaseIterable {
    /// The `/`, `:` or "pause in" line (on the message row).
    case inputLine
    /// The create form (in place of the main view).
    case form
    /// A list in the form (GPU type, count, credential, regions, a volume).
    case picker
    /// The form's equivalent command line (F2).
    case formCommandLine
    /// "Discard what you typed?"
    case formPrompt
    /// "Start from": the templates `n` offers above the empty form.
    case templateChooser
    /// The small form of `:volumes` and `:credentials`, also over the create form
    /// ("+ new credential…" in its picker).
    case storageEditor
    /// The help box or a confirmation.
    case overlay

    /// True when this layer is open in `state`.
    public func isOpen(in state: AppState) -> Bool {
        switch self {
        case .inputLine: state.nav.input != nil
        case .form: state.form != nil
        case .picker: state.form?.picker != nil
        case .formCommandLine: state.form?.showCommandLine == true
        case .formPrompt: state.form?.prompt != nil
        // The chooser belongs to the form `n` opened: without it there is nothing to start.
        case .templateChooser: state.templateChooser != nil && state.form != nil
        case .storageEditor: state.storage.editor != nil
        case .overlay: state.nav.overlay != nil
        }
    }

    /// The open layers, bottom to top.
    public static func stack(_ state: AppState) -> [Modal] {
        allCases.filter { $0.isOpen(in: state) }
    }
}
