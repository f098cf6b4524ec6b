import FoundationEssentials
import PodAPI

/// The order statuses sort in: what needs attention first.
enum StatusOrder {
    static func rank(_ status: PodStatus) -> Int {
        switch status {
        case .failed: 0
        case .initializing: 1
        case .running: 2
        case .pausing: 3
        case .paused: 4
        case .terminating: 5
        case .terminated: 6
        default: 7
        }
    }
}
