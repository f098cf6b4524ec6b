import Foundation
import PodAPI

/// A column the list can be sorted by.
public enum SortColumn: String, Sendable, CaseIterable {
    case name, status, gpu, count, region, age, price, cost, id

    /// The key that sorts by it (pressing it again flips the direction).
    public var key: Character {
        switch self {
        case .name: "N"
        case .status: "S"
        case .gpu: "U"
        case .count: "X"
        case .region: "R"
        case .age: "A"
        case .price: "P"
        case .cost: "$"
        case .id: "I"
        }
    }

    /// The list column title it belongs to.
    public var title: String {
        switch self {
        case .name: "NAME"
        case .status: "STATUS"
        case .gpu: "GPU"
        case .count: "×"
        case .region: "REGION"
        case .age: "AGE"
        case .price: "$/H"
        case .cost: "COST"
        case .id: "ID"
        }
    }

    /// Where a fresh sort starts: biggest first for numbers people scan for the top of.
    public var defaultAscending: Bool {
        switch self {
        case .price, .cost, .count: false
        default: true
        }
    }

    /// Parses `:sort` arguments: a column name or its list title, any case.
    public init?(named text: String) {
        let t = text.lowercased()
        if let c = SortColumn(rawValue: t) { self = c; return }
        if let c = SortColumn.allCases.first(where: { $0.title.lowercased() == t }) { self = c; return }
        switch t {
        case "gpus", "gpucount": self = .count
        case "$/h", "$", "usd", "$/hr": self = .price
        case "created", "createdat": self = .age
        default: return nil
        }
    }
}

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
    public func sortedIndices(_ pods: [Pod], keys: [PodSearchKeys], nameRank: [Int], now: Date) -> [Int] {
        if column == .name {
            var order = [Int](repeating: 0, count: pods.count)
            for (i, rank) in nameRank.enumerated() { order[rank] = i }
            return ascending ? order : order.reversed()
        }
        let records = pods.indices.map { i in (key: key(of: pods[i], keys: keys[i], now: now), rank: nameRank[i], index: i) }
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
    func key(of pod: Pod, keys: PodSearchKeys, now: Date) -> SortKey? {
        switch column {
        case .name: .text(keys.name)
        case .status: .number(Double(StatusOrder.rank(pod.status)))
        case .gpu: .text(pod.gpuName.lowercased())
        case .count: pod.gpuCount.map { .number(Double($0)) }
        case .region: pod.region.map { _ in .text(keys.region) }
        case .age: pod.createdAt.map { .number(-$0.timeIntervalSince1970) }   // youngest first ascending
        case .price: pod.pricePerHour.map { .number($0) }
        case .cost: Cost.sinceStart(pod, now: now).map { .number($0) }
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

/// The order statuses sort in: what needs attention first.
enum StatusOrder {
    static func rank(_ status: PodStatus) -> Int {
        switch status {
        case .failed: 0
        case .initializing: 1
        case .running: 2
        case .pausing: 3
        case .paused: 4
        case .terminating: 5
        case .terminated: 6
        default: 7
        }
    }
}

/// Money arithmetic for the list, header and detail.
public enum Cost {
    /// Dollars a pod has cost since it was created, when the API gives a price and a start:
    /// price per hour × hours. Only a RUNNING pod is billed at the GPU price, so for others
    /// this is nil rather than a guess.
    public static func sinceStart(_ pod: Pod, now: Date) -> Double? {
        guard pod.status == .running, let price = pod.pricePerHour, let start = pod.createdAt else { return nil }
        return price * max(0, now.timeIntervalSince(start)) / 3600
    }
}
