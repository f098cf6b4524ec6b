import Dispatch

/// Where `/metrics` pages are made: a task executor on a serial Dispatch queue of its own, so a
/// scrape is answered even while Swift's cooperative pool is busy (decoding a 10,000-pod reply,
/// or, in the tests, every suite at once on two cores), instead of waiting for a pool thread
/// until the connection's idle timeout closes it unanswered. Actor-isolated code a page awaits
/// runs here too (a task's executor preference is kept by default actors).
final class PageExecutor: TaskExecutor {
    private let queue = DispatchQueue(label: "podtui.watch.metrics-page", qos: .utility)

    static let shared = PageExecutor()

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        queue.async { job.runSynchronously(on: executor) }
    }
}
