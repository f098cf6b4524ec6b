import FoundationEssentials
import PodAPI
import Synchronization

/// What the client keeps of the last list reply: a print of its bytes and its decoded pods,
/// so an identical reply is not decoded again, and the fast path's memo, so a changed reply
/// decodes only the pods whose bytes changed. Not the bytes themselves: at 10,000 pods they
/// are 6 MB, held for the whole poll interval to answer "same as last time?".
final class ListReplyCache: Sendable {
    private struct Entry { var query: String; var print: BodyPrint; var list: PodList }
    private let entry = Mutex<Entry?>(nil)
    /// This process's key for the prints (see `BodyPrint`).
    private let seed = UInt64.random(in: .min ... .max)

    /// A reply's print under this cache's key: taken once per reply, for `lookup` and then,
    /// if it missed, `store` (hashing 6 MB once, not twice).
    func print(_ body: Data) -> BodyPrint { BodyPrint(body, seed: seed) }

    /// The last list, when `print` is the same reply's to the same query.
    func lookup(query: String, print: BodyPrint) -> PodList? {
        entry.withLock { e in
            guard let e, e.query == query, e.print == print else { return nil }
            return e.list
        }
    }

    func store(query: String, print: BodyPrint, list: PodList) {
        entry.withLock { $0 = Entry(query: query, print: print, list: list) }
    }

    /// The fast path's memo of the last good list (a fingerprint per pod), so a changed
    /// reply decodes only the pods whose bytes changed.
    private let memo = Mutex(PodListMemo())

    /// `PodListFastPath.decode(_:memo:)` with the kept memo: the same answer as `decode(_:)`.
    func decodeFast(_ body: Data) -> [Pod]? {
        memo.withLock { PodListFastPath.decode(body, memo: &$0) }
    }
}
