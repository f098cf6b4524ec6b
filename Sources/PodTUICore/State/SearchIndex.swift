import FoundationEssentials
import PodAPI

/// What the `/` filter and the sort read of every pod: its name, image, GPU (type code and
/// display name), region, status and id, lower-cased, as one record per pod in one buffer
/// for the whole fleet.
///
/// One buffer instead of seven strings per pod: 10,000 pods cost one allocation of about
/// 800 kB instead of some 30,000 string buffers, and a filter word is found in every pod by
/// one pass over the buffer instead of a search in each pod's strings. A record is
/// the six fields, each ended by `fieldEnd`, then `recordEnd`; bytes 0 and 1 inside a field
/// are stored as spaces, so a hit for a word (which never holds them) lies inside one field
/// of one record.
public struct SearchIndex: Sendable, Equatable {
    static let fieldEnd: UInt8 = 1
    static let recordEnd: UInt8 = 0

    /// The records, back to back.
    public private(set) var bytes: [UInt8] = []
    /// Where each pod's record starts, then `bytes.count`: one more entry than pods.
    public private(set) var starts: [Int] = [0]

    /// The index of `pods`, in their order.
    public init(_ pods: [Pod]) {
        bytes.reserveCapacity(pods.count * 80)
        starts.reserveCapacity(pods.count + 1)
        for pod in pods {
            Self.appendRecord(of: pod, to: &bytes)
            starts.append(bytes.count)
        }
    }

    /// How many pods it indexes.
    public var count: Int { starts.count - 1 }

    /// Makes the records of the pods at `changed` (ascending indices of `pods`) again and
    /// keeps every other record as it is: `pods` is the list this index was made from with
    /// only those pods replaced (same count, same order). The unchanged runs between two
    /// changed pods are copied whole.
    mutating func update(_ pods: [Pod], changed: [Int]) {
        guard !changed.isEmpty else { return }
        var next: [UInt8] = []
        next.reserveCapacity(bytes.count + 64 * changed.count)
        var nextStarts = starts
        var copied = 0   // the first pod not yet in `next`
        for index in changed where index >= copied && index < count {
            let shift = next.count - starts[copied]
            next.append(contentsOf: bytes[starts[copied]..<starts[index]])
            for i in copied..<index { nextStarts[i] = starts[i] + shift }
            nextStarts[index] = next.count
            Self.appendRecord(of: pods[index], to: &next)
            copied = index + 1
        }
        let shift = next.count - starts[copied]
        next.append(contentsOf: bytes[starts[copied]...])
        for i in copied...count { nextStarts[i] = starts[i] + shift }
        bytes = next
        starts = nextStarts
    }

    /// The bytes of one field of pod `index`.
    public func field(_ field: PodFilter.Field, of index: Int) -> ArraySlice<UInt8> {
        let range = self.range(of: field, in: index)
        return bytes[range]
    }

    /// One field of pod `index` as text (for sort keys).
    func text(_ field: PodFilter.Field, of index: Int) -> String {
        String(decoding: self.field(field, of: index), as: UTF8.self)
    }

    /// True when pod `index` holds `needle` in `field` (any field when nil).
    func contains(_ needle: [UInt8], in field: PodFilter.Field?, of index: Int) -> Bool {
        guard !needle.isEmpty else { return true }
        let range = field.map { self.range(of: $0, in: index) } ?? starts[index]..<starts[index + 1]
        return bytes.withUnsafeBufferPointer { hay in
            needle.withUnsafeBufferPointer { nd in
                guard let hayBase = hay.baseAddress, let ndBase = nd.baseAddress else { return false }
                return Self.find(UnsafeBufferPointer(start: ndBase, count: nd.count),
                                 in: UnsafeBufferPointer(start: hayBase + range.lowerBound, count: range.count)) != nil
            }
        }
    }

    /// Sets `hits[i]` for every pod i that holds `needle` in `field` (any field when nil):
    /// one pass over the whole buffer, skipping to the next record after a hit.
    /// `hits` has one entry per pod.
    func mark(_ needle: [UInt8], in field: PodFilter.Field?, hits: inout [Bool]) {
        guard !needle.isEmpty else {
            for i in hits.indices { hits[i] = true }
            return
        }
        bytes.withUnsafeBufferPointer { hay in
            needle.withUnsafeBufferPointer { nd in
                guard let hayBase = hay.baseAddress, let ndBase = nd.baseAddress else { return }
                var from = 0
                while from < hay.count {
                    let rest = UnsafeBufferPointer(start: hayBase + from, count: hay.count - from)
                    guard let found = Self.find(UnsafeBufferPointer(start: ndBase, count: nd.count), in: rest) else { return }
                    let at = from + found
                    let pod = self.pod(at: at)
                    if let field, self.field(at: at, in: pod, hay) != field.ordinal {
                        from = at + 1
                        continue
                    }
                    if pod < hits.count { hits[pod] = true }
                    from = starts[pod + 1]
                }
            }
        }
    }

