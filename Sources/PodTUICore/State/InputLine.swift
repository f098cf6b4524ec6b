import FoundationEssentials
import PodAPI

/// The bottom input line: a filter being typed, or a `:` command.
public struct InputLine: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case filter, command
        /// "Pause in": a duration or a time for a pause timer on these pods.
        case timer([Int64])
        /// "Forward port": `REMOTE[:LOCAL]` of this pod (`F`).
        case forward(Int64)
    }
    public var kind: Kind
    public var editor: LineEditor
    /// A new input line, optionally holding `text` (the filter in force, when `/` reopens it).
    public init(kind: Kind, text: String = "") { self.kind = kind; self.editor = LineEditor(text) }
}
