import FoundationEssentials
import PodAPI

/// Something to write to the terminal outside curses.
public struct TerminalOutput: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case bell
        /// OSC 9 and OSC 777 desktop notification (title, body).
        case notify(String, String)
        /// OSC 52 clipboard copy.
        case copy(String)
    }
    public var seq: Int
    public var kind: Kind
}
