import Foundation
import PodAPI
import Testing
@testable import PodTUICore

/// The fleet's indexes kept between replies (FleetState.reindex: the search records of the
/// changed pods, each changed pod re-placed in the kept order, the filter re-tested on it)
/// against the same indexes made from nothing, over replies that change one pod, many,
/// rename, reorder, add and drop pods, for every sort column both ways and several filters.
/// Sizes are kept small on purpose: Swift Testing runs these synchronous loops on the
/// cooperative pool (two threads here), and a long one starves the async tests beside it.
@Suite("Indexes kept across replies")
struct KeptIndexTests {
    /// A small deterministic generator (the same replies on every run).
    struct Rng {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
    }

    static let names = ["alpha", "Beta", "gamma-7", "delta", "", "zeta ü", "ÉTA", "theta", "iota-9", "kappa"]
    static let regions = ["us-east-1", "us-west-1", "eu-1", nil]
    static let gpus = ["NVIDIA_H100_80G", "NVIDIA_RTX_4090_24G", "NVIDIA_A100_80G", nil]
    static let statuses: [PodStatus] = [.running, .paused, .initializing, .failed, .pausing, .unknown("WEIRD")]

    static func pod(_ id: Int64, _ rng: inout Rng) -> Pod {
        let name = names[rng.next(names.count)]
        return Pod(id: id, name: rng.next(7) == 0 ? nil : name + (rng.next(3) == 0 ? "" : "-\(rng.next(40))"),
                   status: statuses[rng.next(statuses.count)], gpuType: gpus[rng.next(gpus.count)], image: "img:\(rng.next(5))",
                   gpuCount: rng.next(5) == 0 ? nil : rng.next(8), createdAt: rng.next(6) == 0 ? nil : Fixtures.now.addingTimeInterval(-Double(rng.next(9_000))),
                   region: regions[rng.next(regions.count)], singleCardPrice: rng.next(5) == 0 ? nil : Double(rng.next(300)) / 100)
    }

    /// The next reply: most change one pod or a few (the path kept across replies), some
    /// rename, reorder, add or drop pods (the path made again).
    static func next(_ pods: [Pod], _ rng: inout Rng, nextID: inout Int64) -> [Pod] {
        var pods = pods
        switch rng.next(10) {
        case 0 where pods.count > 2:
            pods.remove(at: rng.next(pods.count))
        case 1:
            nextID += 1
            pods.insert(pod(nextID, &rng), at: rng.next(pods.count + 1))
        case 2 where pods.count > 2:
            pods.swapAt(rng.next(pods.count), rng.next(pods.count))
        case 3:
            let i = rng.next(pods.count)
            pods[i].name = names[rng.next(names.count)] + "-renamed"
        case 4:
            for _ in 0..<rng.next(30) { let i = rng.next(pods.count); pods[i] = pod(pods[i].id, &rng) }   // many at once
        default:
            for _ in 0...rng.next(3) {
                let i = rng.next(pods.count)
                switch rng.next(4) {
                case 0: pods[i].status = statuses[rng.next(statuses.count)]
                case 1: pods[i].singleCardPrice = rng.next(4) == 0 ? nil : Double(rng.next(300)) / 100
                case 2: pods[i].region = regions[rng.next(regions.count)]
                default: pods[i].gpuCount = rng.next(8)
                }
            }
        }
        return pods
    }

    /// What the list must show, made from nothing: the full sort, then the filter pod by pod.
    static func expected(_ state: AppState) -> [Int64] {
        let pods = state.fleet.allPods
        let index = SearchIndex(pods)
        let order = state.fleet.sort.sortedIndices(pods, index: index, nameRank: SortSpec.nameRanks(pods, index: index),
                                                   now: state.now, spend: state.spend.total)
        return order.filter { state.fleet.filter.matches(index, at: $0) }.map { pods[$0].id }
    }

