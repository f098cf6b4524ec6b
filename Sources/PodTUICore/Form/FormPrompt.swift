import FoundationEssentials
import PodAPI

/// A question the form asks before it loses what was typed.
public enum FormPrompt: Sendable, Equatable {
    /// Close the form (and quit podtui when `thenQuit`) without creating anything?
    case discard(thenQuit: Bool, discardFocused: Bool)
}
