/// What happened, as the webhook's `event`, `PODTUI_EVENT` and a target's filter name it.
public enum WatchEventKind: String, Sendable, Codable, CaseIterable, Hashable {
    /// A pod became RUNNING (was something else, or appeared running).
    case running
    /// A pod became FAILED.
    case failed
    /// A pod's status changed to one other than RUNNING and FAILED (PAUSED, TERMINATED, ...):
    /// the TUI's own status-change events.
    case statusChanged = "status_changed"
    /// A pod left the list (deleted, or gone from the account).
    case gone
    /// A RUNNING pod's GPUs have been idle for the idle time (once per idle stretch).
    case idle
    /// The fleet's burn went over the budget, and back under it.
    case overBudget = "over_budget"
    case underBudget = "under_budget"
    /// A pause timer fired (by any podtui process), whatever it did.
    case timerFired = "timer_fired"
    /// A pod's disk reached 90 % (once until it drops under 85 %).
    case diskFull = "disk_full"
}
