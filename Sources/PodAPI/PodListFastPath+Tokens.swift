import FoundationEssentials

// The reading primitives of the list fast path: objects and arrays, the lenient field rules
// (those of LenientDecoding.swift) and the JSON tokens. PodListFastPath.swift holds the
// structure (envelope, pod, port, variable, volume) built from them.
extension PodListFastPath.Reader {
    // MARK: Objects and arrays

    typealias Key = UnsafeBufferPointer<UInt8>.SubSequence

    /// Reads an object, calling `member` with each key (the value is `member`'s to read).
    /// False at the first thing not accepted, `member`'s refusals included.
    mutating func object(_ member: (inout Self, Key) -> Bool) -> Bool {
        guard consume(UInt8(ascii: "{")) else { return false }
        if consume(UInt8(ascii: "}")) { return true }
        repeat {
            guard let key = rawKey(), member(&self, key) else { return false }
        } while consume(UInt8(ascii: ","))
        return consume(UInt8(ascii: "}"))
    }

    /// Where the object starting at `at` ends (just past its `}`), by its structure alone:
    /// strings and their escapes skipped, braces and brackets counted, nothing decoded or
    /// checked (whoever reads the bytes checks them). Nil when the bytes end first. A loop,
    /// not recursion: any depth is safe here, and `pod()` refuses what is too deep. Does not
    /// move `at`.
    ///
    /// Eight bytes are looked at a time: a word with no byte that can matter (`"`, `\`,
    /// `{`, `}`, `[`, `]`) is passed whole, else the scan goes straight to the first one
    /// that may. This scan runs over every byte of every reply, unchanged pods included: it
    /// was a quarter of podtui's CPU on a changing fleet of 10,000 pods, a byte at a time.
    func objectEnd() -> Int? {
        var i = at
        var depth = 0
        var inString = false
        let count = bytes.count
        guard let base = bytes.baseAddress else { return nil }
        let raw = UnsafeRawPointer(base)
        while i < count {
            if i + 8 <= count {
                let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                let mayMatter = Self.mayMatter(word)
                if mayMatter == 0 {
                    i += 8
                    continue
                }
                i += mayMatter.trailingZeroBitCount / 8   // the first byte that may matter
            }
            let byte = bytes[i]
            if inString {
                if byte == UInt8(ascii: "\\") {
                    i += 2
                    continue
                }
                if byte == UInt8(ascii: "\"") { inString = false }
            } else {
                switch byte {
                case UInt8(ascii: "\""):
                    inString = true
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth -= 1
                    if depth == 0 { return i + 1 }
                    if depth < 0 { return nil }
                default:
                    break
                }
            }
            i += 1
        }
        return nil
    }

    /// The high bit of each byte of `word` that may be one `objectEnd` acts on: `"`, `\`, or
    /// one of `{ } [ ]` (they are the bytes that read 0x59 under the mask 0xD9, with `Y`, `_`,
    /// `y` and DEL, which the scan then passes as the plain bytes they are). The lowest bit
    /// set is exact; bits above it may be false (a borrow), never missing.
    @inline(__always)
    static func mayMatter(_ word: UInt64) -> UInt64 {
        func zeroBytes(_ v: UInt64) -> UInt64 { (v &- 0x0101_0101_0101_0101) & ~v & 0x8080_8080_8080_8080 }
        let quote = zeroBytes(word ^ 0x2222_2222_2222_2222)
        let backslash = zeroBytes(word ^ 0x5C5C_5C5C_5C5C_5C5C)
        let bracket = zeroBytes((word & 0xD9D9_D9D9_D9D9_D9D9) ^ 0x5959_5959_5959_5959)
        return quote | backslash | bracket
    }

    /// Reads an array whose every element `element` accepts.
    mutating func array<T>(_ element: (inout Self) -> T?) -> [T]? {
        guard consume(UInt8(ascii: "[")) else { return nil }
        var list: [T] = []
        if consume(UInt8(ascii: "]")) { return list }
        repeat {
            guard let item = element(&self) else { return nil }
            list.append(item)
        } while consume(UInt8(ascii: ","))
        return consume(UInt8(ascii: "]")) ? list : nil
    }

    /// `null` (into nil) or an array of elements `element` accepts.
    mutating func nullOrArray<T>(_ out: inout [T]?, _ element: (inout Self) -> T?) -> Bool {
        if peek() == UInt8(ascii: "n") {
            guard case .null? = scalar() else { return false }
            out = nil
            return true
        }
        guard let list = array(element) else { return false }
        out = list
        return true
    }

