/// The bindings table as text for people: the README's key tables (`scripts/update-readme-keys`
/// writes them, a test fails when they differ) and `podtui keys`.
public enum KeyTables {
    /// Groups of modes that share one table, in the order a person meets them.
    static let groups: [(title: String, modes: [Mode])] = [
        ("Pod list and detail pane", [.list, .detail]),
        (Mode.views.title, [.views]),
        (Mode.raw.title, [.raw]),
        (Mode.storage.title, [.storage]),
        (Mode.storageEditor.title, [.storageEditor]),
        (Mode.timers.title, [.timers]),
        (Mode.forwards.title, [.forwards]),
        (Mode.templateChooser.title, [.templateChooser]),
        (Mode.filterLine.title, [.filterLine]),
        (Mode.commandLine.title, [.commandLine]),
        (Mode.confirmDelete.title, [.confirmDelete]),
        (Mode.confirmBulk.title, [.confirmBulk]),
        (Mode.help.title, [.help, .formHelp]),
        (Mode.form.title, [.form]),
        ("Lists in the form (GPU type, count, credential; regions take several)", [.picker, .multiPicker]),
        (Mode.formPrompt.title, [.formPrompt]),
        (Mode.formCommandLine.title, [.formCommandLine]),
    ]

    /// Every group as a Markdown table (`| keys | action |`), with the remapping name of each
    /// command for `[keys]`.
    public static func markdown(keymap: [Command: [Key]] = [:]) -> String {
        var out: [String] = []
        for group in groups {
            out.append("**\(group.title)**")
            out.append("")
            out.append("| keys | action | `[keys]` name |")
            out.append("|---|---|---|")
            for row in rows(group.modes, keymap: keymap) {
                out.append("| \(row.keys) | \(escape(row.action)) | \(row.name) |")
            }
            out.append("")
        }
        return out.joined(separator: "\n")
    }

    /// Every group as plain text, for a terminal.
    public static func text(keymap: [Command: [Key]] = [:], plugins: [Plugin] = []) -> String {
        var out: [String] = []
        for group in groups {
            out.append(group.title)
            for row in rows(group.modes, keymap: keymap, plugins: plugins) {
                out.append("  " + DisplayWidth.pad(row.plainKeys, to: 22) + " " + row.action)
            }
            out.append("")
        }
        return out.joined(separator: "\n")
    }

    private struct Row { var keys: String; var plainKeys: String; var action: String; var name: String }

    /// One row per binding of the modes (a binding listed once even when it is in several).
    private static func rows(_ modes: [Mode], keymap: [Command: [Key]], plugins: [Plugin] = []) -> [Row] {
        var seen: [String] = []
        var out: [Row] = []
        for binding in KeyBindings.table(remapped: keymap, plugins: plugins) where !binding.modes.isDisjoint(with: modes) {
            let plain = binding.describedKeys ?? binding.keys.map(\.label).joined(separator: " ")
            let id = plain + "|" + binding.command.rawValue + "|" + binding.label
            guard !seen.contains(id) else { continue }
            seen.append(id)
            let keys = binding.describedKeys.map { "`\($0)`" } ?? binding.keys.map { "`\($0.label)`" }.joined(separator: " ")
            var action = binding.description + (binding.dangerous ? " (asks first)" : "")
            if modes.count > 1, binding.modes.intersection(modes).count < modes.count {
                action += " (" + modes.filter(binding.modes.contains).map(\.shortName).joined(separator: ", ") + ")"
            }
            // Described keys are handled by an editor and cannot be given other keys.
            let name = binding.describedKeys == nil ? "`\(binding.command.rawValue)`" : ""
            out.append(Row(keys: keys, plainKeys: plain, action: action, name: name))
        }
        return out
    }

    private static func escape(_ text: String) -> String { text.replacing("|", with: "\\|") }
}

extension Mode {
    /// A word for the mode inside a table row.
    var shortName: String {
        switch self {
        case .list: "list"
        case .detail: "detail"
        case .picker: "single lists"
        case .multiPicker: "regions"
        case .help: "help"
        case .formHelp: "form help"
        default: rawValue
        }
    }
}
