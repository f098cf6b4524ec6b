import Synchronization

/// How many keys (and mouse events) the terminal loop has put in the store's inbox that
/// the store has not reduced yet. The store lets them pass a list reply waiting in the same
/// inbox (`Store.consume(_:keys:)`): a key answers what the user saw when pressing it, and
/// indexing 10,000 pods first would make the key wait for it.
public final class KeysWaiting: Sendable {
    private let count = Atomic<Int>(0)

    public init() {}

    /// A key is about to be put in the inbox (call before `yield`, so the store never sees
    /// the key before the count).
    public func arrived() { count.add(1, ordering: .sequentiallyConsistent) }

    /// The store reduced a key.
    func taken() {
        // Only the store takes and arrivals only add, so a count seen above zero is still
        // above zero when this subtracts (a key put in without `arrived()` takes nothing).
        if count.load(ordering: .sequentiallyConsistent) > 0 { count.subtract(1, ordering: .sequentiallyConsistent) }
    }

    /// True while a key is in the inbox.
    var any: Bool { count.load(ordering: .sequentiallyConsistent) > 0 }
}
