import PodAPI
import PodTUICore

/// When the terminal loop draws a new state version. What the user did (a key, a click, a
/// resize, the screen given back by ssh or a shell) is drawn at once, and so is every change
/// for `activeFor` seconds after it (an action's answer). Otherwise changes come from the
/// background (a list reply, a metrics answer, the clock's "updated 3s ago") and are drawn at
/// most once per `backgroundGap`, together, as htop redraws once per delay.
///
/// Why: at 1,000 pods a metrics answer, the clock and a list reply each made a whole frame,
/// about three a second, and rendering was then a quarter of podtui's instructions. A change
/// nobody asked for this instant loses nothing by waiting at most a second. The exceptions
/// are what a user sits waiting for (`Headline`): the first list after none (held, it put
/// up to a second on "start → full list"), and the connection failing or coming back.
struct FramePacing {
    /// The shortest time between two frames of background changes (seconds).
    static let backgroundGap = 1.0
    /// How long after the user's last input every change is drawn at once (seconds).
    static let activeFor = 3.0

    /// What a state says that is drawn the moment it changes.
    struct Headline: Equatable {
        /// A list reply has come (since start or the last `:profile`).
        var hasList: Bool
        /// The last list request failed (the header says stale, and why).
        var failing: Bool

        init(hasList: Bool, failing: Bool) {
            self.hasList = hasList
            self.failing = failing
        }

        init(_ state: AppState) {
            self.init(hasList: state.connection.lastSuccess != nil, failing: state.connection.lastError != nil)
        }
    }

    private var lastFrame = -Double.infinity
    private var lastInput = -Double.infinity
    /// The headline of the last frame (nil before the first).
    private var drawn: Headline?

    /// The user did something at `now` (seconds on a monotonic clock).
    mutating func input(at now: Double) { lastInput = now }

    /// A frame of a state with `headline` was drawn at `now`.
    mutating func drew(at now: Double, _ headline: Headline) {
        lastFrame = now
        drawn = headline
    }

    /// Milliseconds until a frame of a changed state with `headline` may be drawn: 0 for now.
    func wait(at now: Double, _ headline: Headline) -> Int {
        if headline != drawn { return 0 }
        if now - lastInput < Self.activeFor { return 0 }
        let due = lastFrame + Self.backgroundGap - now
        guard due.isFinite, due > 0 else { return 0 }
        return min(1000, max(1, Int(saturating: (due * 1000).rounded(.up))))
    }
}
