import FoundationEssentials
import PodAPI
import Synchronization

/// The last list reply and its decoded pods, so an identical reply is not decoded again.
final class ListReplyCache: Sendable {
    private struct Entry { var query: String; var body: Data; var list: PodList }
    private let entry = Mutex<Entry?>(nil)

    func lookup(query: String, body: Data) -> PodList? {
        entry.withLock { e in
            guard let e, e.query == query, e.body == body else { return nil }
            return e.list
        }
    }

    func store(query: String, body: Data, list: PodList) {
        entry.withLock { $0 = Entry(query: query, body: body, list: list) }
    }

    /// The fast path's memo of the last good list (a fingerprint per pod), so a changed
    /// reply decodes only the pods whose bytes changed.
    private let memo = Mutex(PodListMemo())

    /// `PodListFastPath.decode(_:memo:)` with the kept memo: the same answer as `decode(_:)`.
    func decodeFast(_ body: Data) -> [Pod]? {
        memo.withLock { PodListFastPath.decode(body, memo: &$0) }
    }
}
