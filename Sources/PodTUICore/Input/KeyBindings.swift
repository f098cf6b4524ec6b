import PodAPI

/// The bindings table for every mode (what may run now is `Availability`'s). This is the
/// only place that says which key does what: the reducers look keys up here, the footer and the help
/// box list it, the README's key tables are generated from it, and `[keys]` remaps it.
public enum KeyBindings {
    private static let panes: Set<Mode> = [.list, .detail]
    private static let scrolling: Set<Mode> = [.list, .detail, .views, .raw, .storage]
    private static let lines: Set<Mode> = [.filterLine, .commandLine]
    private static let pickers: Set<Mode> = [.picker, .multiPicker]

    public static let all: [KeyBinding] = [
        // The list and the detail pane (and the scrolling views).
        KeyBinding([.enter], .openDetail, "detail", help: "open the detail pane", in: [.list], footer: true),
        KeyBinding([.escape], .back, "back", help: "back to the list", in: [.detail], footer: true),
        KeyBinding([.escape, .char("q")], .back, "back to pods", in: [.views, .storage], footer: true),
        KeyBinding([], .moveDown, "scroll", in: [.views], footer: true, described: "↑↓"),
        KeyBinding([], .moveDown, "move", in: [.storage], footer: true, described: "↑↓"),
        KeyBinding([.char("k"), .up], .moveUp, "up", help: "up (scrolls the detail pane and views)", in: scrolling),
        KeyBinding([.char("j"), .down], .moveDown, "down", help: "down (scrolls the detail pane and views)", in: scrolling),
        KeyBinding([.pageUp, .ctrl("b")], .pageUp, "page up", in: scrolling),
        KeyBinding([.pageDown, .ctrl("f")], .pageDown, "page down", in: scrolling),
        KeyBinding([.char("g"), .home], .first, "first", in: scrolling),
        KeyBinding([.char("G"), .end], .last, "last", in: scrolling),
        KeyBinding([.char("p")], .pause, "pause", help: "pause the selected pod, or every marked pod after one confirmation (refused locally, with the reason, when its status does not allow it)", in: panes, footer: true),
        KeyBinding([.char("r")], .resume, "resume", help: "resume the selected pod, or every marked pod after one confirmation", in: panes, footer: true),
        KeyBinding([.char("d")], .delete, "delete", help: "delete, after a dialog that names the pod (Cancel is focused); with marks, every marked pod", in: panes, footer: true, dangerous: true),
        KeyBinding([.char("n")], .newPod, "new pod", help: "open the create form", in: panes, footer: true),
        KeyBinding([.char("t")], .pauseTimer, "pause timer", help: "pause the selected RUNNING pod (or every marked one) later: in 45m, 2h, at 18:30 (Tab offers choices); acts while some podtui runs", in: panes),
        KeyBinding([.char("T")], .timersView, "timers", help: "list the pause timers (x cancels one)", in: panes),
        KeyBinding([.char("C")], .clonePod, "clone", help: "open the create form pre-filled from the selected pod", in: panes),
        KeyBinding([.char("/")], .filter, "filter", help: "filter as you type (↵ keeps it, Esc clears it)", in: [.list], footer: true),
        KeyBinding([.escape], .clearFilter, "clear filter", help: "clear a kept filter", in: [.list]),
        KeyBinding([.char(":")], .command, "command", help: LineCommand.helpText, in: scrolling),
        KeyBinding([], .command, "command", in: [.views, .storage], footer: true, described: ":"),
        KeyBinding([.char(" ")], .mark, "mark", help: "mark the selected pod (p, r and d then act on every marked pod)", in: [.list]),
        KeyBinding([.char("*")], .markAll, "mark all shown", help: "mark every pod the filter shows", in: [.list]),
        KeyBinding([.char("u")], .clearMarks, "clear marks", in: [.list]),
        KeyBinding([.char("s")], .ssh, "ssh", help: "ssh into the selected pod (the UI steps aside and comes back when ssh exits)", in: panes, footer: true),
        KeyBinding([.char("F")], .forward, "forward port", help: "forward a port of the selected RUNNING pod to 127.0.0.1 through ssh (asks REMOTE[:LOCAL]; Tab offers its exposed ports); :forwards lists them", in: panes),
        KeyBinding([], .plugin, "plugins", help: "your own commands: config.yaml's plugins: (each is listed here with its key)", in: panes, described: "plugins"),
        KeyBinding([.char("o")], .openURL, "open", help: "open the pod's first healthy web endpoint in a browser (over SSH: copy its URL); :open PORT for another", in: panes, footer: true),
        KeyBinding([.char("y")], .rawView, "raw JSON", help: "the pod's JSON exactly as the API sent it", in: panes),
        KeyBinding([.char("c")], .copySSH, "copy ssh cmd", help: "copy the ssh command to the clipboard (OSC 52: works over ssh; in tmux needs set -g set-clipboard on)", in: panes),
        KeyBinding([.char("N")], .sortName, "sort by name", help: "sort by name (again: reverse; a click on a column title sorts too)", in: [.list]),
        KeyBinding([.char("S")], .sortStatus, "sort by status", in: [.list]),
        KeyBinding([.char("U")], .sortGPU, "sort by GPU", in: [.list]),
        KeyBinding([.char("X")], .sortCount, "sort by GPU count", in: [.list]),
        KeyBinding([.char("R")], .sortRegion, "sort by region", in: [.list]),
        KeyBinding([.char("A")], .sortAge, "sort by age", in: [.list]),
        KeyBinding([.char("P")], .sortPrice, "sort by $/h", in: [.list]),
        KeyBinding([.char("$")], .sortCost, "sort by cost so far", in: [.list]),
        KeyBinding([.char("I")], .sortID, "sort by id", in: [.list]),
        KeyBinding([.char("e")], .revealEnv, "show env", help: "show or hide env values (masked by default)", in: [.detail], footer: true),
        KeyBinding([.char("M")], .metricsView, "metrics", help: "the selected pod's every metric, full screen, from the API (again: the whole detail pane)", in: panes),
        KeyBinding([.char("w")], .widerWindow, "wider window", help: "charts look further back: 1h, 3h, 12h, 2d, 7d, 30d, 90d (:window)", in: [.detail]),
        KeyBinding([.char("W")], .narrowerWindow, "narrower window", help: "charts look less far back", in: [.detail]),
        KeyBinding([.char("?"), .function(1)], .help, "help", in: scrolling, footer: true),
        KeyBinding([.char("q"), .ctrl("c")], .quit, "quit", help: "quit (Ctrl-Z suspends, fg redraws)", in: panes, footer: true),
        KeyBinding([.ctrl("c")], .quit, "quit", in: [.views, .raw, .storage]),

        // The templates n offers.
        KeyBinding([.up, .char("k")], .moveUp, "up", in: [.templateChooser]),
        KeyBinding([.down, .char("j")], .moveDown, "down", in: [.templateChooser]),
        KeyBinding([], .moveDown, "move", in: [.templateChooser], footer: true, described: "↑↓"),
        KeyBinding([.enter], .choose, "start from it", in: [.templateChooser], footer: true),
        KeyBinding([.escape], .cancel, "empty form", in: [.templateChooser], footer: true),
        KeyBinding([.ctrl("c")], .quit, "quit", in: [.templateChooser]),

        // :timers.
        KeyBinding([.escape, .char("q")], .back, "back to pods", in: [.timers], footer: true),
        KeyBinding([.char("k"), .up], .moveUp, "up", in: [.timers]),
        KeyBinding([.char("j"), .down], .moveDown, "down", in: [.timers]),
        KeyBinding([.char("g"), .home], .first, "first", in: [.timers]),
        KeyBinding([.char("G"), .end], .last, "last", in: [.timers]),
        KeyBinding([.char("x"), .delete], .cancelTimer, "cancel timer", help: "cancel the selected pause timer (nothing is sent)", in: [.timers], footer: true),
        KeyBinding([.char(":")], .command, "command", in: [.timers]),
        KeyBinding([.char("?"), .function(1)], .help, "help", in: [.timers], footer: true),
        KeyBinding([.ctrl("c")], .quit, "quit", in: [.timers]),

        // :forwards.
        KeyBinding([.escape, .char("q")], .back, "back to pods", in: [.forwards], footer: true),
        KeyBinding([.char("k"), .up], .moveUp, "up", in: [.forwards]),
        KeyBinding([.char("j"), .down], .moveDown, "down", in: [.forwards]),
        KeyBinding([.char("x"), .delete], .stopForward, "stop forward", help: "stop the selected port-forward (its ssh ends)", in: [.forwards], footer: true),
        KeyBinding([.char(":")], .command, "command", in: [.forwards]),
        KeyBinding([.char("?"), .function(1)], .help, "help", in: [.forwards], footer: true),
        KeyBinding([.ctrl("c")], .quit, "quit", in: [.forwards]),

        // :volumes and :credentials.
        KeyBinding([.char("n")], .newItem, "new", help: "create a volume or a registry credential (a small form)", in: [.storage], footer: true),
        KeyBinding([.char("e")], .rename, "rename/edit", help: "rename the volume; change the credential's name, username or password", in: [.storage], footer: true),
        KeyBinding([.char("+")], .resize, "resize", help: "grow the selected volume (refused, with the reason, while a pod has it mounted)", in: [.storage], footer: true),
        KeyBinding([.char("d")], .delete, "delete", help: "delete after a dialog that names it; a mounted volume or a credential a pod uses is refused with the reason", in: [.storage], footer: true, dangerous: true),
        KeyBinding([.function(5), .ctrl("r")], .reload, "reload", help: "reload the list now", in: [.storage]),

        // The small form over them.
        KeyBinding([.tab, .down], .nextField, "next", help: "next field", in: [.storageEditor], footer: true),
        KeyBinding([.backTab, .up], .previousField, "previous field", in: [.storageEditor]),
        KeyBinding([.enter, .ctrl("s")], .submit, "save", help: "send it (checked first; a refusal keeps what you typed)", in: [.storageEditor], footer: true),
        KeyBinding([.char(" "), .left, .right], .change, "change", help: "change a choice (type, registry)", in: [.storageEditor], footer: true),
        KeyBinding([.escape, .ctrl("c")], .cancel, "cancel", help: "close the small form", in: [.storageEditor], footer: true),
        KeyBinding([], .editText, "edit", help: "move and edit in a text field", in: [.storageEditor], described: "← → Home End ^U ^K ^W"),

        // The raw view.
        KeyBinding([.escape, .char("q")], .back, "back", in: [.raw], footer: true),
        KeyBinding([.char("e")], .revealEnv, "show secrets", help: "show or hide env values and secret-looking fields", in: [.raw], footer: true),
        KeyBinding([.char("c")], .copyJSON, "copy", help: "copy the JSON as shown (OSC 52)", in: [.raw], footer: true),

        // The help box: any other key closes it too.
        KeyBinding([.escape, .char("?"), .function(1), .enter], .close, "close help", in: [.help, .formHelp], footer: true,
                   described: "any key"),
        KeyBinding([.char("q"), .ctrl("c")], .quit, "quit", in: [.help]),

        // Confirmations.
        KeyBinding([.char("y"), .char("Y")], .confirm, "delete", in: [.confirmDelete], footer: true),
        KeyBinding([.char("n"), .char("N"), .escape, .char("q")], .cancel, "cancel", in: [.confirmDelete], footer: true),
        KeyBinding([.tab, .backTab, .left, .right, .char("h"), .char("l")], .switchButton, "switch button", in: [.confirmDelete, .formPrompt], footer: true),
        KeyBinding([.enter], .choose, "choose", help: "press the focused button", in: [.confirmDelete, .formPrompt], footer: true),
        KeyBinding([.char("y"), .char("Y")], .confirm, "go ahead", in: [.confirmBulk], footer: true),
        KeyBinding([.char("n"), .char("N"), .escape, .char("q"), .enter], .cancel, "cancel", in: [.confirmBulk], footer: true),
        KeyBinding([.ctrl("c")], .quit, "quit", in: [.confirmDelete, .confirmBulk]),

        // The / and : lines.
        KeyBinding([.enter], .acceptLine, "keep filter", in: [.filterLine], footer: true),
        KeyBinding([.escape], .cancelLine, "clear", help: "clear the filter and close the line", in: [.filterLine], footer: true),
        KeyBinding([.enter], .acceptLine, "run", in: [.commandLine], footer: true),
        KeyBinding([.tab], .complete, "complete", in: [.commandLine], footer: true),
        KeyBinding([.escape], .cancelLine, "cancel", in: [.commandLine], footer: true),
        KeyBinding([.ctrl("c")], .closeLine, "close the line", in: lines),
        KeyBinding([], .moveDown, "move", in: lines.union(pickers), footer: true, described: "↑↓"),
        KeyBinding([.up], .moveUp, "up", in: lines.union(pickers)),
        KeyBinding([.down], .moveDown, "down", in: lines.union(pickers)),
        KeyBinding([.pageUp], .pageUp, "page up", in: lines.union(pickers)),
        KeyBinding([.pageDown], .pageDown, "page down", in: lines.union(pickers)),
        KeyBinding([], .editText, "fields", in: [.filterLine], footer: true, described: "status:/region:/gpu:/image:/id:"),
        KeyBinding([], .editText, "not", in: [.filterLine], footer: true, described: "!"),

        // The create form.
        KeyBinding([.tab, .down], .nextField, "next", help: "next field", in: [.form], footer: true),
        KeyBinding([.backTab, .up], .previousField, "previous field", in: [.form]),
        KeyBinding([.pageDown], .jumpDown, "8 fields down", in: [.form]),
        KeyBinding([.pageUp], .jumpUp, "8 fields up", in: [.form]),
        KeyBinding([.ctrl("s"), .function(10)], .submit, "create", in: [.form], footer: true),
        KeyBinding([.enter], .activate, "open", help: "open a list · next field · press a button", in: [.form]),
        KeyBinding([.char(" "), .left, .right], .change, "change", help: "change a choice or checkbox", in: [.form], footer: true),
        KeyBinding([], .editText, "clear", help: "clear the field", in: [.form], footer: true, described: "^U"),
        KeyBinding([.ctrl("x")], .removeRow, "remove row", help: "remove the env/port/volume row you are on", in: [.form], footer: true),
        KeyBinding([.function(2)], .showCommandLine, "command", help: "show the equivalent podtui command line", in: [.form], footer: true),
        KeyBinding([.function(3)], .saveTemplate, "save template", help: "save the form as a template named after the pod (secret values are saved as \"$KEY\" references, never written); n then offers it, :new NAME opens it", in: [.form], footer: true),
        KeyBinding([.function(5), .ctrl("r")], .reload, "reload", help: "reload GPU types and credentials", in: [.form]),
        KeyBinding([.escape], .cancel, "cancel", help: "close the form (asks first when something was typed)", in: [.form], footer: true),
        KeyBinding([.ctrl("c")], .quit, "quit", help: "quit (asks first when something was typed)", in: [.form]),
        KeyBinding([.function(1)], .help, "keys", help: "the form's keys", in: [.form], footer: true),
        KeyBinding([], .editText, "edit", help: "move and edit in a text field (^K cut to end, ^W cut word)",
                   in: [.form], described: "← → Home End ^A ^E BS Del ^K ^W"),

        // Lists in the form.
        KeyBinding([.enter], .choose, "choose", in: [.picker], footer: true),
        KeyBinding([.escape], .cancel, "close", in: [.picker], footer: true),
        KeyBinding([.char(" ")], .toggle, "toggle", in: [.multiPicker], footer: true),
        KeyBinding([.enter], .choose, "done", in: [.multiPicker], footer: true),
        KeyBinding([.escape], .cancel, "undo and close", in: [.multiPicker], footer: true),
        KeyBinding([.ctrl("c")], .close, "close", in: pickers),
        KeyBinding([.tab], .nextField, "close, next field", in: pickers),
        KeyBinding([.backTab], .previousField, "close, previous field", in: pickers),
        KeyBinding([], .editText, "narrow", in: pickers, footer: true, described: "a-z"),
        KeyBinding([.function(1)], .help, "keys", help: "the form's keys", in: pickers, footer: true),

        // The discard prompt and the command line over the form.
        KeyBinding([.char("y"), .char("Y")], .confirm, "discard", in: [.formPrompt], footer: true),
        KeyBinding([.char("n"), .char("N"), .escape], .cancel, "keep editing", in: [.formPrompt], footer: true),
        KeyBinding([.ctrl("c")], .quit, "discard and quit", in: [.formPrompt]),
        KeyBinding([], .close, "close", in: [.formCommandLine], footer: true, described: "any key"),
    ]

