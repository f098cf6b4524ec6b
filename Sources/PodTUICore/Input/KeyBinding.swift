import PodAPI

/// One row of the bindings table. The reducers, the footer, the help box, the README's key
/// tables, mouse clicks on the footer and `[keys]` remapping all read the table.
public struct KeyBinding: Sendable {
    public var keys: [Key]
    public var command: Command
    /// What it does, in a word or two (the footer).
    public var label: String
    /// What it does, in full, when the label is not enough (the help box and the README).
    public var help: String?
    /// Where it works.
    public var modes: Set<Mode>
    /// Shown in the footer (the help box shows every binding of its mode).
    public var inFooter: Bool
    /// Needs a confirmation before anything is sent: the reducer asks first.
    public var dangerous: Bool
    /// Keys the table only describes (written the way a person reads them, e.g. "a-z"),
    /// for commands whose keys are handled by an editor rather than matched one by one.
    public var describedKeys: String?

    public init(_ keys: [Key], _ command: Command, _ label: String, help: String? = nil, in modes: Set<Mode>, footer: Bool = false,
                dangerous: Bool = false, described: String? = nil) {
        self.keys = keys; self.command = command; self.label = label; self.help = help; self.modes = modes
        self.inFooter = footer; self.dangerous = dangerous; self.describedKeys = described
    }

    /// The help box's text: `help`, else the label.
    public var description: String { help ?? label }

    /// The keys as the footer writes them, e.g. "j/↓".
    public var keyLabel: String { describedKeys ?? keys.map(\.label).joined(separator: "/") }
}
