import FoundationEssentials
import PodAPI

/// The message line.
public struct Message: Sendable, Equatable {
    public enum Kind: Sendable, Equatable { case info, success, error }
    public var text: String
    public var kind: Kind
    public var at: Date
    public init(_ text: String, kind: Kind, at: Date) { self.text = text; self.kind = kind; self.at = at }
}
