import FoundationEssentials
import PodLocal

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

extension TimerState {
    /// Who will fire a pending timer, in words for `:timers`: the watcher fires clock timers
    /// (this TUI only once one is `WatcherSeen.graceSeconds` late); a "when idle" one is fired
    /// by whichever sees the pod idle first.
    public func firer(of timer: PauseTimer) -> String {
        guard let watcher else { return "this podtui" }
        return timer.trigger.date == nil ? "watcher \(watcher.pid) or this podtui" : "watcher \(watcher.pid)"
    }
}
