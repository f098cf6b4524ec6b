import Foundation
import Testing
@testable import PodAPI
@testable import PodClient
import PodSim

/// Fuzzing the reply decoder: mutated real replies and random JSON must give a value or a
/// `PodAPIError`, never a crash or a hang. Seeded, so a failure replays. CI runs the default
/// count; `PODTUI_FUZZ_ITERATIONS=200000 swift test --filter DecoderFuzz` runs a long pass.
@Suite("Decoder fuzzing")
struct DecoderFuzzTests {
    static let iterations = ProcessInfo.processInfo.environment["PODTUI_FUZZ_ITERATIONS"].flatMap(Int.init) ?? 4_000

    func fixture() throws -> Data {
        let url = try #require(Bundle.module.url(forResource: "pod-list-mixed", withExtension: "json", subdirectory: "Fixtures"))
        return try Data(contentsOf: url)
    }

    /// Decodes `body` every way the client does; only `PodAPIError` may come out.
    func decodeAll(_ body: Data, status: Int) {
        func attempt<T: Decodable>(_ type: T.Type) {
            do { _ = try HTTPPodService.decodeReply(status: status, body: body) as T } catch is PodAPIError {
            } catch { Issue.record("unexpected error type \(type): \(error)") }
        }
        attempt(LossyArray<Pod>.self)
        attempt(Pod.self)
        attempt([GPUType].self)
        attempt(LossyArray<RegistryCredential>.self)
        do { try HTTPPodService.checkEnvelope(status: status, retryAfter: "x", body: body, podID: 1) } catch is PodAPIError {
        } catch { Issue.record("checkEnvelope threw \(error)") }
    }

    @Test("mutated replies: flipped, deleted, duplicated and inserted bytes")
    func mutations() async throws {
        let seed = try fixture()
        var rng = SeededRandom(seed: 0xC0FFEE)
        let tokens: [[UInt8]] = ["null", "[", "]", "{", "}", "\"", ",", ":", "1e309", "-0", "9223372036854775808",
                                 "\"\\u0000\"", "\"\\ud800\"", "true", "{\"data\":", "\u{1B}[2J", "\u{202E}", "日本"].map { Array($0.utf8) }
        for i in 0..<Self.iterations {
            var bytes = Array(seed)
            for _ in 0..<(1 + Int(rng.next() % 4)) {
                let at = Int(rng.next() % UInt64(max(1, bytes.count)))
                switch rng.next() % 5 {
                case 0: if !bytes.isEmpty { bytes[min(at, bytes.count - 1)] ^= UInt8(truncatingIfNeeded: rng.next() | 1) }
                case 1: bytes.removeSubrange(at..<min(bytes.count, at + Int(rng.next() % 40)))
                case 2: let end = min(bytes.count, at + Int(rng.next() % 60)); bytes.insert(contentsOf: bytes[at..<end], at: at)
                case 3: bytes.insert(contentsOf: tokens[Int(rng.next() % UInt64(tokens.count))], at: at)
                default: bytes = Array(bytes.prefix(at))   // truncated reply
                }
            }
            decodeAll(Data(bytes), status: [200, 200, 200, 400, 500, 429][i % 6])
            // Long CPU-bound loops would hold the cooperative threads the in-process simulator
            // of other tests needs (two on two cores): step aside now and then.
            if i % 200 == 0 { await Task.yield() }
        }
    }

    @Test("random JSON documents of any shape")
    func randomDocuments() async {
        var rng = SeededRandom(seed: 42)
        for i in 0..<Self.iterations {
            let document = "{\"code\":\(rng.next() % 2 == 0 ? "10000" : "\(rng.next() % 20000)"),\"message\":\"m\",\"data\":"
                + RandomJSON.value(&rng, depth: 0) + "}"
            decodeAll(Data(document.utf8), status: i % 7 == 0 ? 503 : 200)
            if i % 200 == 0 { await Task.yield() }
        }
    }

    @Test("ids above 2^53 stay exact through any decode path")
    func bigIDs() throws {
        for id: Int64 in [9_007_199_254_740_993, Int64.max, 362_740_422_811_062_273] {
            let body = Data("{\"code\":10000,\"data\":[{\"id\":\(id),\"name\":\"n\",\"status\":\"RUNNING\",\"gpuType\":\"g\"},{\"id\":\"\(id)\",\"name\":\"s\",\"status\":1,\"gpuType\":\"g\"}]}".utf8)
            let list: LossyArray<Pod> = try HTTPPodService.decodeReply(status: 200, body: body)
            #expect(list.elements.map(\.id) == [id, id])
        }
    }
}

/// Random JSON text: every kind of value, nested a few levels, with the keys a pod has so
/// the decoder's field paths are reached.
enum RandomJSON {
    static let keys = ["id", "name", "status", "gpuType", "gpuCount", "createdAt", "envVars", "environmentVars", "expose",
                       "port", "protocol", "key", "value", "regions", "region", "available", "singleCardPrice", "x"]

    static func value(_ rng: inout SeededRandom, depth: Int) -> String {
        switch rng.next() % (depth > 3 ? 6 : 8) {
        case 0: return "null"
        case 1: return rng.next() % 2 == 0 ? "true" : "false"
        case 2: return String(Int64(bitPattern: rng.next()) >> Int64(rng.next() % 60))
        case 3: return String(Double(rng.next() % 100_000) / 7)
        case 4: return "\"" + ["RUNNING", "3", "", "x\\n", "\\u001b[31m", "2024-01-15T08:10:00Z", "1705306200000"][Int(rng.next() % 7)] + "\""
        case 5: return "\"\(rng.next() % 1000)\""
        case 6:
            let n = Int(rng.next() % 5)
            return "[" + (0..<n).map { _ in value(&rng, depth: depth + 1) }.joined(separator: ",") + "]"
        default:
            let n = Int(rng.next() % 6)
            return "{" + (0..<n).map { _ in "\"\(keys[Int(rng.next() % UInt64(keys.count))])\":" + value(&rng, depth: depth + 1) }
                .joined(separator: ",") + "}"
        }
    }
}
