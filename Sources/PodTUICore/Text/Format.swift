import Foundation
import PodAPI

/// Formatting shared by the TUI and the CLI tables.
public enum Format {
    /// A compact duration: `45s`, `12m`, `3h12m`, `1d02h`, `340d`.
    public static func age(_ seconds: Double) -> String {
        let s = max(0, Int(seconds))
        if s < 60 { return "\(s)s" }
        if s < 3600 { return "\(s / 60)m" }
        if s < 86_400 { return "\(s / 3600)h" + String(format: "%02dm", (s % 3600) / 60) }
        if s < 100 * 86_400 { return "\(s / 86_400)d" + String(format: "%02dh", (s % 86_400) / 3600) }
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
        return String(format: "%.2f", value)
    }

    /// A Gregorian calendar in `zone` (the caller says which zone: nothing here reads the
    /// process's own, so the same input always gives the same text).
    static func calendar(_ zone: TimeZone) -> Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar
    }

    /// Date and time in `zone`, `2026-11-29 07:56:51`.
    public static func dateTime(_ date: Date?, in zone: TimeZone) -> String {
        guard let date else { return "-" }
        let c = calendar(zone).dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(format: "%04d-%02d-%02d %02d:%02d:%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0, c.minute ?? 0, c.second ?? 0)
    }

    /// Time of day in `zone`, `07:56:51`.
    public static func time(_ date: Date, in zone: TimeZone) -> String {
        let c = calendar(zone).dateComponents([.hour, .minute, .second], from: date)
        return String(format: "%02d:%02d:%02d", c.hour ?? 0, c.minute ?? 0, c.second ?? 0)
    }
}
