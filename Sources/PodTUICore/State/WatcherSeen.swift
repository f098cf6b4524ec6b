import FoundationEssentials

/// A `podtui watch` process that holds the watcher lock of this TUI's profile and endpoint,
/// as the store last found it (every timer reload): the header says "watched since …", the
/// timers view says it fires the clock timers, and this TUI leaves those to it unless one is
/// `graceSeconds` late (a watcher that is stopped or stuck is not waited for).
public struct WatcherSeen: Sendable, Equatable {
    public var pid: Int32
    public var since: Date

    public init(pid: Int32, since: Date) { self.pid = pid; self.since = since }

    /// How late a clock timer may be before a TUI fires it although a watcher runs.
    public static let graceSeconds: Double = 30
}
