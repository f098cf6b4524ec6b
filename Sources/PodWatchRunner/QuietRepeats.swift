import FoundationEssentials
import Logging
import Synchronization

/// A log handler in front of another that says each warning or error once per `window`:
/// the store's file work (the ledger, the idle clocks, the timers) warns at every poll while
/// the state directory is full or read-only, which over a day of a watcher at 10 s is
/// thousands of the same line in the journal. The same text again within the window is
/// counted, not written; the next time it is written after the window, it says how many
/// were left out. Lower levels pass as they are.
public struct QuietRepeats: LogHandler {
    private var inner: any LogHandler
    private let memory: Memory
    private let window: Double
    private let clock: @Sendable () -> Date

    /// `window` seconds between two of the same line; `clock` for tests.
    public init(_ inner: any LogHandler, window: Double = 600, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.inner = inner
        self.memory = Memory()
        self.window = window
        self.clock = clock
    }

    public var logLevel: Logger.Level {
        get { inner.logLevel }
        set { inner.logLevel = newValue }
    }

    public var metadata: Logger.Metadata {
        get { inner.metadata }
        set { inner.metadata = newValue }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { inner[metadataKey: key] }
        set { inner[metadataKey: key] = newValue }
    }

    public func log(event: LogEvent) {
        guard event.level >= .warning else { return inner.log(event: event) }
        let text = event.message.description
        guard let left = memory.check(text, now: clock(), window: window) else { return }
        var said = event
        if left > 0 { said.message = "\(text) (\(left) more of this line left out)" }
        inner.log(event: said)
    }

    /// The lines said lately: when each was last written and how many were left out since.
    final class Memory: Sendable {
        private struct Seen { var said: Date; var left: Int }
        /// At most this many distinct lines are remembered (the oldest said is forgotten).
        static let capacity = 256
        private let lines = Mutex<[String: Seen]>([:])

        /// nil: leave it out; else write it, with how many were left out before it.
        func check(_ text: String, now: Date, window: Double) -> Int? {
            lines.withLock { lines in
                if var seen = lines[text] {
                    let since = now.timeIntervalSince(seen.said)
                    // Within the window (a clock that went back counts as within it, once).
                    if since < window, since > -window {
                        seen.left += 1
                        lines[text] = seen
                        return nil
                    }
                    lines[text] = Seen(said: now, left: 0)
                    return seen.left
                }
                if lines.count >= Self.capacity, let oldest = lines.min(by: { $0.value.said < $1.value.said })?.key {
                    lines[oldest] = nil
                }
                lines[text] = Seen(said: now, left: 0)
                return 0
            }
        }
    }
}