    /// What a key no binding claims does in `mode`: closes a box that says "any key", else
    /// nothing (in modes that take text, it is typed).
    public static func fallback(_ mode: Mode) -> Command? {
        switch mode {
        case .help, .formHelp, .formCommandLine: .close
        default: nil
        }
    }

    /// The command a key maps to in a mode, with the user's remapping; the mode's fallback
    /// when no binding claims the key and the mode takes no text.
    public static func command(for key: Key, in mode: Mode, keymap: [Command: [Key]] = [:], plugins: [Plugin] = []) -> Command? {
        for binding in table(remapped: keymap, plugins: plugins) where binding.modes.contains(mode) && binding.keys.contains(key) {
            return binding.command
        }
        return fallback(mode)
    }

    /// The bindings of one mode, in table order (the user's plugins after the built-ins).
    public static func bindings(in mode: Mode, keymap: [Command: [Key]] = [:], plugins: [Plugin] = []) -> [KeyBinding] {
        table(remapped: keymap, plugins: plugins).filter { $0.modes.contains(mode) }
    }

    /// The table with the user's remapping and their plugins, one row each, after the
    /// built-ins (a plugin's key that clashes with a built-in one was refused when the
    /// settings were read, so the built-in would win anyway).
    public static func table(remapped keymap: [Command: [Key]], plugins: [Plugin]) -> [KeyBinding] {
        table(remapped: keymap) + plugins.map(\.binding)
    }

