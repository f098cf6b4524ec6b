import PodAPI

/// One line of a picker.
public struct PickerChoice: Sendable, Equatable {
    /// What the field gets when this is chosen.
    public var value: String
    /// The main text ("H100").
    public var label: String
    /// Extra text shown dimmed ("80 GB · us-east-1, us-east-3").
    public var detail: String
    /// False for choices that cannot be had now (sold out); shown but not choosable.
    public var enabled: Bool
}
