import FoundationEssentials
import PodAPI

/// The message line.
public struct Message: Sendable, Equatable {
    public enum Kind: Sendable, Equatable { case info, success, error }
    public var text: String
    public var kind: Kind
    public var at: Date
    /// Said by a background finding (not the answer to something the user did): another
    /// finding may replace it at once.
    public var background = false
    public init(_ text: String, kind: Kind, at: Date) { self.text = text; self.kind = kind; self.at = at }
}

extension AppState {
    /// Puts `text` on the message line, at the state's time (the one way every reducer says
    /// something to the user).
    public mutating func say(_ text: String, _ kind: Message.Kind = .info) {
        message = Message(text, kind: kind, at: now)
    }
}
