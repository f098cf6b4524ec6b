/// The create form's keys as the footer and the help box describe them. `FormReducer`
/// implements them; keep the three in step.
enum FormKeys {
    /// Every form key with what it does (F1 shows this).
    static let help: [(String, String)] = [
        ("Tab / ↓", "next field"),
        ("S-Tab / ↑", "previous field"),
        ("PgDn / PgUp", "jump 8 fields"),
        ("↵", "open a list · next field · press a button"),
        ("space / ← →", "change a choice or checkbox"),
        ("^S / F10", "create the pod"),
        ("Esc", "close (asks first when something was typed)"),
        ("^X", "remove the env/port/volume row you are on"),
        ("F2", "show the equivalent podtui command line"),
        ("^R / F5", "reload GPU types and credentials"),
        ("← → Home End", "move in a text field (also ^A ^E)"),
        ("BS / Del", "delete a character"),
        ("^U  ^K  ^W", "clear field · cut to end · cut word"),
    ]

    /// What the footer offers for the focused item.
    static func footer(_ form: CreateFormState) -> [(String, String, Bool)] {
        if form.prompt != nil { return [("y", "discard", true), ("n/Esc", "keep editing", true), ("Tab", "switch button", true)] }
        if form.showCommandLine { return [("any key", "close", true)] }
        if let picker = form.picker {
            return picker.isMulti
                ? [("↑↓", "move", true), ("space", "toggle", true), ("↵", "done", true), ("Esc", "undo", true)]
                : [("↑↓", "move", true), ("↵", "choose", true), ("Esc", "close", true), ("a-z", "narrow", true)]
        }
        var items: [(String, String, Bool)] = [("Tab", "next", true), ("^S", "create", !form.submitting)]
        switch form.focus {
        case .field(let f) where f.kind == .picker: items.append(("↵", "list", true))
        case .field(let f):
            if case .cycle = f.kind { items.append(("space", "change", true)) } else { items.append(("^U", "clear", true)) }
        case .envSecret, .volumeBackup, .portProtocol: items.append(("space", "change", true))
        default: break
        }
        if form.focus.row != nil { items.append(("^X", "remove row", true)) }
        items += [("F2", "command", true), ("Esc", "cancel", true), ("F1", "keys", true)]
        return items
    }
}
