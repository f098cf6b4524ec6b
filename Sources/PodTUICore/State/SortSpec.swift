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
        let keys = pods.map(PodSearchKeys.init)
        return sortedIndices(pods, keys: keys, nameRank: Self.nameRanks(pods, keys: keys), now: now).map { pods[$0] }
    }

    /// Indices of `pods` in this order. `nameRank[i]` is pod i's place in name order (made
    /// once per reply), so ties compare two integers instead of two strings.
    public func sortedIndices(_ pods: [Pod], keys: [PodSearchKeys], nameRank: [Int], now: Date, spend: [Int64: PodSpend] = [:]) -> [Int] {
        if column == .name {
            var order = [Int](repeating: 0, count: pods.count)
            for (i, rank) in nameRank.enumerated() { order[rank] = i }
            return ascending ? order : order.reversed()
        }
        let records = pods.indices.map { i in (key: key(of: pods[i], keys: keys[i], now: now, spend: spend), rank: nameRank[i], index: i) }
        let ascending = self.ascending
        return records.sorted { a, b in
            switch (a.key, b.key) {
            case (nil, nil): break
            case (nil, _): return false
            case (_, nil): return true
            case (let x?, let y?):
                if x != y { return ascending ? x < y : y < x }
            }
            return a.rank < b.rank
        }.map(\.index)
    }

    /// Each pod's place in name order (then id), for `sortedIndices`.
    public static func nameRanks(_ pods: [Pod], keys: [PodSearchKeys]) -> [Int] {
        // Pods without a name come after the named ones (by id), not first under "(".
        let order = pods.indices.sorted { a, b in
            let unnamedA = pods[a].isUnnamed, unnamedB = pods[b].isUnnamed
            if unnamedA != unnamedB { return unnamedB }
            return keys[a].name != keys[b].name ? keys[a].name < keys[b].name : pods[a].id < pods[b].id
        }
        var rank = [Int](repeating: 0, count: pods.count)
        for (position, index) in order.enumerated() { rank[index] = position }
        return rank
    }

    /// A comparable key, or nil when the pod has no value for the column.
    func key(of pod: Pod, keys: PodSearchKeys, now: Date, spend: [Int64: PodSpend] = [:]) -> SortKey? {
        switch column {
        case .name: .text(keys.name)
        case .status: .number(Double(StatusOrder.rank(pod.status)))
        case .gpu: .text(pod.gpuName.lowercased())
        case .count: pod.gpuCount.map { .number(Double($0)) }
        case .region: pod.region.map { _ in .text(keys.region) }
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
