import PodAPI

/// How a status reads: a symbol (so it reads without colour) and its name.
public enum StatusLabel {
    public static func symbol(_ status: PodStatus) -> String {
        switch status {
        case .initializing: "◌"
        case .running: "●"
        case .pausing: "◐"
        case .paused: "○"
        case .terminating: "◍"
        case .terminated: "·"
        case .failed: "✗"
        case .unknown: "?"
        }
    }

    /// `● RUNNING`, with the name cleaned for unknown statuses.
    public static func of(_ status: PodStatus) -> String {
        "\(symbol(status)) \(TextSafety.clean(status.wireName))"
    }
}
