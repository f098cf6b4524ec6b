import Foundation
import PodAPI
import PodSim
import Testing
@testable import PodTUICore

/// The fleet's indexes kept between replies (FleetState.reindex: the search records of the
/// changed pods, each changed pod re-placed in the kept order, the filter re-tested on it)
/// against the same indexes made from nothing, over replies that change one pod, many,
/// rename, reorder, add and drop pods, for every sort column both ways and several filters.
/// Sizes are kept small, and the loops yield, on purpose: Swift Testing runs these loops on
/// the cooperative pool (two threads here), and a long one starves the async tests beside it.
@Suite("Indexes kept across replies")
struct KeptIndexTests {
    static let names = ["alpha", "Beta", "gamma-7", "delta", "", "zeta ü", "ÉTA", "theta", "iota-9", "kappa"]
    static let regions = ["us-east-1", "us-west-1", "eu-1", nil]
    static let gpus = ["NVIDIA_H100_80G", "NVIDIA_RTX_4090_24G", "NVIDIA_A100_80G", nil]
    static let statuses: [PodStatus] = [.running, .paused, .initializing, .failed, .pausing, .unknown("WEIRD")]

    static func pod(_ id: Int64, _ rng: inout SeededRandom) -> Pod {
        let name = names[Int.random(in: 0..<names.count, using: &rng)]
        return Pod(id: id, name: Int.random(in: 0..<7, using: &rng) == 0 ? nil : name + (Int.random(in: 0..<3, using: &rng) == 0 ? "" : "-\(Int.random(in: 0..<40, using: &rng))"),
                   status: statuses[Int.random(in: 0..<statuses.count, using: &rng)], gpuType: gpus[Int.random(in: 0..<gpus.count, using: &rng)], image: "img:\(Int.random(in: 0..<5, using: &rng))",
                   gpuCount: Int.random(in: 0..<5, using: &rng) == 0 ? nil : Int.random(in: 0..<8, using: &rng), createdAt: Int.random(in: 0..<6, using: &rng) == 0 ? nil : Fixtures.now.addingTimeInterval(-Double(Int.random(in: 0..<9_000, using: &rng))),
                   region: regions[Int.random(in: 0..<regions.count, using: &rng)], singleCardPrice: Int.random(in: 0..<5, using: &rng) == 0 ? nil : Double(Int.random(in: 0..<300, using: &rng)) / 100)
    }

    /// The next reply: most change one pod or a few (the path kept across replies), some
    /// rename, reorder, add or drop pods (the path made again).
    static func next(_ pods: [Pod], _ rng: inout SeededRandom, nextID: inout Int64) -> [Pod] {
        var pods = pods
        switch Int.random(in: 0..<10, using: &rng) {
        case 0 where pods.count > 2:
            pods.remove(at: Int.random(in: 0..<pods.count, using: &rng))
        case 1:
            nextID += 1
            pods.insert(pod(nextID, &rng), at: Int.random(in: 0..<(pods.count + 1), using: &rng))
        case 2 where pods.count > 2:
            pods.swapAt(Int.random(in: 0..<pods.count, using: &rng), Int.random(in: 0..<pods.count, using: &rng))
        case 3:
            let i = Int.random(in: 0..<pods.count, using: &rng)
            pods[i].name = names[Int.random(in: 0..<names.count, using: &rng)] + "-renamed"
        case 4:
            for _ in 0..<Int.random(in: 0..<30, using: &rng) { let i = Int.random(in: 0..<pods.count, using: &rng); pods[i] = pod(pods[i].id, &rng) }   // many at once
        default:
            for _ in 0...Int.random(in: 0..<3, using: &rng) {
                let i = Int.random(in: 0..<pods.count, using: &rng)
                switch Int.random(in: 0..<4, using: &rng) {
                case 0: pods[i].status = statuses[Int.random(in: 0..<statuses.count, using: &rng)]
                case 1: pods[i].singleCardPrice = Int.random(in: 0..<4, using: &rng) == 0 ? nil : Double(Int.random(in: 0..<300, using: &rng)) / 100
                case 2: pods[i].region = regions[Int.random(in: 0..<regions.count, using: &rng)]
                default: pods[i].gpuCount = Int.random(in: 0..<8, using: &rng)
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
    func sameAsFromNothing(column: SortColumn) async {
        for ascending in [true, false] {
            for filterText in ["", "9", "status:running,paused", "!gpu:4090 us", "name:ü"] {
                var rng = SeededRandom(seed: UInt64(filterText.utf8.count * 31 + (ascending ? 1 : 2)))
                var nextID: Int64 = 500
                var pods = (0..<80).map { Self.pod(Int64($0), &rng) }
                var state = Fixtures.loaded(pods)
                state.fleet.sort = SortSpec(column: column, ascending: ascending)
                state.fleet.filter = PodFilter(filterText)
                Reducer.refresh(&state, resort: true)
                for reply in 0..<40 {
                    await Task.yield()   // let the async tests beside it run (see the suite's note)
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
    func findAgreesWithPlainSearch() async {
        var rng = SeededRandom(seed: 7)
        for round in 0..<800 {
            if round % 100 == 0 { await Task.yield() }
            let hay = (0..<Int.random(in: 0..<40, using: &rng)).map { _ in UInt8(97 + Int.random(in: 0..<3, using: &rng)) }
            let needle = (0...Int.random(in: 0..<4, using: &rng)).map { _ in UInt8(97 + Int.random(in: 0..<3, using: &rng)) }
            let plain = hay.count < needle.count ? nil
                : (0...(hay.count - needle.count)).first { Array(hay[$0..<($0 + needle.count)]) == needle }
            let found = hay.withUnsafeBufferPointer { h in needle.withUnsafeBufferPointer { SearchIndex.find($0, in: h) } }
            #expect(found == plain, "\(hay) \(needle)")
        }
    }
}
