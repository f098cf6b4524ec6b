import FoundationEssentials
import PodAPI

/// A reply's bytes in 16 bytes: their count and a `ByteHash` keyed by a random seed per
/// process (about half an instruction a byte: well under a millisecond for 10,000 pods' 6 MB).
/// A collision would show the last list for one more poll, never a wrong pod: the next
/// different reply is decoded.
public struct BodyPrint: Equatable, Sendable {
    /// The body's length in bytes.
    public let count: Int
    /// The keyed hash of its bytes.
    public let hash: UInt64

    /// The print of `body` under `seed` (one per process: see `ByteHash`).
    public init(_ body: Data, seed: UInt64) {
        count = body.count
        hash = body.withUnsafeBytes { ByteHash.hash($0, key: seed) }
    }
}
