import FoundationEssentials
import PodAPI

/// The visible pods: positions in `allPods`, in display order. A view rather than a copy,
/// so a filter keystroke on 10,000 pods moves integers, not 10,000 pod structs.
public struct PodView: RandomAccessCollection, Sendable {
    public let all: [Pod]
    /// The ids of `all`, same order: finding the selected pod reads integers, not pods.
    public let ids: [Int64]
    public let order: [Int]
    public init(all: [Pod] = [], ids: [Int64] = [], order: [Int] = []) { self.all = all; self.ids = ids; self.order = order }
    public var startIndex: Int { 0 }
    public var endIndex: Int { order.count }
    public subscript(position: Int) -> Pod { all[order[position]] }

    /// The position of the pod with this id, comparing ids only.
    public func firstIndex(ofID id: Int64) -> Int? {
        order.firstIndex { ids[$0] == id }
    }
}
