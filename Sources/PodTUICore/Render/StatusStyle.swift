import PodAPI

/// How a status looks: a symbol (so it reads without colour) and a colour role.
public enum StatusStyle {
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

    public static func color(_ status: PodStatus) -> ColorRole {
        switch status {
        case .running: .good
        case .initializing, .pausing, .terminating: .busy
        case .paused: .paused
        case .failed: .bad
        case .terminated: .muted
        case .unknown: .warn
        }
    }

    /// `● RUNNING`, with the name cleaned for unknown statuses.
    public static func label(_ status: PodStatus) -> String {
        "\(symbol(status)) \(TextSafety.clean(status.wireName))"
    }
}
