import PodAPI

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
