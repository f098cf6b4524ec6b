import Foundation

/// Runs blocking work (a child process waited for, its pipes read to the end) on a Dispatch
/// thread and awaits it. A test that blocked a thread of the cooperative pool instead (two on
/// a 2-core machine) could starve the in-process simulator the child talks to: every such test
/// then waited out its timeouts, and the whole suite took twelve minutes instead of one.
enum OffPool {
    static func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Swift.Result { try work() }) }
        }
    }
}
