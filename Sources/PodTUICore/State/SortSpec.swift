import FoundationEssentials
import PodAPI
import PodLocal

/// The list's order.
public struct SortSpec: Sendable, Equatable {
    public var column: SortColumn
    public var ascending: Bool
    public init(column: SortColumn = .name, ascending: Bool = true) { self.column = column; self.ascending = ascending }

    /// Sorts stably by the column (numbers as numbers, missing values last in either
    /// direction), then by name and id so equal keys keep a fixed order.
    public func sorted(_ pods: [Pod], now: Date) -> [Pod] {
        let index = SearchIndex(pods)
        return sortedIndices(pods, index: index, nameRank: Self.nameRanks(pods, index: index), now: now).map { pods[$0] }
    }

    /// Indices of `pods` in this order. `nameRank[i]` is pod i's place in name order (made
    /// once per reply), so ties compare two integers instead of two strings.
    public func sortedIndices(_ pods: [Pod], index: SearchIndex, nameRank: [Int], now: Date, spend: [Int64: PodSpend] = [:]) -> [Int] {
        if column == .name {
            var order = [Int](repeating: 0, count: pods.count)
            for (i, rank) in nameRank.enumerated() { order[rank] = i }
            return ascending ? order : order.reversed()
        }
        // Each key made once and flattened to an unsigned integer in the same order (text as
        // its place among the distinct texts), so the sort compares two integers, not two
        // `SortKey?` enums: a sort of 10,000 pods was three quarters of a sort keystroke.
        // `precedes` (the order `replacing` keeps) is the same order: `SortOrderTests`.
        let keys = pods.indices.map { key(of: pods[$0], at: $0, index: index, now: now, spend: spend) }
        var textRank: [String: UInt64] = [:]
        for case .text(let text)? in keys where textRank[text] == nil { textRank[text] = 0 }
        for (place, text) in textRank.keys.sorted().enumerated() { textRank[text] = UInt64(place) }
        var flat = [Flat]()
        flat.reserveCapacity(pods.count)
        for i in pods.indices {
            let order: UInt64?
            switch keys[i] {
            case .integer(let value)?: order = UInt64(bitPattern: value) ^ (1 << 63)
            case .number(let value)?: order = Self.order(of: value)
            case .text(let text)?: order = textRank[text]
            case nil: order = nil
            }
            // Descending is the complement of the order; a missing key sorts last either way
            // (by `missing`, before the key is looked at).
            let key = order.map { ascending ? $0 : ~$0 } ?? 0
            flat.append(Flat(key: key, missing: order == nil, rank: nameRank[i], index: i))
        }
        flat.sort { a, b in
            if a.missing != b.missing { return b.missing }
            if a.key != b.key { return a.key < b.key }
            return a.rank < b.rank
        }
        return flat.map(\.index)
    }

    /// A pod's key flattened for the sort (see `sortedIndices`).
    struct Flat {
        let key: UInt64
        let missing: Bool
        let rank: Int
        let index: Int
    }

    /// A finite `Double` as an unsigned integer in the same order (-0 as 0).
    static func order(of value: Double) -> UInt64 {
        let bits = (value == 0 ? 0 : value).bitPattern
        return bits >> 63 == 1 ? ~bits : bits | (1 << 63)
    }

    /// A pod as the sort compares it: its key, then its place in name order.
    struct Record {
        let key: SortKey?
        let rank: Int
        let index: Int
    }

    /// The order of two records: by key (missing keys last either way), then name order.
    func precedes(_ a: Record, _ b: Record) -> Bool {
        switch (a.key, b.key) {
        case (nil, nil): break
        case (nil, _): return false
        case (_, nil): return true
        case (let x?, let y?):
            if x != y { return ascending ? x < y : y < x }
        }
        return a.rank < b.rank
    }

    /// True when the order depends on the clock or the spend ledger as well as the pods,
    /// so a pod that did not change may still move (the cost column).
    var dependsOnTime: Bool { column == .cost }

    /// `order` (this sort of `pods` before the pods at `changed` changed) with each changed
    /// pod taken out and put back where it now belongs: a binary search each, instead of
    /// sorting the fleet again for the pod or two a reply changes. The same order as
    /// `sortedIndices`, because records compare by a total order (key, then name rank, which
    /// is unique) and the name ranks did not change. Not for `dependsOnTime` sorts.
    func replacing(_ changed: [Int], in order: [Int], pods: [Pod], index: SearchIndex, nameRank: [Int]) -> [Int] {
        guard column != .name else { return sortedIndices(pods, index: index, nameRank: nameRank, now: .distantPast) }
        let moved = Set(changed)
        var kept = order.filter { !moved.contains($0) }
        func record(_ i: Int) -> Record {
            Record(key: key(of: pods[i], at: i, index: index, now: .distantPast), rank: nameRank[i], index: i)
        }
        for i in changed.sorted() {
            let new = record(i)
            var low = 0, high = kept.count
            while low < high {
                let mid = (low + high) / 2
                if precedes(record(kept[mid]), new) { low = mid + 1 } else { high = mid }
            }
            kept.insert(i, at: low)
        }
        return kept
    }

    /// Each pod's place in name order (then id), for `sortedIndices`.
    public static func nameRanks(_ pods: [Pod], index: SearchIndex) -> [Int] {
        // Pods without a name come after the named ones (by id), not first under "(".
        // Names compare by their lower-cased UTF-8 bytes, which is code point order.
        let unnamed = pods.map(\.isUnnamed)
        let names = pods.indices.map { index.field(.name, of: $0) }
        let order = pods.indices.sorted { a, b in
            if unnamed[a] != unnamed[b] { return unnamed[b] }
            return names[a] != names[b] ? names[a].lexicographicallyPrecedes(names[b]) : pods[a].id < pods[b].id
        }
        var rank = [Int](repeating: 0, count: pods.count)
        for (position, index) in order.enumerated() { rank[index] = position }
        return rank
    }

    /// A comparable key, or nil when the pod has no value for the column.
    func key(of pod: Pod, at i: Int, index: SearchIndex, now: Date, spend: [Int64: PodSpend] = [:]) -> SortKey? {
        let key = rawKey(of: pod, at: i, index: index, now: now, spend: spend)
        // A number that is not finite has no order: it sorts as missing (NaN would make the
        // order depend on where the sort met it).
        if case .number(let value)? = key, !value.isFinite { return nil }
        return key
    }

    private func rawKey(of pod: Pod, at i: Int, index: SearchIndex, now: Date, spend: [Int64: PodSpend]) -> SortKey? {
        switch column {
        case .name: .text(index.text(.name, of: i))
        case .status: .number(Double(StatusOrder.rank(pod.status)))
        case .gpu: .text(pod.gpuName.lowercased())
        case .count: pod.gpuCount.map { .number(Double($0)) }
        case .region: pod.region.map { _ in .text(index.text(.region, of: i)) }
        case .age: pod.createdAt.map { .number(-$0.timeIntervalSince1970) }   // youngest first ascending
        case .price: pod.pricePerHour.map { .number($0) }
        case .cost: Cost.observed(pod.id, in: spend, now: now).map { .number($0.cost) }
        case .id: .integer(pod.id)
        }
    }
}

/// A sort key: numbers compare as numbers, text as text.
enum SortKey: Comparable {
    case integer(Int64)
    case number(Double)
    case text(String)
}
