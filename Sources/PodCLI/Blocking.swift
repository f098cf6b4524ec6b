import Dispatch
import Synchronization

/// Runs async work from synchronous code on the main thread and waits for it. podtui's main
/// is synchronous so that the UI loop can own the real main thread (an async main hands the
/// main thread to `dispatch_main()`, and main-actor work then runs on a pool thread).
enum Blocking {
    /// Runs `work` on the cooperative pool and blocks the calling thread until it ends.
    static func run<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) throws -> T {
        let result = Mutex<Result<T, any Error>?>(nil)
        let done = DispatchSemaphore(value: 0)
        Task.detached {
            let outcome: Result<T, any Error>
            do { outcome = .success(try await work()) } catch { outcome = .failure(error) }
            result.withLock { $0 = outcome }
            done.signal()
        }
        done.wait()
        // The task stored a result before it signalled.
        guard let outcome = result.withLock({ $0 }) else { fatalError("Blocking.run: the task ended without a result") }
        return try outcome.get()
    }
}
