import PodTUICore
import CNcurses
import FoundationEssentials
import Libc
import TermGuard

/// Why the UI could not start.
public enum TUIError: Error, CustomStringConvertible {
    case noTerminal(String)
    public var description: String {
        switch self {
        case .noTerminal(let why): "podtui's UI needs a terminal (\(why)); for scripts use `podtui pods list`"
        }
    }
}
