import FoundationEssentials
import PodAPI

/// The fleet: every pod of the last good reply, the indexes made from it once per reply,
/// what is on screen (filtered and sorted), and what podtui remembers about each pod.
public struct FleetState: Sendable {
    /// Every pod of the last good reply, in reply order. Setting it recomputes the
    /// indexes and the summary, so frames and keystrokes never walk the whole list.
    public internal(set) var allPods: [Pod] = [] {
        didSet {
            summary = FleetSummary(allPods)
            searchKeys = allPods.map(PodSearchKeys.init)
            ids = allPods.map(\.id)
            nameRank = SortSpec.nameRanks(allPods, keys: searchKeys)
        }
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
