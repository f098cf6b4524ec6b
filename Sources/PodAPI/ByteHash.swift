/// A keyed 64-bit hash of bytes for telling "the same bytes as last time" (the list cache's
/// print of a reply, the fast path's fingerprint of each pod), at about half an instruction
/// a byte: four independent lanes, each `h = rotate((h ^ word) * odd, 31)` over every fourth
/// eight-byte word, then the lanes, the tail and the length folded and avalanched.
///
/// Not a cryptographic hash, and not needed to be one: each lane's step is one-to-one in `h`
/// for a given word, so two inputs of one length that differ in a single word always hash
/// apart; other pairs collide by a 2^-64 accident; and the key, random per process, is never
/// seen outside it, so a server cannot choose bytes that collide. A collision would only
/// keep the last value for one more reply. SipHash (`Hasher`) was a seventh of podtui's
/// CPU on a changing fleet of 10,000 pods.
public struct ByteHash: Sendable {
    /// This process's key.
    public static let processKey = UInt64.random(in: .min ... .max)

    private static let k0: UInt64 = 0x9E37_79B9_7F4A_7C15
    private static let k1: UInt64 = 0xC2B2_AE3D_27D4_EB4F
    private static let k2: UInt64 = 0x1656_67B1_9E37_79F9
    private static let k3: UInt64 = 0x27D4_EB2F_1656_67C5

    /// The hash of `bytes` under `key`.
    public static func hash(_ bytes: UnsafeRawBufferPointer, key: UInt64 = processKey) -> UInt64 {
        let count = bytes.count
        var a = key ^ k0, b = key ^ k1, c = key ^ k2, d = key ^ k3
        var i = 0
        if let base = bytes.baseAddress {
            func word(_ at: Int) -> UInt64 { UInt64(littleEndian: base.loadUnaligned(fromByteOffset: at, as: UInt64.self)) }
            func step(_ h: UInt64, _ w: UInt64, _ k: UInt64) -> UInt64 {
                let x = (h ^ w) &* k
                return (x << 31) | (x >> 33)
            }
            while i + 32 <= count {
                a = step(a, word(i), k0)
                b = step(b, word(i + 8), k1)
                c = step(c, word(i + 16), k2)
                d = step(d, word(i + 24), k3)
                i += 32
            }
            while i + 8 <= count {
                a = step(a, word(i), k0)
                i += 8
            }
        }
        var tail: UInt64 = 0, shift: UInt64 = 0
        while i < count {
            tail |= UInt64(bytes[i]) << shift
            shift += 8
            i += 1
        }
        var h = a ^ ((b << 17) | (b >> 47)) ^ ((c << 31) | (c >> 33)) ^ ((d << 47) | (d >> 17))
        h = ((h ^ tail) &* k1) ^ UInt64(truncatingIfNeeded: count)
        // MurmurHash3's finaliser: every input bit reaches every output bit.
        h ^= h >> 33
        h = h &* 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 33
        h = h &* 0xC4CE_B9FE_1A85_EC53
        h ^= h >> 33
        return h
    }
}
