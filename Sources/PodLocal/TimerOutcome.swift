import FoundationEssentials

/// What firing one timer did.
public struct TimerOutcome: Sendable, Equatable {
    public var timer: PauseTimer
    /// Whether a pause request was sent and accepted.
    public var paused: Bool
    public var text: String
    /// A transient failure: the timer went back to pending and is tried again later.
    public var retrying: Bool
    public init(timer: PauseTimer, paused: Bool, text: String, retrying: Bool = false) {
        self.timer = timer; self.paused = paused; self.text = text; self.retrying = retrying
    }
}
