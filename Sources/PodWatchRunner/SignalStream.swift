import Dispatch
import Libc

/// Signals as an async stream: each of `signals` is ignored by default action and delivered
/// through a Dispatch signal source instead (no handler runs in signal context).
enum SignalStream {
    /// The stream of `signals` as they arrive. The sources live as long as the stream's
    /// consumer keeps it (they are released when it ends).
    static func make(_ signals: [Int32]) -> AsyncStream<Int32> {
        AsyncStream { continuation in
            let queue = DispatchQueue(label: "podtui.watch.signals")
            let sources = signals.map { number -> any DispatchSourceSignal in
                signal(number, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
                source.setEventHandler { continuation.yield(number) }
                source.resume()
                return source
            }
            let box = SourceBox(sources)
            continuation.onTermination = { _ in box.cancel() }
        }
    }

    /// Keeps the sources alive until the stream ends. Dispatch sources are thread-safe
    /// (cancel may be called from any thread) but not marked Sendable on Linux.
    private final class SourceBox: @unchecked Sendable {
        // Safe: `sources` is written once in init and only read after; DispatchSource's
        // cancel() is documented thread-safe.
        private let sources: [any DispatchSourceSignal]
        init(_ sources: [any DispatchSourceSignal]) { self.sources = sources }
        func cancel() { for source in sources { source.cancel() } }
    }
}
