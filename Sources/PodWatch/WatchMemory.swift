import FoundationEssentials

/// What the watcher last told about, kept in its journal so a restarted watcher neither
/// repeats an event nor misses one that happened while it was down: each pod's status and
/// whether its idle stretch and full disk were told, the budget crossing, and the finished
/// timers already told. `EventDetector` compares a new look with it.
public struct WatchMemory: Sendable, Codable, Equatable {
    /// One pod as last told.
    public struct PodMemory: Sendable, Codable, Equatable {
        public var id: Int64
        public var name: String?
        public var status: String
        /// Its current idle stretch was told (re-armed when the pod is no longer idle).
        public var idleTold: Bool
        /// Its full disk was told (re-armed under 85 %).
        public var diskTold: Bool

        public init(id: Int64, name: String?, status: String, idleTold: Bool = false, diskTold: Bool = false) {
            self.id = id; self.name = name; self.status = status; self.idleTold = idleTold; self.diskTold = diskTold
        }
    }

    /// Nil until the first reply: the first look ever sets what is "before" without telling
    /// a pod that simply exists (it tells idle pods, full disks and a budget already crossed).
    public var pods: [PodMemory]?
    /// Over the budget as last told (nil: never looked with a budget).
    public var overBudget: Bool?
    /// Ids of finished timers already told, or nil before the timer file was first read
    /// (the timers finished before the first watcher ever ran are not told).
    public var toldTimers: [String]?

    public init(pods: [PodMemory]? = nil, overBudget: Bool? = nil, toldTimers: [String]? = nil) {
        self.pods = pods; self.overBudget = overBudget; self.toldTimers = toldTimers
    }
}