    // MARK: Lenient fields (the rules of LenientDecoding.swift)

    /// A string; a plain integer becomes its digits, a boolean "true"/"false".
    mutating func lenientString(_ out: inout String?) -> Bool {
        switch scalar() {
        case .string(let text)?: out = text
        case .integer(let value)?: out = String(value)
        case .bool(let value)?: out = String(value)
        case .null?: out = nil
        default: return false
        }
        return true
    }

    /// An integer, or a numeric string. Other number forms (`24.0`, `1e3`) go to the slow path.
    mutating func lenientInt(_ out: inout Int?) -> Bool {
        switch scalar() {
        case .integer(let value)?: out = Plausible.quantity(value)
        case .string(let text)?: out = Int64(text.trimmed).flatMap { Plausible.quantity($0) }
        case .null?: out = nil
        default: return false
        }
        return true
    }

    /// Epoch seconds or milliseconds as an integer, or a string (digits or ISO 8601).
    mutating func timestamp(_ out: inout Date?) -> Bool {
        switch scalar() {
        case .integer(let value)?: out = Timestamp.date(fromEpoch: value)
        case .string(let text)?: out = Timestamp.parse(text)
        case .null?: out = nil
        default: return false
        }
        return true
    }

    // MARK: Tokens

    mutating func skipSpace() {
        while at < bytes.count {
            switch bytes[at] {
            case 0x20, 0x0A, 0x0D, 0x09: at += 1
            default: return
            }
        }
    }

    mutating func peek() -> UInt8? {
        skipSpace()
        return at < bytes.count ? bytes[at] : nil
    }

    mutating func consume(_ byte: UInt8) -> Bool {
        guard peek() == byte else { return false }
        at += 1
        return true
    }

