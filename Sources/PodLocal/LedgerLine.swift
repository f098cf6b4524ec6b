import FoundationEssentials

/// One line of the spend ledger (`ledger.jsonl`): what one podtui process observed.
///
/// - `edge`: in session `s`, pod `id` was seen with `status` at `at` (its first sighting in
///   that session, or a change). It keeps that status until the session's next edge for it.
/// - `alive`: session `s` was still watching at `at` (written every half minute, so at most
///   the last half minute of a session goes uncounted), so an edge's status is known to
///   have lasted at least until then.
/// - `span`: a finished RUNNING interval, from compacting sessions that have ended.
///
/// Times are epoch milliseconds. One JSON object per line; a line that does not parse (a
/// torn last line after a crash) is skipped.
public enum LedgerLine: Sendable, Equatable, Codable {
    case edge(session: String, id: Int64, name: String?, status: String, at: Int64, price: Double?, created: Int64?)
    case alive(session: String, at: Int64)
    case span(id: Int64, name: String?, from: Int64, to: Int64, price: Double?, first: Int64, complete: Bool)

    /// The status an edge records when an unfiltered reply no longer has the pod: a word of
    /// the ledger's own vocabulary (beside the API's status names), named once here.
    public static let gone = "GONE"

    enum CodingKeys: String, CodingKey { case t, s, id, name, status, at, price, created, from, to, first, complete }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        switch try c.decode(String.self, forKey: .t) {
        case "edge":
            self = .edge(session: try c.decode(String.self, forKey: .s), id: try c.decode(Int64.self, forKey: .id),
                         name: try c.decodeIfPresent(String.self, forKey: .name), status: try c.decode(String.self, forKey: .status),
                         at: try c.decode(Int64.self, forKey: .at), price: try c.decodeIfPresent(Double.self, forKey: .price),
                         created: try c.decodeIfPresent(Int64.self, forKey: .created))
        case "alive":
            self = .alive(session: try c.decode(String.self, forKey: .s), at: try c.decode(Int64.self, forKey: .at))
        case "span":
            self = .span(id: try c.decode(Int64.self, forKey: .id), name: try c.decodeIfPresent(String.self, forKey: .name),
                         from: try c.decode(Int64.self, forKey: .from), to: try c.decode(Int64.self, forKey: .to),
                         price: try c.decodeIfPresent(Double.self, forKey: .price), first: try c.decode(Int64.self, forKey: .first),
                         complete: try c.decode(Bool.self, forKey: .complete))
        case let other:
            throw DecodingError.dataCorruptedError(forKey: .t, in: c, debugDescription: "unknown line type \(other)")
        }
        // Times outside year 0–9999 are not a clock's: refused, so the arithmetic on them
        // (differences, slack) can never overflow.
        let times: [Int64?]
        switch self {
        case .edge(_, _, _, _, let at, _, let created): times = [at, created]
        case .alive(_, let at): times = [at]
        case .span(_, _, let from, let to, _, let first, _): times = [from, to, first]
        }
        guard times.allSatisfy({ $0.map(Self.validTimes.contains) ?? true }) else {
            throw DecodingError.dataCorruptedError(forKey: .at, in: c, debugDescription: "a time out of range")
        }
    }

    /// Epoch milliseconds a ledger line may hold: 1970 to the end of year 9999.
    public static let validTimes: ClosedRange<Int64> = 0...253_402_300_799_999

    /// `date` as epoch milliseconds within `validTimes` (clamped; a non-finite time is 0),
    /// never trapping whatever a server or a file said.
    public static func ms(_ date: Date) -> Int64 {
        let value = (date.timeIntervalSince1970 * 1000).rounded()
        guard value.isFinite else { return value > 0 ? validTimes.upperBound : 0 }
        if value <= Double(validTimes.lowerBound) { return validTimes.lowerBound }
        if value >= Double(validTimes.upperBound) { return validTimes.upperBound }
        return Int64(value)
    }

    /// `date` in epoch milliseconds, or nil when it is outside `validTimes` (an absurd
    /// `createdAt` is unknown, not a trap).
    public static func checkedMS(_ date: Date) -> Int64? {
        let value = (date.timeIntervalSince1970 * 1000).rounded()
        guard value.isFinite, value >= Double(validTimes.lowerBound), value <= Double(validTimes.upperBound) else { return nil }
        return Int64(value)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .edge(let s, let id, let name, let status, let at, let price, let created):
            try c.encode("edge", forKey: .t); try c.encode(s, forKey: .s); try c.encode(id, forKey: .id)
            try c.encodeIfPresent(name, forKey: .name); try c.encode(status, forKey: .status); try c.encode(at, forKey: .at)
            try c.encodeIfPresent(Self.finite(price), forKey: .price); try c.encodeIfPresent(created, forKey: .created)
        case .alive(let s, let at):
            try c.encode("alive", forKey: .t); try c.encode(s, forKey: .s); try c.encode(at, forKey: .at)
        case .span(let id, let name, let from, let to, let price, let first, let complete):
            try c.encode("span", forKey: .t); try c.encode(id, forKey: .id); try c.encodeIfPresent(name, forKey: .name)
            try c.encode(from, forKey: .from); try c.encode(to, forKey: .to); try c.encodeIfPresent(Self.finite(price), forKey: .price)
            try c.encode(first, forKey: .first); try c.encode(complete, forKey: .complete)
        }
    }

    /// A price JSON can hold: a NaN or infinite one (a hostile reply) is written as
    /// unknown, so the line (the pod's edge) is still kept.
    public static func finite(_ price: Double?) -> Double? {
        guard let price, price.isFinite else { return nil }
        return price
    }

    /// The time the line speaks of last (for expiry and session ends).
    public var latest: Int64 {
        switch self {
        case .edge(_, _, _, _, let at, _, _), .alive(_, let at): at
        case .span(_, _, _, let to, _, _, _): to
        }
    }

    /// The session a line belongs to (nil for compacted spans).
    public var session: String? {
        switch self {
        case .edge(let s, _, _, _, _, _, _), .alive(let s, _): s
        case .span: nil
        }
    }

    /// About the bytes of `text` (never fewer), without encoding it: the UI counts the
    /// ledger's size against its bound with this, for every line it reads and writes.
    public var estimatedSize: Int {
        // Keys, quotes, colons, commas and braces of each kind, as `text` writes them.
        switch self {
        case .edge(let s, let id, let name, let status, let at, let price, let created):
            return 43 + Self.size(s) + Self.digits(id) + (name.map { 10 + Self.size($0) } ?? 0)
                + Self.size(status) + Self.digits(at) + Self.size(price) + (created.map { 11 + Self.digits($0) } ?? 0)
        case .alive(let s, let at):
            return 26 + Self.size(s) + Self.digits(at)
        case .span(let id, let name, let from, let to, let price, let first, let complete):
            return 53 + Self.digits(id) + (name.map { 10 + Self.size($0) } ?? 0) + Self.digits(from) + Self.digits(to)
                + Self.size(price) + Self.digits(first) + (complete ? 4 : 5)
        }
    }

    /// A JSON string's bytes inside its quotes: `"`, `\\` and `/` take two, other controls six.
    static func size(_ text: String) -> Int {
        // Over the contiguous bytes: the String's own iterator cost ten times as much.
        var text = text
        return text.withUTF8 { bytes in
            var n = 0
            for byte in bytes {
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), 0x08, 0x09, 0x0A, 0x0C, 0x0D: n += 2
                case 0..<0x20: n += 6
                default: n += 1
                }
            }
            return n
        }
    }

    /// `,"price":` and the number, or nothing for an unknown price.
    static func size(_ price: Double?) -> Int {
        guard let price = finite(price) else { return 0 }
        // A price in thousandths of a dollar (nearly all of them) is counted, not written out:
        // making `description` was most of this function, and a first reply of 10,000 pods
        // counts 10,000 lines. `k / 1000` rounds to `price`, so `price`'s shortest text has no
        // more digits than k's; in this range Swift writes it positionally, with at least one
        // decimal ("2.0").
        let magnitude = price.magnitude
        if magnitude >= 0.001, magnitude < 1e12 {
            let thousandths = (magnitude * 1000).rounded()
            let k = Int64(thousandths)   // below 1e15: exact, never a trap
            if Double(k) / 1000 == magnitude {
                let fraction = k % 1000
                let decimals = fraction == 0 || fraction % 100 == 0 ? 1 : fraction % 10 == 0 ? 2 : 3
                return 9 + (price < 0 ? 1 : 0) + digits(k / 1000) + 1 + decimals
            }
        }
        return 9 + price.description.utf8.count
    }

    static func digits(_ value: Int64) -> Int {
        var n = value < 0 ? 2 : 1
        var rest = value / 10
        while rest != 0 { n += 1; rest /= 10 }
        return n
    }

    /// The line as written in the file (no newline).
    ///
    /// Written here, byte for byte what `JSONEncoder` with sorted keys writes (held to it by
    /// `LedgerTextTests`): the first reply of a fleet writes a line per pod, and a
    /// `JSONEncoder` a line made that append the biggest piece of work after the first list.
    public var text: String {
        var out = ""
        switch self {
        case .edge(let s, let id, let name, let status, let at, let price, let created):
            out += #"{"at":"#; out += String(at)
            if let created { out += #","created":"#; out += String(created) }
            out += #","id":"#; out += String(id)
            if let name { out += #","name":"#; Self.quote(name, into: &out) }
            if let price = Self.finite(price) { out += #","price":"#; out += Self.number(price) }
            out += #","s":"#; Self.quote(s, into: &out)
            out += #","status":"#; Self.quote(status, into: &out)
            out += #","t":"edge"}"#
        case .alive(let s, let at):
            out += #"{"at":"#; out += String(at)
            out += #","s":"#; Self.quote(s, into: &out)
            out += #","t":"alive"}"#
        case .span(let id, let name, let from, let to, let price, let first, let complete):
            out += #"{"complete":"#; out += complete ? "true" : "false"
            out += #","first":"#; out += String(first)
            out += #","from":"#; out += String(from)
            out += #","id":"#; out += String(id)
            if let name { out += #","name":"#; Self.quote(name, into: &out) }
            if let price = Self.finite(price) { out += #","price":"#; out += Self.number(price) }
            out += #","t":"span","to":"#; out += String(to)
            out += "}"
        }
        return out
    }

    /// `text` as a JSON string, escaped as `JSONEncoder` escapes it (`/` too).
    static func quote(_ text: String, into out: inout String) {
        out += "\""
        var plain = text.startIndex   // the start of the run not yet copied
        var i = plain
        let utf8 = text.utf8
        while i < utf8.endIndex {
            let byte = utf8[i]
            let escape: String?
            switch byte {
            case UInt8(ascii: "\""): escape = "\\\""
            case UInt8(ascii: "\\"): escape = "\\\\"
            case UInt8(ascii: "/"): escape = "\\/"
            case 0x08: escape = "\\b"
            case 0x09: escape = "\\t"
            case 0x0A: escape = "\\n"
            case 0x0C: escape = "\\f"
            case 0x0D: escape = "\\r"
            case 0..<0x20: escape = "\\u00" + (byte < 0x10 ? "0" : "1") + String(byte & 0x0F, radix: 16)
            default: escape = nil
            }
            if let escape {
                out.append(contentsOf: text[plain..<i])
                out += escape
                plain = utf8.index(after: i)
            }
            i = utf8.index(after: i)
        }
        out.append(contentsOf: text[plain...])
        out += "\""
    }

    /// A price as `JSONEncoder` writes a `Double`: its shortest text, without a trailing `.0`.
    static func number(_ value: Double) -> String {
        let text = value.description
        return text.hasSuffix(".0") ? String(text.dropLast(2)) : text
    }

    /// Every line of a file that parses; the rest (a torn last line) is skipped.
    public static func parse(_ text: String) -> [LedgerLine] {
        parse(bytes: Array(text.utf8)).lines
    }

    /// The file's bytes, line by line: the lines that are UTF-8 and decode, and the bytes of
    /// those that do not (a line cut inside a character, a torn last line), so one bad line
    /// never costs the others. Blank lines are neither.
    public static func parse(bytes: [UInt8]) -> (lines: [LedgerLine], bad: [[UInt8]]) {
        let decoder = JSONDecoder()
        var lines: [LedgerLine] = []
        var bad: [[UInt8]] = []
        for raw in bytes.split(separator: UInt8(ascii: "\n")) {
            let line = Array(raw)
            if line.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\r") || $0 == UInt8(ascii: "\t") }) { continue }
            if String(validating: line, as: UTF8.self) != nil, let decoded = try? decoder.decode(LedgerLine.self, from: Data(line)) {
                lines.append(decoded)
            } else {
                bad.append(line)
            }
        }
        return (lines, bad)
    }
}
