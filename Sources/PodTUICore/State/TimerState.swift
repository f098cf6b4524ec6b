import FoundationEssentials
import PodAPI
import PodLocal

/// Pause timers as the UI knows them: the shared file's list (reloaded every few seconds, so
/// timers added by `podtui timers add` show), the `:timers` view's selection, and whether a
/// firing is out.
public struct TimerState: Sendable, Equatable {
    public var timers: [PauseTimer] = []
    public var loaded = false
    public var problem: String?
    /// Timers already announced as due while podtui was closed (said once).
    public var announcedLate: Set<Int64> = []
    public var firing = false
    public var loading = false
    public var lastLoad: Date?
    /// The selected row of `:timers`.
    public var selected = 0
    /// The watcher of this profile and endpoint, when one runs (not this process).
    public var watcher: WatcherSeen?

    public init() {}

    /// The pending timer of a pod, if it has one.
    public func pending(for id: Int64) -> PauseTimer? {
        timers.first { $0.podID == id && ($0.state == .pending || $0.state == .firing) }
    }

    /// Pending and firing timers, soonest first (what `:timers` lists).
    public var active: [PauseTimer] {
        timers.filter { $0.state == .pending || $0.state == .firing }.sorted(by: PauseTimer.listedBefore)
    }
}

/// A pod a timer is set on.
public struct TimerTarget: Sendable, Equatable {
    public var id: Int64
    public var name: String?
    public init(id: Int64, name: String?) { self.id = id; self.name = name }
}
