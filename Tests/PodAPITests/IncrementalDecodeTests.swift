import Foundation
import Testing
@testable import PodAPI
@testable import PodClient
import PodSim

/// Issue 29: `PodListFastPath.decode(_:memo:)` decodes only the pods whose bytes changed since
/// the last list and takes the rest from its memo. Whatever the memo holds, its answer must be
/// `decode(_:)`'s (nil included), and so the Decodable path's (`FastPathTests` holds those
/// two equal): here for replies where pods move, appear, disappear, repeat or change one
/// byte, and for thousands of mutated bodies read after a good one.
@Suite("List fast path, incremental")
struct IncrementalDecodeTests {
    /// The Decodable path's answer when it reads every element, else nil.
    func slow(_ body: Data) -> [Pod]? {
        let decoded: LossyArray<Pod>?? = try? HTTPPodService.decodeOptionalReply(status: 200, body: body)
        guard let outer = decoded, let list = outer, list.failures.isEmpty else { return nil }
        return list.elements
    }

    func reply(_ pods: [String]) -> Data {
        Data(#"{"code":10000,"message":"success","data":[\#(pods.joined(separator: ","))]}"#.utf8)
    }

    func pod(_ i: Int, status: String = "RUNNING", name: String? = nil) -> String {
        #"{"id":\#(362_740_422_811_062_272 + Int64(i)),"name":"\#(name ?? "job-\(i)")","status":"\#(status)","gpuCount":\#(i % 8 + 1),"createdAt":\#(1_780_000_000_000 + Int64(i)),"singleCardPrice":\#(Double(i % 7) * 0.37),"expose":[{"port":22,"protocol":"SSH","healthy":true}],"envVars":[{"key":"K\#(i)","value":"v \"\#(i)\" \\ {["}]}"#
    }

    /// Decodes `bodies` in turn with one memo, each checked against a decode from nothing and
    /// against JSONDecoder; returns the memo.
    @discardableResult
    func checkSequence(_ bodies: [Data], _ comment: Comment? = nil) -> PodListMemo {
        var memo = PodListMemo()
        for (n, body) in bodies.enumerated() {
            let incremental = PodListFastPath.decode(body, memo: &memo)
            let whole = PodListFastPath.decode(body)
            #expect(incremental == whole, "reply \(n) \(comment?.rawValue ?? "")")
            if let incremental {
                #expect(incremental == slow(body), "reply \(n) differs from JSONDecoder \(comment?.rawValue ?? "")")
                #expect(memo.count == incremental.count)
            }
        }
        return memo
    }

    @Test("pods that move, appear, disappear, repeat or change one byte: the whole decode's answer")
    func shapes() {
        let base = (0..<50).map { pod($0) }
        var moved = base
        moved.swapAt(3, 40)
        moved.append(moved.removeFirst())
        var appeared = base
        appeared.insert(pod(1000), at: 10)
        appeared.append(pod(1001))
        var gone = base
        gone.remove(at: 0)
        gone.remove(at: 20)
        var oneByte = base
        oneByte[25] = pod(25, status: "PAUSED")
        var nameByte = base
        nameByte[7] = pod(7, name: "job-8")                      // the same length, one byte apart
        var twice = base
        twice.insert(base[5], at: 30)                           // the same bytes twice in one reply
        let spaced = Data(String(decoding: reply(base), as: UTF8.self).replacingOccurrences(of: "},{", with: "} ,\n {").utf8)
        checkSequence([reply(base), reply(moved), reply(appeared), reply(gone), reply(oneByte), reply(nameByte),
                       reply(twice), spaced, reply([]), reply(base), reply(base)])
    }

    @Test("a changed byte anywhere in one pod is decoded, never taken from the memo")
    func everyByteOfOnePod() {
        let base = (0..<5).map { pod($0) }
        let body = Array(reply(base))
        let target = Array(pod(2).utf8)
        guard let start = body.firstRange(of: target)?.lowerBound else {
            Issue.record("pod 2 not found in the body")
            return
        }
        var memo = PodListMemo()
        _ = PodListFastPath.decode(reply(base), memo: &memo)
        for offset in 0..<target.count {
            for replacement: UInt8 in [UInt8(ascii: "7"), UInt8(ascii: "x"), UInt8(ascii: "\"")] where body[start + offset] != replacement {
                var changed = body
                changed[start + offset] = replacement
                var copy = memo
                let incremental = PodListFastPath.decode(Data(changed), memo: &copy)
                #expect(incremental == PodListFastPath.decode(Data(changed)), "byte \(offset) -> \(replacement)")
            }
        }
    }

    @Test("where a pod is expected, bytes of its length that are another pod, or none, are read as they are")
    func expectedPlaces() {
        let base = (0..<30).map { pod($0, status: "PAUSED") }
        // Same length, other bytes: the status, the name, the whole pod swapped for another.
        var sameLength = base
        sameLength[4] = pod(4, status: "FAILED")
        sameLength[9] = pod(9, status: "PAUSED", name: "job-x")
        sameLength.swapAt(12, 13)
        // Shifted: one pod in front, so no pod is where its length says.
        let shifted = [pod(99, status: "PAUSED")] + base
        // The last pod's length would run past the end of a shorter reply.
        let shorter = Array(base.prefix(3)) + [#"{"id":7}"#]
        // The same bytes twice in a row; a pod reused, then the one after it changed.
        var repeated = base
        repeated.insert(base[5], at: 6)
        repeated[8] = pod(7, status: "FAILED")
        for bodies in [[base, sameLength], [base, shifted], [base, shorter], [base, repeated], [base, sameLength, shifted, repeated, base]] {
            checkSequence(bodies.map(reply))
        }
        // Reused where expected: the same Pod (one box), not an equal one decoded again.
        var memo = PodListMemo()
        let first = PodListFastPath.decode(reply(base), memo: &memo) ?? []
        let again = PodListFastPath.decode(reply(sameLength), memo: &memo) ?? []
        #expect(again.count == 30 && again[4].status == .failed && again[12] == first[13])
    }

    @Test("the memo spares the work: one changed pod of 1,000 decodes one pod")
    func reusesPods() {
        var pods = (0..<1_000).map { pod($0) }
        var memo = PodListMemo()
        let first = PodListFastPath.decode(reply(pods), memo: &memo)
        pods[500] = pod(500, status: "PAUSED")
        let second = PodListFastPath.decode(reply(pods), memo: &memo)
        #expect(second?.count == 1_000 && second?[500].status == .paused && second?[499] == first?[499])
        #expect(memo.count == 1_000)
    }

    @Test("a declined reply leaves the memo as it was, and the next good one still uses it")
    func declineKeepsMemo() {
        let base = (0..<20).map { pod($0) }
        var memo = PodListMemo()
        _ = PodListFastPath.decode(reply(base), memo: &memo)
        var bad = base
        bad[3] = #"{"id":1,"id":2}"#                           // a duplicate field: declined
        #expect(PodListFastPath.decode(reply(bad), memo: &memo) == nil)
        #expect(memo.count == 20)
        #expect(PodListFastPath.decode(reply(base), memo: &memo) == PodListFastPath.decode(reply(base)))
        #expect(PodListFastPath.decode(Data(#"{"code":10000,"data":[{"id":1,"name":"#.utf8), memo: &memo) == nil)
    }

    @Test("mutated bodies after a good one: the incremental answer is always the whole decode's")
    func mutations() async {
        let seed = reply((0..<12).map { pod($0, status: ["RUNNING", "PAUSED", "FAILED"][$0 % 3]) })
        var rng = SeededRandom(seed: 0x1DEC)
        let tokens: [[UInt8]] = ["null", "[", "]", "{", "}", "\"", "\\", ",", ":", "1e3", "\"\\u0000\"", "},{", " "].map { Array($0.utf8) }
        var good = PodListMemo()
        _ = PodListFastPath.decode(seed, memo: &good)
        for i in 0..<FastPathTests.iterations {
            var bytes = Array(seed)
            ByteMutation.mutate(&bytes, tokens: tokens, rng: &rng)
            var memo = good
            let body = Data(bytes)
            #expect(PodListFastPath.decode(body, memo: &memo) == PodListFastPath.decode(body), "\(String(decoding: bytes.prefix(200), as: UTF8.self))")
            if i % 200 == 0 { await Task.yield() }
        }
    }

    @Test("the client: after a pause, the changed reply over HTTP reads as the simulator's pods")
    func overHTTP() async throws {
        let sim = try await SimHarness.start(.many, speed: 0.000001, pods: 300)
        defer { Task { await sim.stop() } }
        let first = try await sim.service.listPods()
        let running = try #require(first.pods.firstIndex { $0.status == .running })
        try await sim.service.pausePod(id: first.pods[running].id)
        let second = try await sim.service.listPods()
        let truth = await sim.server.state.currentPods()
        #expect(second.pods.map(\.id) == truth.map(\.id))
        #expect(second.pods.map(\.status) == truth.map(\.status))
        #expect(second.pods[running].status != .running)
        for i in second.pods.indices where i != running {
            #expect(second.pods[i] == first.pods[i], "pod \(i)")
        }
    }
}
