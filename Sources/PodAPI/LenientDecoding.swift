import FoundationEssentials
import Libc

/// Decoding helpers for fields whose wire type is not settled.
///
/// Ids are Int64 and must never pass through `Double` (ids above 2^53 are normal), so numbers
/// are decoded as integers or parsed from digit strings, never via a floating-point value.
extension KeyedDecodingContainer {
    /// An Int64 sent as a JSON integer or a string of digits.
    package func decodeInt64(forKey key: Key) throws -> Int64 {
        if let value = try? decode(Int64.self, forKey: key) { return value }
        let text = try decode(String.self, forKey: key)
        guard let value = Int64(text.trimmed) else {
            throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "expected an integer id, got \"\(text)\"")
        }
        return value
    }

    /// Like `decodeInt64` but nil when absent, null or not an integer.
    package func decodeInt64IfPresent(forKey key: Key) -> Int64? {
        // The usual case (absent, null or a JSON integer) costs one lookup.
        if let value = try? decodeIfPresent(Int64.self, forKey: key) { return value }
        guard contains(key), (try? decodeNil(forKey: key)) == false else { return nil }
        return try? decodeInt64(forKey: key)
    }

    /// A count or size (an Int) that may be sent as a number, a whole-valued float (`24.0`)
    /// or a numeric string; nil when absent, null, not whole or outside
    /// `Plausible.quantity` (so `1e300` or `9223372036854775807` is "unknown", not a trap
    /// waiting in some later arithmetic).
    package func decodeLenientInt(forKey key: Key) -> Int? {
        if let value = try? decodeIfPresent(Int64.self, forKey: key) { return Plausible.quantity(value) }
        guard contains(key), (try? decodeNil(forKey: key)) == false else { return nil }
        if let value = try? decode(Double.self, forKey: key) { return Plausible.quantity(value) }
        if let text = try? decode(String.self, forKey: key) { return Int64(text.trimmed).flatMap { Plausible.quantity($0) } }
        return nil
    }

    /// A money figure sent as a number or a numeric string; nil when absent, null, not
    /// finite (`"NaN"`, `"inf"`) or outside `Plausible.money`.
    package func decodeMoney(forKey key: Key) -> Double? {
        if let value = try? decodeIfPresent(Double.self, forKey: key) { return Plausible.money(value) }
        guard contains(key), (try? decodeNil(forKey: key)) == false else { return nil }
        if let text = try? decode(String.self, forKey: key) { return Double(text.trimmed).flatMap { Plausible.money($0) } }
        return nil
    }

    /// A string; numbers and booleans are turned into their text rather than failing.
    package func decodeLenientString(forKey key: Key) -> String? {
        if let text = try? decodeIfPresent(String.self, forKey: key) { return text }
        guard contains(key), (try? decodeNil(forKey: key)) == false else { return nil }
        if let value = try? decode(Int64.self, forKey: key) { return String(value) }
        if let value = try? decode(Bool.self, forKey: key) { return String(value) }
        return nil
    }

    /// A timestamp: epoch milliseconds (or seconds, below 10^11) as a number or numeric string,
    /// or an ISO-8601 string; nil when it names no instant between 1970 and 9999.
    package func decodeTimestamp(forKey key: Key) -> Date? {
        if let value = try? decodeIfPresent(Int64.self, forKey: key) { return Timestamp.date(fromEpoch: value) }
        guard contains(key), (try? decodeNil(forKey: key)) == false else { return nil }
        if let value = try? decode(Double.self, forKey: key) { return Timestamp.date(fromEpoch: value) }
        if let text = try? decode(String.self, forKey: key) { return Timestamp.parse(text) }
        return nil
    }
}

/// Timestamp parsing and formatting shared by decoding and the UI.
public enum Timestamp {
    /// A date from epoch milliseconds, or nil outside the years 1970 to 9999.
    public static func date(fromMilliseconds ms: Int64) -> Date? {
        Plausible.date(epochSeconds: Double(ms) / 1000)
    }

    /// Values below this are epoch seconds, not milliseconds: 10^11 ms is March 1973, while
    /// 10^11 s is the year 5138, so no real timestamp is ambiguous (v1 sent seconds).
    public static let secondsThreshold = 100_000_000_000.0

    /// A date from an epoch number that may be seconds or milliseconds; nil when it names no
    /// instant between 1970 and 9999 (a hostile `1e300` is "unknown", never a trap later).
    public static func date(fromEpoch value: Int64) -> Date? {
        date(fromEpoch: Double(value))
    }

    /// A date from an epoch number that may be seconds or milliseconds; nil when it names no
    /// instant between 1970 and 9999.
    public static func date(fromEpoch value: Double) -> Date? {
        guard value.isFinite else { return nil }
        return Plausible.date(epochSeconds: abs(value) < secondsThreshold ? value : value / 1000)
    }

    /// Epoch milliseconds for a date (what the v2 API sends), clamped to the years 1970 to
    /// 9999 so that no date, however it was made, traps here.
    public static func milliseconds(_ date: Date) -> Int64 {
        let seconds = date.timeIntervalSince1970
        guard seconds.isFinite else { return 0 }
        let clamped = min(max(seconds, Plausible.epochSeconds.lowerBound), Plausible.epochSeconds.upperBound)
        return Int64(saturating: (clamped * 1000).rounded())
    }

    /// Parses a numeric string of epoch milliseconds (or seconds), or ISO-8601 with or without fractional
    /// seconds. Returns nil for anything else.
    public static func parse(_ text: String) -> Date? {
        let trimmed = text.trimmed
        if let value = Int64(trimmed) { return date(fromEpoch: value) }
        if let value = Double(trimmed) { return date(fromEpoch: value) }
        if let date = try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(trimmed) { return Plausible.date(date) }
        if let date = try? Date.ISO8601FormatStyle().parse(trimmed) { return Plausible.date(date) }
        return nil
    }

    /// ISO-8601 in UTC, seconds precision.
    public static func iso8601(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle())
    }
}
