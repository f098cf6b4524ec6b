import PodAPI

/// Why a picker has no list; the field still takes typed input.
public struct PickerUnavailable: Error, Sendable, Equatable {
    public var reason: String
}
