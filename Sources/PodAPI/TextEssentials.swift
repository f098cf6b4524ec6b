import FoundationEssentials
import Libc

// podtui's UI process links FoundationEssentials only (no ICU: a smaller binary and a
// smaller resident set). These are the few string and number helpers full Foundation would
// otherwise give; each is locale-free on purpose (a table must not change with LANG).

extension StringProtocol {
    /// The text without leading and trailing white space and line breaks (Unicode White_Space).
    public var trimmed: String {
        let text = String(self)
        // Most text starts and ends with a visible ASCII character (never white space): it
        // is returned as it is, without looking up Unicode properties.
        if let first = text.utf8.first, let last = text.utf8.last, (0x21...0x7E).contains(first), (0x21...0x7E).contains(last) {
            return text
        }
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        return String(Substring(scalars[first...last]))
    }

    /// The text without the given characters at either end.
    public func trimmed(of characters: Set<Character>) -> String {
        guard let first = firstIndex(where: { !characters.contains($0) }),
              let last = lastIndex(where: { !characters.contains($0) }) else { return "" }
        return String(self[first...last])
    }

    /// The text with its first character upper-cased ("pause" → "Pause").
    public var firstUppercased: String {
        guard let first else { return "" }
        return first.uppercased() + dropFirst()
    }
}

/// Fixed-point and zero-padded numbers, as `%.2f` and `%02d` would print them in the C locale.
public enum NumberText {
    /// `value` with exactly `decimals` digits after the point, rounded half away from zero
    /// (`fixed(2.5, 0)` is "3"); "nan", "inf" and "-inf" for values that are not finite.
    public static func fixed(_ value: Double, _ decimals: Int) -> String {
        guard value.isFinite else { return value.isNaN ? "nan" : (value < 0 ? "-inf" : "inf") }
        let places = max(0, min(decimals, 9))
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        let scaled = (abs(value) * scale).rounded(.toNearestOrAwayFromZero)
        // Past 2^53 a Double holds no fraction anyway (and past Int64 it no longer fits):
        // such a value is nonsense from a server, shown as Swift writes it.
        guard scaled < 9.0e15 else { return String(value) }
        let units = UInt64(scaled)
        let divisor = UInt64(scale)
        let whole = units / divisor
        let sign = value < 0 && units != 0 ? "-" : ""
        guard places > 0 else { return sign + String(whole) }
        return sign + String(whole) + "." + padded(Int(units % divisor), places)
    }

    /// `n` with leading zeros to at least `width` digits (`padded(7, 2)` is "07"; negative
    /// numbers keep their sign in front: "-07").
    public static func padded(_ n: Int, _ width: Int) -> String {
        let digits = String(n.magnitude)
        let zeros = String(repeating: "0", count: max(0, width - digits.count))
        return (n < 0 ? "-" : "") + zeros + digits
    }
}

/// The user's home directory: `HOME`, else the password database, else "/".
public enum HomeDirectory {
    public static func path(environment: [String: String]) -> String {
        if let home = environment["HOME"], !home.isEmpty { return home }
        var record = passwd()
        var result: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 4096)
        if getpwuid_r(getuid(), &record, &buffer, buffer.count, &result) == 0, let found = result, let dir = found.pointee.pw_dir {
            return String(cString: dir)
        }
        return "/"
    }
}

/// The C library's `pow`, for modules that must not import Libc themselves (PodTUICore
/// stays free of system calls; FoundationEssentials has `pow` only for Decimal).
public enum Math {
    public static func pow(_ x: Double, _ y: Double) -> Double {
        Libc.pow(x, y)
    }
}
