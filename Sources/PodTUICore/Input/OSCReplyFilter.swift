/// Takes a terminal's late answer to podtui's background-colour query (`ESC ] 11 ; … BEL`
/// or `… ESC \`) out of the key stream, so it is never read as keys (an Escape and some
/// typing), and hands its text over. Active only while an answer is still awaited.
///
/// An Escape that ends one batch of keys is held until the next batch: an answer cut in two
/// by a read boundary must not reach the UI as Esc followed by "]11;rgb:…".
public struct OSCReplyFilter: Sendable {
    /// True while the query went unanswered; after `stop()` every key passes untouched.
    public private(set) var awaiting: Bool
    private var capturing: String?
    private var heldEscape = false
    /// Inside an answer, an Escape that may start its `ESC \` terminator.
    private var escapeInAnswer = false
    /// Batches an unfinished answer may still continue into: a terminal sends its answer in
    /// one burst, so one more read at most; then it was not an answer, and keys flow again.
    private var batchesLeft = 0

    public init(awaiting: Bool) { self.awaiting = awaiting }

    /// No answer is expected any more (it came, or it is too late to matter).
    public mutating func stop() {
        awaiting = false
    }

    /// The keys that are really keys, and the answer's text when one ended in this batch.
    /// Keys held back (a trailing Escape) come out with the next batch or `flush`.
    public mutating func filter(_ keys: [Key]) -> (keys: [Key], reply: String?) {
        guard awaiting || capturing != nil || heldEscape else { return (keys, nil) }
        var out: [Key] = []
        var reply: String?
        var pending = keys[...]
        if heldEscape {
            heldEscape = false
            if pending.first == .char("]") {
                capturing = ""
                batchesLeft = 1
                pending = pending.dropFirst()
            } else {
                out.append(.escape)
            }
        }
        while let key = pending.first {
            pending = pending.dropFirst()
            if var text = capturing {
                if escapeInAnswer {
                    escapeInAnswer = false
                    if key == .char("\\") { reply = text; capturing = nil; awaiting = false; continue }
                    // ESC and something else: not an answer; that key is a key again.
                    capturing = nil
                    out.append(key)
                    continue
                }
                switch key {
                case .ctrl("g"):
                    reply = text
                    capturing = nil
                    awaiting = false
                case .escape:
                    escapeInAnswer = true
                case .char(let c) where text.count < 64:
                    text.append(c)
                    capturing = text
                default:
                    // Not an answer after all (or one far too long): give up on it quietly.
                    capturing = nil
                }
                continue
            }
            if awaiting, key == .escape {
                if pending.isEmpty { heldEscape = true; continue }
                if pending.first == .char("]") {
                    capturing = ""
                    batchesLeft = 1
                    pending = pending.dropFirst()
                    continue
                }
            }
            out.append(key)
        }
        if capturing != nil {
            if batchesLeft <= 0 {
                capturing = nil
                escapeInAnswer = false
            } else {
                batchesLeft -= 1
            }
        }
        return (out, reply)
    }

    /// True while an Escape is held back: the loop then looks again soon, and releases it
    /// with `flush` when nothing followed.
    public var isHolding: Bool { heldEscape }

    /// Releases a held Escape (the loop calls this when no more input came).
    public mutating func flush() -> [Key] {
        guard heldEscape else { return [] }
        heldEscape = false
        return [.escape]
    }
}
