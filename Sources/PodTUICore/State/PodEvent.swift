import FoundationEssentials
import PodAPI

/// One line of the events view.
public struct PodEvent: Sendable, Equatable {
    public enum Kind: Sendable, Equatable { case info, good, bad }
    public var at: Date
    public var podID: Int64?
    public var text: String
    public var kind: Kind

    public init(at: Date, podID: Int64?, text: String, kind: Kind) {
        self.at = at; self.podID = podID; self.text = text; self.kind = kind
    }
}
