import FoundationEssentials
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Decoding helpers for fields whose wire type is not settled.
///
/// Ids are Int64 and must never pass through `Double` (ids above 2^53 are normal), so numbers
/// are decoded as integers or parsed from digit strings, never via a floating-point value.
extension KeyedDecodingContainer {
    /// An Int64 sent as a JSON integer or a string of digits.
    func decodeInt64(forKey key: Key) throws -> Int64 {
        if let value = try? decode(Int64.self, forKey: key) { return value }
        let text = try decode(String.self, forKey: key)
        guard let value = Int64(text.trimmed) else {
            throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "expected an integer id, got \"\(text)\"")
        }
        return value
    }

    /// Like `decodeInt64` but nil when absent, null or not an integer.
    func decodeInt64IfPresent(forKey key: Key) -> Int64? {
        // The usual case (absent, null or a JSON integer) costs one lookup.
        if let value = try? decodeIfPresent(Int64.self, forKey: key) { return value }
        guard contains(key), (try? decodeNil(forKey: key)) == false else { return nil }
        return try? decodeInt64(forKey: key)
    }

    /// An Int that may be sent as a number, a whole-valued float (`24.0`) or a numeric string.
    func decodeLenientInt(forKey key: Key) -> Int? {
        if let value = try? decodeIfPresent(Int.self, forKey: key) { return value }
        guard contains(key), (try? decodeNil(forKey: key)) == false else { return nil }
        if let value = try? decode(Double.self, forKey: key), value.rounded() == value, abs(value) < 1e15 { return Int(value) }
        if let text = try? decode(String.self, forKey: key) { return Int(text.trimmed) }
        return nil
    }

    /// A Double sent as a number or a numeric string.
    func decodeLenientDouble(forKey key: Key) -> Double? {
        if let value = try? decodeIfPresent(Double.self, forKey: key) { return value }
        guard contains(key), (try? decodeNil(forKey: key)) == false else { return nil }
        if let text = try? decode(String.self, forKey: key) { return Double(text) }
        return nil
    }

    /// A string; numbers and booleans are turned into their text rather than failing.
    func decodeLenientString(forKey key: Key) -> String? {
        if let text = try? decodeIfPresent(String.self, forKey: key) { return text }
        guard contains(key), (try? decodeNil(forKey: key)) == false else { return nil }
        if let value = try? decode(Int64.self, forKey: key) { return String(value) }
        if let value = try? decode(Bool.self, forKey: key) { return String(value) }
        return nil
    }

    /// A timestamp: epoch milliseconds (or seconds, below 10^11) as a number or numeric string,
    /// or an ISO-8601 string.
    func decodeTimestamp(forKey key: Key) -> Date? {
        if let value = try? decodeIfPresent(Int64.self, forKey: key) { return Timestamp.date(fromEpoch: value) }
        guard contains(key), (try? decodeNil(forKey: key)) == false else { return nil }
        if let value = try? decode(Double.self, forKey: key) { return Timestamp.date(fromEpoch: value) }
        if let text = try? decode(String.self, forKey: key) { return Timestamp.parse(text) }
        return nil
    }
}

/// Timestamp parsing and formatting shared by decoding and the UI.
public enum Timestamp {
    /// A date from epoch milliseconds.
    public static func date(fromMilliseconds ms: Int64) -> Date {
        Date(timeIntervalSince1970: Double(ms) / 1000)
    }

    /// Values below this are epoch seconds, not milliseconds: 10^11 ms is March 1973, while
    /// 10^11 s is the year 5138, so no real timestamp is ambiguous (v1 sent seconds).
    public static let secondsThreshold = 100_000_000_000.0

    /// A date from an epoch number that may be seconds or milliseconds.
    public static func date(fromEpoch value: Int64) -> Date {
        date(fromEpoch: Double(value))
    }

    /// A date from an epoch number that may be seconds or milliseconds.
    public static func date(fromEpoch value: Double) -> Date {
        abs(value) < secondsThreshold ? Date(timeIntervalSince1970: value) : Date(timeIntervalSince1970: value / 1000)
    }

    /// Epoch milliseconds for a date (what the v2 API sends).
    public static func milliseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded())
    }

    /// Parses a numeric string of epoch milliseconds (or seconds), or ISO-8601 with or without fractional
    /// seconds. Returns nil for anything else.
    public static func parse(_ text: String) -> Date? {
        let trimmed = text.trimmed
        if let value = Int64(trimmed) { return date(fromEpoch: value) }
        if let value = Double(trimmed), value.isFinite { return date(fromEpoch: value) }
        if let date = try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(trimmed) { return date }
        if let date = try? Date.ISO8601FormatStyle().parse(trimmed) { return date }
        return nil
    }

    /// ISO-8601 in UTC, seconds precision.
    public static func iso8601(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle())
    }
}