    @Test("every column both ways, under several filters, over 40 replies: the same list as made from nothing",
          arguments: SortColumn.allCases)
    func sameAsFromNothing(column: SortColumn) {
        for ascending in [true, false] {
            for filterText in ["", "9", "status:running,paused", "!gpu:4090 us", "name:ü"] {
                var rng = Rng(state: UInt64(filterText.utf8.count * 31 + (ascending ? 1 : 2)))
                var nextID: Int64 = 500
                var pods = (0..<80).map { Self.pod(Int64($0), &rng) }
                var state = Fixtures.loaded(pods)
                state.fleet.sort = SortSpec(column: column, ascending: ascending)
                state.fleet.filter = PodFilter(filterText)
                Reducer.refresh(&state, resort: true)
                for reply in 0..<40 {
                    pods = Self.next(pods, &rng, nextID: &nextID)
                    _ = Reducer.reduce(&state, .podsLoaded(generation: state.connection.generation, PodList(pods: pods), Fixtures.now))
                    #expect(state.fleet.search == SearchIndex(pods), "reply \(reply)")
                    #expect(state.fleet.nameRank == SortSpec.nameRanks(pods, index: SearchIndex(pods)), "reply \(reply)")
                    let shown = state.fleet.pods.map(\.id), expected = Self.expected(state)
                    #expect(shown == expected, "\(column) \(ascending) /\(filterText)/ reply \(reply)")
                    if shown != expected { return }
                }
            }
        }
    }

    @Test("a reply that changes one pod re-places it without sorting again")
    func onePodReplaced() {
        var pods = (0..<50).map { i in Fixtures.pod(Int64(i), "pod-\(i)", .running, price: Double(i)) }
        var state = Fixtures.loaded(pods)
        state.fleet.sort = SortSpec(column: .price, ascending: true)
        Reducer.refresh(&state, resort: true)
        #expect(state.fleet.sortedFor == SortSpec(column: .price, ascending: true))
        pods[3].singleCardPrice = 99
        _ = Reducer.reduce(&state, .podsLoaded(generation: state.connection.generation, PodList(pods: pods), Fixtures.now))
        #expect(state.fleet.pods.last?.id == 3)
        #expect(state.fleet.sortedFor == SortSpec(column: .price, ascending: true))   // kept, not made again
    }

    @Test("the index: fields of bytes 0 and 1 never join two fields, a word never spans two pods")
    func separators() {
        let pods = [Pod(id: 1, name: "a\u{1}b", status: .running, gpuType: nil, region: "x\u{0}"),
                    Pod(id: 2, name: "ab", status: .paused, gpuType: nil, region: "cd")]
        let index = SearchIndex(pods)
        #expect(index.count == 2)
        #expect(Array(index.field(.name, of: 0)) == Array("a b".utf8))
        #expect(PodFilter("region:cd").hits(in: index) == [false, true])
        #expect(PodFilter("1ab").hits(in: index) == [false, false])   // "…1" ending pod 1 and "ab" opening pod 2
        #expect(PodFilter("name:a").hits(in: index) == [true, true])
        #expect(PodFilter("!name:ab").hits(in: index) == [true, false])
    }

    @Test("the word search finds what a plain search finds, at any place and length")
    func findAgreesWithPlainSearch() {
        var rng = Rng(state: 7)
        for _ in 0..<800 {
            let hay = (0..<rng.next(40)).map { _ in UInt8(97 + rng.next(3)) }
            let needle = (0...rng.next(4)).map { _ in UInt8(97 + rng.next(3)) }
            let plain = hay.count < needle.count ? nil
                : (0...(hay.count - needle.count)).first { Array(hay[$0..<($0 + needle.count)]) == needle }
            let found = hay.withUnsafeBufferPointer { h in needle.withUnsafeBufferPointer { SearchIndex.find($0, in: h) } }
            #expect(found == plain, "\(hay) \(needle)")
        }
    }
}