    /// How to write the key of `command` in `mode` in a sentence ("Esc", "p"), with the
    /// user's remapping: hints in messages follow the table like the footer does.
    public static func key(_ command: Command, in mode: Mode, keymap: [Command: [Key]]) -> String {
        bindings(in: mode, keymap: keymap).first { $0.command == command && !$0.keys.isEmpty }?.keys.first?.label ?? "?"
    }

    /// True when the command needs a confirmation first (the table's `dangerous`).
    public static func isDangerous(_ command: Command) -> Bool {
        all.contains { $0.command == command && $0.dangerous }
    }

    /// The bindings with the keys the settings give some commands. A command's first row
    /// (its main mode) takes the user's keys as given, so a clash there is reported
    /// (`conflicts`); its rows in other modes take those of the same kind as their own
    /// defaults (a printable key only where the default has one, never where typing goes
    /// to a text field) and not a key another command of that mode keeps; a row left with
    /// none keeps its defaults. So `quit = ["q", "ctrl-q"]` quits with either from the list
    /// and the help box, with ^Q from the form and the prompts, and q still goes back from
    /// `:gpus`. Rows that only describe keys keep their description.
    public static func table(remapped keymap: [Command: [Key]]) -> [KeyBinding] {
        guard !keymap.isEmpty else { return all }
        var firstRow: [Command: Int] = [:]
        for (i, binding) in all.enumerated() where !binding.keys.isEmpty && firstRow[binding.command] == nil {
            firstRow[binding.command] = i
        }
        return all.enumerated().map { i, binding in
            var b = binding
            guard !binding.keys.isEmpty, let keys = keymap[binding.command] else { return b }
            if firstRow[binding.command] == i {
                b.keys = keys
            } else {
                let printableAllowed = binding.keys.contains(where: \.isPrintable) && !binding.modes.contains { $0.takesText }
                let taken = keys.filter { key in
                    if key.isPrintable && !printableAllowed { return false }
                    return !all.contains { other in
                        other.command != binding.command && keymap[other.command] == nil
                            && !other.modes.isDisjoint(with: binding.modes) && other.keys.contains(key)
                    }
                }
                b.keys = taken.isEmpty ? binding.keys : taken
            }
            return b
        }
    }

