import FoundationEssentials
import PodAPI

/// Why an external program could not run.
public struct ExternalFailure: Error, Sendable, Equatable {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
}
