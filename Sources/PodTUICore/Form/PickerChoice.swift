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
    /// What choosing it does: fill the field with `value`, or something else entirely.
    public var kind: Kind = .value

    /// What choosing a line does.
    public enum Kind: Sendable, Equatable {
        /// The field gets `value`.
        case value
        /// The credential list's last line: the small form for a new credential opens over
        /// the create form (its `value` is empty and never reaches the field).
        case newCredential
    }
}