    /// Where `needle` (not empty) first occurs in `hay`. Eight places are tried at a time:
    /// a word of the haystack is compared with the needle's first byte repeated, the word
    /// one byte on with its second, and only places where both bytes agree (the bits of the
    /// "which bytes are zero" test on the two XORs, ANDed) are compared whole. Rare in
    /// lower-cased pod fields, so most of the buffer is passed over eight bytes a step.
    static func find(_ needle: UnsafeBufferPointer<UInt8>, in hay: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let first = needle.first, let base = hay.baseAddress, needle.count <= hay.count else { return nil }
        let raw = UnsafeRawPointer(base)
        let last = hay.count - needle.count   // the last place a match can start
        func matches(at i: Int) -> Bool {
            var j = 0
            while j < needle.count && hay[i + j] == needle[j] { j += 1 }
            return j == needle.count
        }
        // High bit of each byte that is zero (and, harmlessly, maybe of some byte above a zero
        // byte: every candidate is compared whole).
        func zeroBytes(_ word: UInt64) -> UInt64 { (word &- 0x0101_0101_0101_0101) & ~word & 0x8080_8080_8080_8080 }
        let first8 = UInt64(first) &* 0x0101_0101_0101_0101
        let second8 = needle.count > 1 ? UInt64(needle[1]) &* 0x0101_0101_0101_0101 : nil
        var i = 0
        while i <= last && i + 9 <= hay.count {
            var candidates = zeroBytes(UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) ^ first8)
            if let second8, candidates != 0 {
                candidates &= zeroBytes(UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i + 1, as: UInt64.self)) ^ second8)
            }
            while candidates != 0 {
                let at = i + candidates.trailingZeroBitCount / 8
                if at <= last && matches(at: at) { return at }
                candidates &= candidates &- 1
            }
            i += 8
        }
        while i <= last {
            if matches(at: i) { return i }
            i += 1
        }
        return nil
    }

    /// The pod whose record holds byte `offset`: a binary search of `starts`.
    private func pod(at offset: Int) -> Int {
        var low = 0, high = count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if starts[mid] <= offset { low = mid } else { high = mid - 1 }
        }
        return low
    }

    /// Which field (its ordinal) byte `offset` of pod `index`'s record is in.
    private func field(at offset: Int, in index: Int, _ hay: UnsafeBufferPointer<UInt8>) -> Int {
        var ordinal = 0
        var i = starts[index]
        while i < offset {
            if hay[i] == Self.fieldEnd { ordinal += 1 }
            i += 1
        }
        return ordinal
    }

    /// The byte range of one field of pod `index` (its ending `fieldEnd` excluded).
    private func range(of field: PodFilter.Field, in index: Int) -> Range<Int> {
        bytes.withUnsafeBufferPointer { b in
            var start = starts[index]
            let end = starts[index + 1]
            for _ in 0..<field.ordinal {
                while start < end && b[start] != Self.fieldEnd { start += 1 }
                start = min(start + 1, end)
            }
            var stop = start
            while stop < end && b[stop] != Self.fieldEnd && b[stop] != Self.recordEnd { stop += 1 }
            return start..<stop
        }
    }

    /// Writes one pod's record: the same lower-cased fields the filter language names.
    static func appendRecord(of pod: Pod, to bytes: inout [UInt8]) {
        // A pod without a name is found by "unnamed", as the list shows it.
        if pod.isUnnamed { appendField("(unnamed)", to: &bytes) } else { appendField(pod.nameOrEmpty, to: &bytes) }
        appendField(pod.image ?? "", to: &bytes)
        appendField((pod.gpuType ?? "") + " " + pod.gpuName, to: &bytes)
        appendField(pod.region ?? "", to: &bytes)
        appendField(pod.status.wireName, to: &bytes)
        appendField(String(pod.id), to: &bytes)
        bytes.append(recordEnd)
    }

    /// One field, lower-cased (ASCII by bytes, anything else by `lowercased()`), then `fieldEnd`.
    private static func appendField(_ text: String, to bytes: inout [UInt8]) {
        // The bytes are appended whole, then lower-cased in place; a byte past ASCII sends
        // the field back to `lowercased()`. A byte at a time, this was a sixth of the first
        // reduction of 10,000 pods.
        let start = bytes.count
        bytes.append(contentsOf: text.utf8)
        let ascii = bytes.withUnsafeMutableBufferPointer { buffer in
            var high: UInt8 = 0
            for i in start..<buffer.count {
                let byte = buffer[i]
                high |= byte
                buffer[i] = stored(byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte)
            }
            return high < 0x80
        }
        if !ascii {
            bytes.removeSubrange(start...)
            for byte in text.lowercased().utf8 { bytes.append(stored(byte)) }
        }
        bytes.append(fieldEnd)
    }

    /// A field's byte as stored: the two separators become spaces.
    private static func stored(_ byte: UInt8) -> UInt8 { byte <= fieldEnd ? 0x20 : byte }
}

extension PodFilter.Field {
    /// The field's place in a record (the order of `allCases`).
    var ordinal: Int {
        switch self {
        case .name: 0
        case .image: 1
        case .gpu: 2
        case .region: 3
        case .status: 4
        case .id: 5
        }
    }
}
