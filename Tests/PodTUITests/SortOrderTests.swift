import Foundation
import PodAPI
@testable import PodLocal
import PodSim
import Testing
@testable import PodTUICore

/// `SortSpec.sortedIndices` sorts flattened integer keys; `precedes` (the order `replacing`
/// keeps between replies) compares `SortKey`s. Both must be one order, for every column but
/// the name (which is the name ranks' order itself, in both paths) both ways, over fleets with equal keys, missing keys, ids past 2^53 and below zero, and text
/// that is not ASCII.
@Suite("Sort order")
struct SortOrderTests {
    @Test("the flattened sort is the order precedes gives", arguments: SortColumn.allCases.filter { $0 != .name })
    func sameOrder(column: SortColumn) {
        var rng = SeededRandom(seed: 0x50E7 + UInt64(column.title.utf8.count))
        for round in 0..<20 {
            var pods = (0..<150).map { KeptIndexTests.pod(Int64($0), &rng) }
            for i in pods.indices where Int.random(in: 0..<4, using: &rng) == 0 {
                pods[i].id = [Int64.max, Int64.min, -7, 9_007_199_254_740_993, 9_007_199_254_740_992][Int.random(in: 0..<5, using: &rng)] &- Int64(i)
            }
            let now = Fixtures.now
            var spend: [Int64: PodSpend] = [:]
            for pod in pods where Bool.random(using: &rng) {
                spend[pod.id] = PodSpend(id: pod.id, name: pod.name, closedSeconds: 60, closedCost: [0, -0.0, 0.5, 0.5, 2][Int.random(in: 0..<5, using: &rng)],
                                         openSince: nil, openPrice: nil, firstSeen: now, complete: true)
            }
            let index = SearchIndex(pods)
            let ranks = SortSpec.nameRanks(pods, index: index)
            for ascending in [true, false] {
                let spec = SortSpec(column: column, ascending: ascending)
                let sorted = spec.sortedIndices(pods, index: index, nameRank: ranks, now: now, spend: spend)
                func record(_ i: Int) -> SortSpec.Record {
                    SortSpec.Record(key: spec.key(of: pods[i], at: i, index: index, now: now, spend: spend), rank: ranks[i], index: i)
                }
                let expected = pods.indices.sorted { spec.precedes(record($0), record($1)) }
                #expect(sorted == expected, "round \(round), \(column) \(ascending ? "up" : "down")")
            }
        }
    }

    @Test("numbers keep their order as integers; -0 is 0; what is not finite is missing")
    func numbers() {
        let values: [Double] = [-.greatestFiniteMagnitude, -1e300, -2.5, -1, -5e-324, 0, 5e-324, 1, 2.5, 1e300, .greatestFiniteMagnitude]
        for (a, b) in zip(values, values.dropFirst()) { #expect(SortSpec.order(of: a) < SortSpec.order(of: b), "\(a) < \(b)") }
        #expect(SortSpec.order(of: -0.0) == SortSpec.order(of: 0))
        let pod = Pod(id: 1, name: "x", status: .running, gpuType: "g", gpuCount: 1, singleCardPrice: .infinity)
        let index = SearchIndex([pod])
        #expect(SortSpec(column: .price).key(of: pod, at: 0, index: index, now: Fixtures.now) == nil || pod.pricePerHour?.isFinite == true)
    }
}
