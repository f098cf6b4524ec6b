import FoundationEssentials

/// A reply's bytes in 16 bytes: their count and a 64-bit hash keyed by a random seed per
/// process, taken eight bytes a step (about a millisecond for 10,000 pods' 6 MB).
///
/// Two different replies of the same length have the same print only by a 2^-64 accident:
/// each step `h = rotate((h ^ word) * odd)` is one-to-one in `h` for a given word, so two
/// bodies that differ in one word always end in different hashes, and the seed (unknown
/// outside the process) keeps a server from choosing bodies that collide. A collision would
/// show the last list for one more poll, never a wrong pod: the next different reply is
/// decoded.
public struct BodyPrint: Equatable, Sendable {
    /// The body's length in bytes.
    public let count: Int
    /// The keyed hash of its bytes.
    public let hash: UInt64

    /// The print of `body` under `seed` (one per process: see the type's note).
    public init(_ body: Data, seed: UInt64) {
        count = body.count
        hash = body.withUnsafeBytes { raw in
            var h = seed ^ UInt64(truncatingIfNeeded: raw.count)
            func mix(_ word: UInt64) {
                h = (h ^ word) &* 0x9E37_79B9_7F4A_7C15
                h = (h << 31) | (h >> 33)
            }
            var i = 0
            while i + 8 <= raw.count {
                mix(UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)))
                i += 8
            }
            var tail: UInt64 = 0
            var shift: UInt64 = 0
            while i < raw.count {
                tail |= UInt64(raw[i]) << shift
                shift += 8
                i += 1
            }
            mix(tail ^ 0xFF)   // the tail's end marked: "…00" and "…" differ by more than the count
            // Final avalanche (MurmurHash3's), so nearby inputs spread over all 64 bits.
            h ^= h >> 33
            h = h &* 0xFF51_AFD7_ED55_8CCD
            h ^= h >> 33
            return h
        }
    }
}
