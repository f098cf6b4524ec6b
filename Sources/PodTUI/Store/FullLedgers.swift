import FoundationEssentials
import Synchronization

/// Ledger files an append found full, and when. Appends to one are skipped for a while (each
/// would read and compact the whole file again), and the UI is told once per file.
final class FullLedgers: Sendable {
    /// How long appends to a full file are skipped before one is tried (and compacts) again.
    static let pause = 600.0
    private let found = Mutex<[String: Date]>([:])
    private let told = Mutex<Set<String>>([])

    /// Whether an append to `path` is to be skipped now.
    func skips(_ path: String, now: Date) -> Bool {
        found.withLock { $0[path].map { now.timeIntervalSince($0) < Self.pause } ?? false }
    }

    /// Notes `path` full; true the first time (say so then).
    func note(_ path: String, now: Date) -> Bool {
        found.withLock { $0[path] = now }
        return told.withLock { $0.insert(path).inserted }
    }
}
