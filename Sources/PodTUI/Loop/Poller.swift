import PodTUICore
import Dispatch
import FoundationEssentials
import Libc

/// The poll clock: a `DispatchSourceTimer` that sends `.tick` about once a second. The
/// reducer decides whether a tick starts a request (interval, transitions, backoff), so the
/// timer itself stays dumb and never overlaps requests.
///
/// A plain class owned by the UI loop: `DispatchSourceTimer` is not Sendable on Linux.
public final class Poller {
    private let timer: any DispatchSourceTimer

    /// - Parameter onTick: runs on a background queue; it must be `@Sendable` (a closure
    ///   inheriting the main actor would trap when Dispatch calls it off the main thread).
    public init(every seconds: Double = 1, onTick: @escaping @Sendable () -> Void) {
        timer = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "podtui.poller"))
        timer.schedule(deadline: .now() + seconds, repeating: seconds, leeway: .milliseconds(100))
        timer.setEventHandler(handler: onTick)
        timer.resume()
    }

    deinit { timer.cancel() }

    public func cancel() { timer.cancel() }
}
