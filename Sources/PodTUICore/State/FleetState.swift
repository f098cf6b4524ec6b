import FoundationEssentials
import PodAPI

/// The fleet: every pod of the last good reply, the indexes made from it once per reply,
/// what is on screen (filtered and sorted), and what podtui remembers about each pod.
public struct FleetState: Sendable {
    /// Every pod of the last good reply, in reply order. Setting it recomputes the
    /// indexes and the summary, so frames and keystrokes never walk the whole list.
    public internal(set) var allPods: [Pod] = [] {
        didSet { reindex(from: oldValue) }
    }

    /// Rebuilds the indexes for a new `allPods`. A changing fleet usually changes a pod or
    /// two per reply, so what depends only on a pod is kept for every pod equal to the one at
    /// the same place before (lower-casing six fields of 10,000 pods was most of the cost of
    /// a changed reply), and the name ranks are kept when no id or name moved.
    private mutating func reindex(from old: [Pod]) {
        summary = FleetSummary(allPods)
        ids = allPods.map(\.id)
        guard old.count == allPods.count, searchKeys.count == old.count, nameRank.count == old.count else {
            searchKeys = allPods.map(PodSearchKeys.init)
            nameRank = SortSpec.nameRanks(allPods, keys: searchKeys)
            return
        }
        var keys = searchKeys
        var namesMoved = false
        for i in allPods.indices where allPods[i] != old[i] {
            keys[i] = PodSearchKeys(allPods[i])
            namesMoved = namesMoved || allPods[i].id != old[i].id || keys[i].name != searchKeys[i].name
                || allPods[i].isUnnamed != old[i].isUnnamed
        }
        searchKeys = keys
        if namesMoved { nameRank = SortSpec.nameRanks(allPods, keys: searchKeys) }
    }

    /// The ids of `allPods`, same order.
    public private(set) var ids: [Int64] = []
    /// Each pod's place in name order, same order as `allPods` (made once per reply).
    public private(set) var nameRank: [Int] = []
    /// Indices of `allPods` in the current sort order: recomputed when the data or the sort
    /// change, not on a filter keystroke (the filter keeps this order).
    public internal(set) var sortedIndices: [Int] = []
    /// Lower-cased fields of `allPods`, same order, made once per reply for the filter and sort.
    public private(set) var searchKeys: [PodSearchKeys] = []
    /// Counts by status and the running $/h of `allPods`.
    public private(set) var summary = FleetSummary([])
    /// The pods on screen: `allPods` through the filter, in the chosen order. Recomputed
    /// when the data, the filter or the sort change, never per frame.
    public internal(set) var pods = PodView()
    /// The `/` filter in force.
    public internal(set) var filter = PodFilter("")
    /// The list's order; survives refreshes.
    public var sort = SortSpec()
    /// Marked pods (Space), for bulk actions; survive refreshes while the pod exists.
    public var marks: Set<Int64> = []
    /// Status changes seen this session, per pod, oldest first.
    public var history: [Int64: [StatusChange]] = [:]
    /// When each pod's row last changed, so the renderer can highlight it briefly.
    public var changedAt: [Int64: Date] = [:]
    /// The name of every pod seen, by id: results of actions on pods that have left the
    /// (filtered) list still name them.
    public var names: [Int64: String] = [:]
    /// Actions sent and not yet answered, by pod.
    public var pending: [Int64: PodAction] = [:]
    /// Items of the last list reply that could not be read.
    public var skippedCount = 0
    /// The server-side query of the last good reply.
    public var lastReplyQuery = ServerQuery()

    public init() {}
}
