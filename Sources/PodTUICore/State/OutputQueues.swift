/// What the reducer asks the UI loop to do outside curses, numbered so each is done once.
public struct OutputQueues: Sendable {
    /// Bytes for the terminal outside curses (bell, desktop notification, OSC 52 copy).
    public var outbox: [TerminalOutput] = []
    /// A program to run on the real terminal with the UI suspended (ssh).
    public var external: ExternalRequest?
    /// Counter for `outbox` and `external` numbering.
    public var sequence = 0

    public init() {}
}
