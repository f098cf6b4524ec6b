import Foundation
import PodAPI
import Testing
@testable import PodClient

/// The print the list cache keeps instead of the last reply's bytes.
@Suite("Reply prints")
struct BodyPrintTests {
    @Test("the same bytes give the same print; any one byte changed, added or dropped gives another")
    func oneByteApart() {
        let body = Data((0..<1_003).map { UInt8(truncatingIfNeeded: $0 &* 7) })
        let seed: UInt64 = 0x1234_5678
        let print = BodyPrint(body, seed: seed)
        #expect(BodyPrint(Data(body), seed: seed) == print)
        for at in [0, 1, 7, 8, 500, 999, 1_000, 1_002] {
            var changed = body
            changed[at] ^= 0x01
            #expect(BodyPrint(changed, seed: seed) != print, "byte \(at)")
        }
        #expect(BodyPrint(body + [0], seed: seed) != print)
        #expect(BodyPrint(body.dropLast(), seed: seed) != print)
        #expect(BodyPrint(Data(), seed: seed) != BodyPrint(Data([0]), seed: seed))
        #expect(BodyPrint(body, seed: seed + 1) != print)   // another process, another print
    }

    @Test("a changed reply is decoded again, an identical one is not")
    func cacheAnswers() {
        let cache = ListReplyCache()
        let one = Data(#"{"code":10000,"message":"ok","data":[{"id":1,"status":"RUNNING"}]}"#.utf8)
        let two = Data(#"{"code":10000,"message":"ok","data":[{"id":1,"status":"PAUSED!"}]}"#.utf8)
        #expect(cache.lookup(query: "", print: cache.print(one)) == nil)
        let list = PodList(pods: cache.decodeFast(one) ?? [])
        cache.store(query: "", print: cache.print(one), list: list)
        #expect(cache.lookup(query: "", print: cache.print(Data(one)))?.pods.first?.status == .running)
        #expect(cache.lookup(query: "statusList=RUNNING", print: cache.print(one)) == nil)
        #expect(cache.lookup(query: "", print: cache.print(two)) == nil)
    }
}