    func equals(_ slice: UnsafeBufferPointer<UInt8>.SubSequence, _ text: StaticString) -> Bool {
        guard slice.count == text.utf8CodeUnitCount else { return false }
        let expected = UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount)
        return slice.elementsEqual(expected)
    }

    /// An object key and its colon, as raw bytes. Keys with escapes are left to the slow path.
    mutating func rawKey() -> UnsafeBufferPointer<UInt8>.SubSequence? {
        guard consume(UInt8(ascii: "\"")) else { return nil }
        let start = at
        while at < bytes.count {
            let b = bytes[at]
            if b == UInt8(ascii: "\"") { break }
            if b == UInt8(ascii: "\\") || b < 0x20 || b >= 0x80 { return nil }
            at += 1
        }
        guard at < bytes.count else { return nil }
        let key = bytes[start..<at]
        at += 1
        return consume(UInt8(ascii: ":")) ? key : nil
    }

    mutating func scalar() -> Scalar? {
        guard let first = peek() else { return nil }
        switch first {
        case UInt8(ascii: "\""): return string().map(Scalar.string)
        case UInt8(ascii: "n"): return literal("null") ? .null : nil
        case UInt8(ascii: "t"): return literal("true") ? .bool(true) : nil
        case UInt8(ascii: "f"): return literal("false") ? .bool(false) : nil
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return number()
        default: return nil
        }
    }

    mutating func literal(_ word: StaticString) -> Bool {
        let n = word.utf8CodeUnitCount
        guard at + n <= bytes.count, equals(bytes[at..<at + n], word) else { return false }
        at += n
        return true
    }

    /// A JSON number by RFC 8259's grammar; plain integers that fit Int64 as `.integer`.
    mutating func number() -> Scalar? {
        let start = at
        if bytes[at] == UInt8(ascii: "-") { at += 1 }
        guard at < bytes.count, isDigit(bytes[at]) else { return nil }
        if bytes[at] == UInt8(ascii: "0") { at += 1 } else { while at < bytes.count, isDigit(bytes[at]) { at += 1 } }
        var plain = true
        if at < bytes.count, bytes[at] == UInt8(ascii: ".") {
            plain = false
            at += 1
            guard at < bytes.count, isDigit(bytes[at]) else { return nil }
            while at < bytes.count, isDigit(bytes[at]) { at += 1 }
        }
        if at < bytes.count, bytes[at] | 0x20 == UInt8(ascii: "e") {
            plain = false
            at += 1
            if at < bytes.count, bytes[at] == UInt8(ascii: "+") || bytes[at] == UInt8(ascii: "-") { at += 1 }
            guard at < bytes.count, isDigit(bytes[at]) else { return nil }
            while at < bytes.count, isDigit(bytes[at]) { at += 1 }
        }
        if plain {
            // The digits are read where they are (no text made for `Int64(_:)` to parse);
            // beyond Int64, nil: the slow path decides.
            let negative = bytes[start] == UInt8(ascii: "-")
            var value: Int64 = 0
            for i in (negative ? start + 1 : start)..<at {
                let digit = Int64(bytes[i] &- UInt8(ascii: "0"))
                let (scaled, over) = value.multipliedReportingOverflow(by: 10)
                let (next, out) = negative ? scaled.subtractingReportingOverflow(digit) : scaled.addingReportingOverflow(digit)
                guard !over, !out else { return nil }
                value = next
            }
            return .integer(value)
        }
        return .number(Substring(decoding: bytes[start..<at], as: UTF8.self))
    }

    func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }

    /// A string value: valid UTF-8, no raw control characters, escapes decoded.
    mutating func string() -> String? {
        guard consume(UInt8(ascii: "\"")) else { return nil }
        let start = at
        var escaped = false
        var high: UInt8 = 0   // every byte or'ed: below 0x80, the text is ASCII
        while at < bytes.count {
            let b = bytes[at]
            if b == UInt8(ascii: "\"") { break }
            if b < 0x20 { return nil }
            if b == UInt8(ascii: "\\") {
                escaped = true
                at += 2
                continue
            }
            high |= b
            at += 1
        }
        guard at < bytes.count else { return nil }
        let raw = bytes[start..<at]
        at += 1
        guard !escaped else { return unescape(raw) }
        // ASCII is valid UTF-8 as it stands: made without `String(validating:)`, whose
        // generic checking cost a thousand instructions a string (10 % of a first reply).
        guard high < 0x80 else { return String(validating: raw, as: UTF8.self) }
        return String(decoding: raw, as: UTF8.self)
    }

    func unescape(_ raw: UnsafeBufferPointer<UInt8>.SubSequence) -> String? {
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var i = raw.startIndex
        func hex4(_ from: Int) -> UInt32? {
            guard from + 4 <= raw.endIndex else { return nil }
            var v: UInt32 = 0
            for j in from..<from + 4 {
                let c = raw[j]
                let d: UInt8
                switch c {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): d = c - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): d = c - UInt8(ascii: "a") + 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): d = c - UInt8(ascii: "A") + 10
                default: return nil
                }
                v = v << 4 | UInt32(d)
            }
            return v
        }
        while i < raw.endIndex {
            let b = raw[i]
            guard b == UInt8(ascii: "\\") else { out.append(b); i += 1; continue }
            guard i + 1 < raw.endIndex else { return nil }
            switch raw[i + 1] {
            case UInt8(ascii: "\""): out.append(0x22)
            case UInt8(ascii: "\\"): out.append(0x5C)
            case UInt8(ascii: "/"): out.append(0x2F)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                guard var scalar = hex4(i + 2) else { return nil }
                i += 6
                if (0xD800...0xDBFF).contains(scalar) {
                    // A high surrogate must be followed by an escaped low one.
                    guard i + 1 < raw.endIndex, raw[i] == UInt8(ascii: "\\"), raw[i + 1] == UInt8(ascii: "u"),
                          let low = hex4(i + 2), (0xDC00...0xDFFF).contains(low) else { return nil }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    i += 6
                } else if (0xDC00...0xDFFF).contains(scalar) {
                    return nil
                }
                guard let value = Unicode.Scalar(scalar) else { return nil }
                out.append(contentsOf: UTF8.encode(value).map(Array.init) ?? [])
                continue
            default: return nil
            }
            i += 2
        }
        return String(validating: out, as: UTF8.self)
    }

    /// Steps over any JSON value (for fields podtui does not read).
    mutating func skipValue(depth: Int = 0) -> Bool {
        guard depth < 64, let first = peek() else { return false }
        switch first {
        case UInt8(ascii: "{"):
            at += 1
            if consume(UInt8(ascii: "}")) { return true }
            repeat {
                guard consume(UInt8(ascii: "\"")) else { return false }
                at -= 1
                guard string() != nil, consume(UInt8(ascii: ":")), skipValue(depth: depth + 1) else { return false }
            } while consume(UInt8(ascii: ","))
            return consume(UInt8(ascii: "}"))
        case UInt8(ascii: "["):
            at += 1
            if consume(UInt8(ascii: "]")) { return true }
            repeat {
                guard skipValue(depth: depth + 1) else { return false }
            } while consume(UInt8(ascii: ","))
            return consume(UInt8(ascii: "]"))
        default:
            return scalar() != nil
        }
    }
}
