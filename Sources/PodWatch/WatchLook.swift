import FoundationEssentials
import PodAPI
import PodLocal

/// What one look at the store's state shows, reduced to what events are made from: each
/// pod's status, which RUNNING pods are idle (and for how long) or have a full disk, the
/// budget, and the timers that have finished. Made by `WatchLook.from(_:)` from the TUI's
/// state; a value so `EventDetector` can be tested without a store.
public struct WatchLook: Sendable, Equatable {
    /// One pod of the last good reply.
    public struct PodSeen: Sendable, Equatable {
        public var id: Int64
        public var name: String?
        public var status: String
        public var pricePerHour: Double?
        /// Idle for at least the idle time now, by the source that speaks for it; nil when no
        /// source has figures yet (a restarted watcher must not take "not known yet" for "busy"
        /// and tell the same idle stretch again).
        public var idle: Bool?
        /// How long its GPUs have been idle, when known.
        public var idleSeconds: Double?
        /// Disk at or over 90 % (and not yet back under 85 %); nil before a disk figure came.
        public var diskFull: Bool?
        /// Disk use, 0…1, when known.
        public var diskShare: Double?

        public init(id: Int64, name: String?, status: String, pricePerHour: Double? = nil, idle: Bool? = false,
                    idleSeconds: Double? = nil, diskFull: Bool? = false, diskShare: Double? = nil) {
            self.id = id; self.name = name; self.status = status; self.pricePerHour = pricePerHour; self.idle = idle
            self.idleSeconds = idleSeconds; self.diskFull = diskFull; self.diskShare = diskShare
        }

        var ref: WatchEvent.PodRef { WatchEvent.PodRef(id: id, name: name, status: status) }
    }

    /// A timer that has finished (done), with what it did.
    public struct TimerSeen: Sendable, Equatable {
        public var id: String
        public var podID: Int64
        public var name: String?
        public var result: String
        /// Who fired it (`pid@host`), when known.
        public var firedBy: String?

        public init(id: String, podID: Int64, name: String?, result: String, firedBy: String?) {
            self.id = id; self.podID = podID; self.name = name; self.result = result; self.firedBy = firedBy
        }
    }

    /// Nil until a list reply came: with no reply, nothing can be told (and nothing is gone).
    public var pods: [PodSeen]?
    /// The budget in force, $/h, and the fleet's burn.
    public var budgetPerHour: Double?
    public var burnPerHour: Double
    /// Over the budget now (the reducer's own crossing state).
    public var overBudget: Bool
    /// Finished timers in the timer file (nil until it was read).
    public var finishedTimers: [TimerSeen]?
    /// The idle time a pod must reach to be idle, seconds (for the event's words).
    public var idleSeconds: Double

    public init(pods: [PodSeen]?, budgetPerHour: Double? = nil, burnPerHour: Double = 0, overBudget: Bool = false,
                finishedTimers: [TimerSeen]? = nil, idleSeconds: Double = 1800) {
        self.pods = pods; self.budgetPerHour = budgetPerHour; self.burnPerHour = burnPerHour; self.overBudget = overBudget
        self.finishedTimers = finishedTimers; self.idleSeconds = idleSeconds
    }
}
