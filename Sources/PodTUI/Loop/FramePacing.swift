import PodAPI

/// When the terminal loop draws a new state version. What the user did (a key, a click, a
/// resize, the screen given back by ssh or a shell) is drawn at once, and so is every change
/// for `activeFor` seconds after it (an action's answer). Otherwise changes come from the
/// background (a list reply, a metrics answer, the clock's "updated 3s ago") and are drawn at
/// most once per `backgroundGap`, together, as htop redraws once per delay.
///
/// Why: at 1,000 pods a metrics answer, the clock and a list reply each made a whole frame,
/// about three a second, and rendering was then a quarter of podtui's instructions. A change
/// nobody asked for this instant loses nothing by waiting at most a second. One exception:
/// the first list after none (at start, after `:profile`) is what the user is waiting for,
/// and is drawn at once (held, it put up to a second on "start → full list").
struct FramePacing {
    /// The shortest time between two frames of background changes (seconds).
    static let backgroundGap = 1.0
    /// How long after the user's last input every change is drawn at once (seconds).
    static let activeFor = 3.0

    private var lastFrame = -Double.infinity
    private var lastInput = -Double.infinity
    /// Whether the last frame showed a list reply.
    private var drewList = false

    /// The user did something at `now` (seconds on a monotonic clock).
    mutating func input(at now: Double) { lastInput = now }

    /// A frame was drawn at `now`; `withList`: its state had a list reply.
    mutating func drew(at now: Double, withList: Bool) {
        lastFrame = now
        drewList = withList
    }

    /// Milliseconds until a frame of a changed state may be drawn: 0 for now. `hasList`: the
    /// changed state has a list reply.
    func wait(at now: Double, hasList: Bool) -> Int {
        if hasList && !drewList { return 0 }
        if now - lastInput < Self.activeFor { return 0 }
        let due = lastFrame + Self.backgroundGap - now
        guard due.isFinite, due > 0 else { return 0 }
        return min(1000, max(1, Int(saturating: (due * 1000).rounded(.up))))
    }
}
