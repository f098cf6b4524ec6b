import FoundationEssentials
import PodAPI

/// The result of checking the form: the request it would send, and every problem by cell.
public struct FormCheck: Sendable, Equatable {
    public var request: PodV2CreateRequest
    /// The first problem of each cell.
    public var errors: [FormItem: String]
    /// Problems the validator reported for fields the form does not show as a cell.
    public var general: [String]

    public var isValid: Bool { errors.isEmpty && general.isEmpty }
}
