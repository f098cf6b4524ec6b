import PodAPI

/// The choices the pause-timer prompt offers: Tab cycles them, and its hint lists them (the
/// input view and the input reducer read the one list).
enum TimerPresets {
    static let all = ["30m", "1h", "2h", "4h", "8h", "idle"]

    /// The preset after `text` (the first one when `text` is not a preset).
    static func next(after text: String) -> String {
        let i = all.firstIndex(of: text.trimmed) ?? -1
        return all[(i + 1) % all.count]
    }
}