    /// Keys bound to two commands in the same mode, in words.
    public static func conflicts(_ table: [KeyBinding]) -> [String] {
        var out: [String] = []
        for (i, a) in table.enumerated() {
            for b in table[(i + 1)...] where !a.modes.isDisjoint(with: b.modes) && a.command != b.command {
                for key in a.keys where b.keys.contains(key) {
                    out.append("\(key.label) is bound to both \(a.command.rawValue) and \(b.command.rawValue); \(a.command.rawValue) wins")
                }
            }
        }
        return out
    }

    /// Commands the footer leaves out while they cannot run (they only make sense on some
    /// fields); the others are shown dimmed with the reason in the help box. While one of
    /// these cannot run, its key is an ordinary key there (Space is typed, ← moves the
    /// cursor) rather than refused.
    public static let hiddenWhenUnavailable: Set<Command> = [.change, .removeRow, .editText]

    /// The footer's items for the current mode: key label, what it does, whether it can
    /// run now, and the command (a click on the item runs it).
    public static func footerItems(_ state: AppState) -> [FooterItem] {
        let mode = Mode.of(state)
        let plugins = state.plugins.offered(readOnly: state.settings.readOnly)
        return bindings(in: mode, keymap: state.settings.keymap, plugins: plugins).filter(\.inFooter).compactMap { binding in
            let available = Availability.refusal(binding.command, in: mode, state) == nil
            if !available && hiddenWhenUnavailable.contains(binding.command) { return nil }
            let described = binding.describedKeys != nil
            return FooterItem(key: binding.keyLabel, label: binding.label, enabled: available,
                              command: described ? nil : binding.command, press: described ? nil : binding.keys.first)
        }
    }
}

/// One item of the footer.
public struct FooterItem: Sendable, Equatable {
    public var key: String
    public var label: String
    public var enabled: Bool
    /// What a click on it runs; nil for items that only describe keys.
    public var command: Command?
    /// The key a click presses (the binding's first key), so a click does exactly what
    /// the key does in this mode.
    public var press: Key?
}
