import PodAPI

/// The colour role of a status (its symbol and name are `StatusLabel`).
public enum StatusStyle {
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
}
