import PodTUICore
import FoundationEssentials
import Libc
import Synchronization
import TermGuard

/// The latest published `AppState`, readable from the curses thread without awaiting.
/// Each publish also writes a byte to a pipe, so the loop waiting in `poll()` wakes at once
/// and draws the new state (no fixed-interval redraw, no busy wait).
public final class StateBox: Sendable {
    private let state: Mutex<AppState>
    /// Read end, polled by the UI loop; write end, poked on publish. Both non-blocking.
    public let wakeReadFD: Int32
    private let wakeWriteFD: Int32

    public init(_ initial: AppState) {
        state = Mutex(initial)
        var fds: [Int32] = [-1, -1]
        // Close-on-exec from the start (pipe2): a child another thread spawns meanwhile (a
        // probe's ssh, the URL opener) must not inherit either end.
        if fds.withUnsafeMutableBufferPointer({ tg_pipe_cloexec($0.baseAddress) }) == 0 {
            for fd in fds { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
        }
        wakeReadFD = fds[0]
        wakeWriteFD = fds[1]
    }

    deinit {
        close(wakeReadFD)
        close(wakeWriteFD)
    }

    /// A copy of the latest state.
    public func read() -> AppState { state.withLock { $0 } }

    /// Replaces the state and wakes the UI loop.
    public func publish(_ new: AppState) {
        state.withLock { $0 = new }
        var byte: UInt8 = 1
        _ = write(wakeWriteFD, &byte, 1)   // a full pipe already means "wake up"
    }

    /// Empties the wake pipe after waking.
    public func drainWake() {
        var buffer = [UInt8](repeating: 0, count: 64)
        while Libc.read(wakeReadFD, &buffer, buffer.count) > 0 {}
    }
}
