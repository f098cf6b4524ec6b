import PodAPI
import PodSim

/// The mutation oracle's one step, shared by the fast-path tests: one to three random edits
/// of a body (a byte flipped, a run cut, a token inserted, a run repeated), drawn from `rng`
/// in a fixed order so a seed always gives the same bodies.
enum ByteMutation {
    static func mutate(_ bytes: inout [UInt8], tokens: [[UInt8]], rng: inout SeededRandom) {
        for _ in 0..<(1 + Int(rng.next() % 3)) {
            let at = Int(rng.next() % UInt64(max(1, bytes.count)))
            switch rng.next() % 4 {
            case 0: if !bytes.isEmpty { bytes[min(at, bytes.count - 1)] ^= UInt8(truncatingIfNeeded: rng.next() | 1) }
            case 1: bytes.removeSubrange(at..<min(bytes.count, at + Int(rng.next() % 8)))
            case 2: bytes.insert(contentsOf: tokens[Int(rng.next() % UInt64(tokens.count))], at: at)
            default: let end = min(bytes.count, at + Int(rng.next() % 30)); bytes.insert(contentsOf: bytes[at..<end], at: at)
            }
        }
    }
}
