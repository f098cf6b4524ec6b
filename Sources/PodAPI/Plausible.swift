import FoundationEssentials

/// The ranges a number from outside (an API reply, a header, a pod's `nvidia-smi`, a file)
/// must fall in to be believed. A value outside its range is "unknown" for that one field:
/// the pod, volume or line that carried it is kept, and nothing downstream ever has to
/// convert `1e300` or `NaN` into an integer (which traps).
///
/// Every decoder of outside numbers (the lenient `Decodable` helpers, the list fast path,
/// `SMIOutput`, `Retry-After`) asks here, so the two pod decoders cannot disagree.
public enum Plausible {
    /// Epoch seconds from 1970-01-01T00:00:00Z through 9999-12-31T23:59:59Z: every date
    /// podtui can print with a four-digit year, and far beyond any real pod.
    public static let epochSeconds: ClosedRange<Double> = 0...253_402_300_799

    /// Counts, sizes, ports and codes (GPUs, GB, vCPUs, pages, mounts): 0 to 10^12. None is
    /// negative, and sums of these over a 10,000-pod fleet, or times 1024, still fit an Int
    /// many times over.
    public static let quantity: ClosedRange<Int64> = 0...1_000_000_000_000

    /// Money figures (a card's price per hour, a volume's cost): 0 to a million dollars.
    public static let money: ClosedRange<Double> = 0...1_000_000

    /// A date from epoch seconds, or nil when outside `epochSeconds` (or not finite).
    public static func date(epochSeconds seconds: Double) -> Date? {
        guard seconds.isFinite, epochSeconds.contains(seconds) else { return nil }
        return Date(timeIntervalSince1970: seconds)
    }

    /// The date itself when it lies in `epochSeconds`, else nil.
    public static func date(_ date: Date) -> Date? {
        Plausible.date(epochSeconds: date.timeIntervalSince1970)
    }

    /// An integer count or size, or nil outside `quantity`.
    public static func quantity(_ value: Int64) -> Int? {
        quantity.contains(value) ? Int(value) : nil
    }

    /// A count or size sent as a floating-point number: nil unless whole and in `quantity`.
    public static func quantity(_ value: Double) -> Int? {
        guard value.isFinite, value.rounded() == value, let whole = Int64(checked: value) else { return nil }
        return quantity(whole)
    }

    /// A money figure, or nil when not finite or outside `money`.
    public static func money(_ value: Double) -> Double? {
        value.isFinite && money.contains(value) ? value : nil
    }
}

/// The largest magnitude a checked conversion accepts: 2^62, so that adding two converted
/// values, or a converted value and an offset, can never overflow 64 bits.
private let checkedLimit = 4_611_686_018_427_387_904.0

extension Int64 {
    /// `value` rounded toward zero, or nil when it is not finite or its magnitude is 2^62 or
    /// more. Use it for every Double that came from outside; `Int64(_: Double)` traps.
    public init?(checked value: Double) {
        guard value.isFinite, abs(value) < checkedLimit else { return nil }
        self.init(value)
    }

    /// `value` rounded toward zero and clamped to ±2^62; NaN is 0. For figures that must
    /// always print something (a duration, a size on screen).
    public init(saturating value: Double) {
        if value.isNaN { self = 0; return }
        self.init(Swift.min(Swift.max(value, -checkedLimit + 1024), checkedLimit - 1024))
    }
}

extension Int {
    /// `value` rounded toward zero, or nil when it is not finite or its magnitude is 2^62 or
    /// more. Use it for every Double that came from outside; `Int(_: Double)` traps.
    public init?(checked value: Double) {
        guard let whole = Int64(checked: value) else { return nil }
        self.init(whole)
    }

    /// `value` rounded toward zero and clamped to ±2^62; NaN is 0.
    public init(saturating value: Double) {
        self.init(Int64(saturating: value))
    }
}
