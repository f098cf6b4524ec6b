import FoundationEssentials
import PodAPI

/// Formatting shared by the TUI and the CLI tables. Locale-free and without ICU: the same
/// input gives the same text on every machine.
public enum Format {
    /// A compact duration: `45s`, `12m`, `3h12m`, `1d02h`, `340d`.
    public static func age(_ seconds: Double) -> String {
        let s = max(0, Int(saturating: min(seconds, 1e15)))
        if s < 60 { return "\(s)s" }
        if s < 3600 { return "\(s / 60)m" }
        if s < 86_400 { return "\(s / 3600)h" + NumberText.padded((s % 3600) / 60, 2) + "m" }
        if s < 100 * 86_400 { return "\(s / 86_400)d" + NumberText.padded((s % 86_400) / 3600, 2) + "h" }
        return "\(s / 86_400)d"
    }

    /// Age of a pod at `now`, or `-` when the API gave no creation time.
    public static func age(of pod: Pod, now: Date) -> String {
        guard let created = pod.createdAt else { return "-" }
        return age(now.timeIntervalSince(created))
    }

    /// Dollars with two decimals, `-` when unknown.
    public static func price(_ value: Double?) -> String {
        guard let value else { return "-" }
        return NumberText.fixed(value, 2)
    }

    /// A percentage: `5%`, `2.5%` (one decimal only when it has one).
    public static func percent(_ value: Double) -> String {
        guard value.isFinite else { return "-" }
        return oneDecimal(value) + "%"
    }

    /// One decimal, without a trailing `.0`: `2.5`, `5`.
    public static func oneDecimal(_ value: Double) -> String {
        let text = NumberText.fixed(value, 1)
        return text.hasSuffix(".0") ? String(text.dropLast(2)) : text
    }

    /// The civil date and time of `date` in `zone`.
    static func civil(_ date: Date, in zone: ZoneOffsets) -> (year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) {
        let raw = date.timeIntervalSince1970
        let utc = raw.isFinite ? Int64(saturating: max(-1e13, min(raw, 1e13)).rounded(.down)) : 0
        let local = utc + Int64(max(-86_400, min(zone.offset(at: date), 86_400)))
        let days = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400   // floor division
        let secondOfDay = Int(local - days * 86_400)
        let (year, month, day) = CivilDate.civil(fromDays: Int(days))
        return (year, month, day, secondOfDay / 3600, secondOfDay % 3600 / 60, secondOfDay % 60)
    }

    /// Date and time in `zone`, `2026-11-29 07:56:51`.
    public static func dateTime(_ date: Date?, in zone: ZoneOffsets) -> String {
        guard let date else { return "-" }
        let c = civil(date, in: zone)
        return NumberText.padded(c.year, 4) + "-" + NumberText.padded(c.month, 2) + "-" + NumberText.padded(c.day, 2) + " "
            + clock(c.hour, c.minute, c.second)
    }

    /// Time of day in `zone`, `07:56:51`.
    public static func time(_ date: Date, in zone: ZoneOffsets) -> String {
        let c = civil(date, in: zone)
        return clock(c.hour, c.minute, c.second)
    }

    private static func clock(_ h: Int, _ m: Int, _ s: Int) -> String {
        NumberText.padded(h, 2) + ":" + NumberText.padded(m, 2) + ":" + NumberText.padded(s, 2)
    }
}
