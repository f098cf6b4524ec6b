import Foundation
import Testing
@testable import PodAPI
import PodSim

/// The word-at-a-time scans of the list fast path against plain byte-at-a-time ones.
@Suite("Word-at-a-time scans")
struct ScanTests {
    /// The object scan as it was, a byte at a time.
    static func plainObjectEnd(_ bytes: [UInt8]) -> Int? {
        var i = 0, depth = 0
        while i < bytes.count {
            switch bytes[i] {
            case UInt8(ascii: "\""):
                i += 1
                while i < bytes.count, bytes[i] != UInt8(ascii: "\"") { i += bytes[i] == UInt8(ascii: "\\") ? 2 : 1 }
            case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                if depth == 0 { return i + 1 }
                if depth < 0 { return nil }
            default: break
            }
            i += 1
        }
        return nil
    }

    @Test("objectEnd finds the same end as a byte-at-a-time scan, with every kind of byte at every place")
    func objectEndAgrees() async {
        let alphabet = Array("{}[]\"\\aY_y:,0 \u{7F}".utf8)
        var rng = SeededRandom(seed: 11)
        for round in 0..<20_000 {
            if round % 1_000 == 0 { await Task.yield() }   // the pool is shared with async tests
            let bytes = [UInt8(ascii: "{")] + (0..<Int.random(in: 0..<48, using: &rng)).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &rng)] }
            let fast = bytes.withUnsafeBufferPointer { PodListFastPath.Reader($0).objectEnd() }
            #expect(fast == Self.plainObjectEnd(bytes), "\(String(decoding: bytes, as: UTF8.self))")
        }
    }

    @Test("ByteHash: equal bytes hash equal; one byte changed, added or dropped at any place hashes apart")
    func byteHash() {
        for length in 0..<80 {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
            let hash = bytes.withUnsafeBytes { ByteHash.hash($0, key: 42) }
            #expect(Array(bytes).withUnsafeBytes { ByteHash.hash($0, key: 42) } == hash)
            #expect(bytes.withUnsafeBytes { ByteHash.hash($0, key: 43) } != hash)
            for at in 0..<length {
                var changed = bytes
                changed[at] ^= 0x80
                #expect(changed.withUnsafeBytes { ByteHash.hash($0, key: 42) } != hash, "length \(length), byte \(at)")
            }
            #expect((bytes + [0]).withUnsafeBytes { ByteHash.hash($0, key: 42) } != hash)
            if length > 0 { #expect(bytes.dropLast().withUnsafeBytes { ByteHash.hash($0, key: 42) } != hash) }
        }
    }
}
