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
    /// two per reply, so the work follows the pods that differ from the one at the same
    /// place before (a pod the client reused from the last reply is the same box, so telling
    /// it unchanged is one comparison): their search records are made again, each is
    /// re-placed in the kept sort order and tested again by the filter, and the name ranks
    /// are made again only when an id or a name moved.
    private mutating func reindex(from old: [Pod]) {
        summary = FleetSummary(allPods)
        ids = allPods.map(\.id)
        guard old.count == allPods.count, search.count == old.count, nameRank.count == old.count else {
            search = SearchIndex(allPods)
            nameRank = SortSpec.nameRanks(allPods, index: search)
            sortedFor = nil
            hits = nil
            return
        }
        var changed: [Int] = []
        var namesMoved = false
        for i in allPods.indices where allPods[i] != old[i] {
            changed.append(i)
            namesMoved = namesMoved || allPods[i].id != old[i].id || allPods[i].name != old[i].name
        }
        guard !changed.isEmpty else { return }
        search.update(allPods, changed: changed)
        if namesMoved {
            nameRank = SortSpec.nameRanks(allPods, index: search)
            sortedFor = nil
        }
        // Past a few dozen changed pods one sort is cheaper than that many insertions.
        if let spec = sortedFor, !spec.dependsOnTime, changed.count <= Self.replacedAtMost, sortedIndices.count == allPods.count {
            sortedIndices = spec.replacing(changed, in: sortedIndices, pods: allPods, index: search, nameRank: nameRank)
        } else {
            sortedFor = nil
        }
        if var kept = hits, kept.text == filter.text, kept.hits.count == allPods.count {
            for i in changed { kept.hits[i] = filter.matches(search, at: i) }
            hits = kept
        } else {
            hits = nil
        }
    }

    /// The most changed pods re-placed one by one in the kept order (more: sorted again).
    static let replacedAtMost = 64

    /// Which pods pass the filter's words: kept between replies (see `reindex`) and made
    /// again when the filter's text changes.
    mutating func filterHits() -> [Bool] {
        if let kept = hits, kept.text == filter.text, kept.hits.count == allPods.count { return kept.hits }
        let made = filter.hits(in: search)
        hits = FilterHits(text: filter.text, hits: made)
        return made
    }

    /// The filter's verdict on each pod of `allPods`, for the filter `text`.
    struct FilterHits: Sendable {
        let text: String
        var hits: [Bool]
    }

    /// The filter hits of the last filtering, while `allPods` and the filter's text hold.
    private var hits: FilterHits?
    /// The sort `sortedIndices` is in (nil: none yet, or it is out of date).
    var sortedFor: SortSpec?

    /// The ids of `allPods`, same order.
    public private(set) var ids: [Int64] = []
    /// Each pod's place in name order, same order as `allPods` (made once per reply).
    public private(set) var nameRank: [Int] = []
    /// Indices of `allPods` in the current sort order: recomputed when the data or the sort
    /// change, not on a filter keystroke (the filter keeps this order).
    public internal(set) var sortedIndices: [Int] = []
    /// The lower-cased fields of `allPods` the filter and the sort read, one record per pod,
    /// made once per reply (again only for the pods that changed).
    public private(set) var search = SearchIndex([])
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
