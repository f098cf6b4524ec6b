/// Takes terminal replies out of the key stream for the whole session, so none is ever read
/// as keys: an OSC string (`ESC ] … BEL` or `… ESC \`, the background answer among them), a
/// DCS, APC, PM or SOS string, and a CSI sequence curses did not turn into a key (a cursor
/// position or device attributes report, `ESC [ ? 64 ; 1 c`, or a key this terminfo does
/// not know). It hands over the text of the answer to podtui's background query (OSC 11).
///
/// Recognised by structure, never by a time window after start: curses has already split
/// the Escape from what follows (it waits only `ESCDELAY` for the rest), so a reply arrives
/// as `.escape` and then plain characters, possibly over many reads, one byte per read even.
/// A small state machine therefore carries over from batch to batch:
/// - an Escape that ends a batch is held until the next batch (or `flush` after a quiet
///   moment), so `ESC` + `]` split by a read boundary still starts a string;
/// - after a lone Escape was released as a key, a batch that begins within `gap` with `]`,
///   `[`, `_` or `^` is still the rest of a reply (those keys do nothing after Esc);
/// - inside a sequence, a pause longer than `gap` ends it (a user who typed Alt-] gets
///   their keys back after a second), and so does `maxLength` characters: a sequence is
///   dropped to its end, never turned into keys halfway.
///
/// What stays a key: Esc alone (delivered once nothing followed), Esc or Alt with any other
/// key (`ESC j`), and every key curses decoded itself (arrows, function keys, the mouse).
/// DCS and SOS begin with `P` and `X`, which are podtui keys too: `ESC P` / `ESC X` start
/// one only when a parameter or intermediate character (0x20–0x3F) follows, as every
/// reply's does; Esc then `P`, then a letter, stays three keys.
public struct OSCReplyFilter: Sendable {
    /// True while the background query went unanswered: the next OSC 11 answer is handed
    /// over. After `stop()` (or one answer) replies are still dropped, just not handed over.
    public private(set) var awaiting: Bool

    /// The longest pause inside one reply; a longer one means it was not a reply (or it was
    /// cut short), and the keys after it are keys.
    public static let gap: Duration = .seconds(1)
    /// The most characters one sequence may hold (generous: `rgba:` and 16-bit-per-channel
    /// forms, DCS capability answers); past it the sequence ends and keys flow again.
    public static let maxLength = 4096
    /// The most characters of an OSC answer kept as its text.
    public static let maxReplyText = 512

    private enum Kind: Sendable { case osc, dcs, apc, pm, sos }

    private enum Phase: Sendable, Equatable {
        case ground
        /// An Escape, held: what follows decides whether it is a key.
        case escape
        /// `ESC P` or `ESC X`, held: a reply only if a parameter character follows.
        case introducer(Character)
        /// Inside a string; `escape`: its last character was an Escape (maybe `ESC \`).
        case string(Kind, escape: Bool)
        case csi
    }

    private var phase: Phase = .ground
    /// Characters of the sequence so far (for `maxLength`).
    private var length = 0
    /// The OSC text so far (at most `maxReplyText` characters).
    private var text = ""
    /// When the last batch that touched a sequence (or held an Escape) came.
    private var lastAt: ContinuousClock.Instant?
    /// When a lone Escape was last released as a key by `flush`.
    private var releasedEscapeAt: ContinuousClock.Instant?

    public init(awaiting: Bool) { self.awaiting = awaiting }

    /// No answer is expected any more (it came, or it is too late to matter). Replies are
    /// still taken out of the key stream.
    public mutating func stop() {
        awaiting = false
    }

    /// True while an Escape (or `ESC P` / `ESC X`) is held back: the loop then looks again
    /// soon, and releases it with `flush` when nothing followed.
    public var isHolding: Bool {
        switch phase {
        case .escape, .introducer: return true
        default: return false
        }
    }

    /// True inside a reply that has not ended yet.
    public var inSequence: Bool {
        switch phase {
        case .string, .csi: return true
        default: return false
        }
    }

    /// The keys that are really keys, and the background answer's text when one ended in
    /// this batch (only while `awaiting`). Keys held back come out with the next batch or
    /// `flush`.
    public mutating func filter(_ keys: [Key], at now: ContinuousClock.Instant) -> (keys: [Key], reply: String?) {
        var out: [Key] = []
        var reply: String?
        expire(at: now, into: &out)
        var pending = keys[...]
        // The rest of a reply whose Escape was already released as a key (it came after the
        // quiet moment the loop waits for).
        if phase == .ground, let released = releasedEscapeAt, now - released <= Self.gap, let first = pending.first {
            switch first {
            case .char("]"): begin(.string(.osc, escape: false)); pending = pending.dropFirst()
            case .char("_"): begin(.string(.apc, escape: false)); pending = pending.dropFirst()
            case .char("^"): begin(.string(.pm, escape: false)); pending = pending.dropFirst()
            case .char("["): begin(.csi); pending = pending.dropFirst()
            default: break
            }
        }
        if !keys.isEmpty { releasedEscapeAt = nil }
        for key in pending {
            step(key, into: &out, reply: &reply)
        }
        if phase != .ground { lastAt = now }
        return (out, reply)
    }

    /// The loop calls this when a read brought nothing: a held Escape (and a held `P`/`X`
    /// after it) was a key; a sequence that has been quiet for longer than `gap` is over.
    public mutating func flush(at now: ContinuousClock.Instant) -> [Key] {
        var out: [Key] = []
        switch phase {
        case .escape:
            out = [.escape]
            phase = .ground
            releasedEscapeAt = now
        case .introducer(let c):
            out = [.escape, .char(c)]
            phase = .ground
        case .string, .csi:
            expire(at: now, into: &out)
        case .ground:
            break
        }
        return out
    }

    // MARK: - The state machine

    /// Ends what has waited longer than `gap`: held keys come out as keys, a sequence is
    /// dropped.
    private mutating func expire(at now: ContinuousClock.Instant, into out: inout [Key]) {
        guard phase != .ground, let last = lastAt, now - last > Self.gap else { return }
        switch phase {
        case .escape: out.append(.escape)
        case .introducer(let c): out += [.escape, .char(c)]
        default: break
        }
        phase = .ground
    }

    private mutating func begin(_ next: Phase) {
        phase = next
        length = 0
        text = ""
    }

    private mutating func step(_ key: Key, into out: inout [Key], reply: inout String?) {
        switch phase {
        case .ground:
            if key == .escape { phase = .escape } else { out.append(key) }
        case .escape:
            switch key {
            case .char("]"): begin(.string(.osc, escape: false))
            case .char("_"): begin(.string(.apc, escape: false))
            case .char("^"): begin(.string(.pm, escape: false))
            case .char("["): begin(.csi)
            case .char(let c) where c == "P" || c == "X":
                phase = .introducer(c)
            case .escape:
                out.append(.escape)   // Esc Esc: the first was a key; the second is held
            default:
                out += [.escape, key]   // Esc (or Alt) and a key
                phase = .ground
            }
        case .introducer(let c):
            if case .char(let next) = key, let ascii = next.asciiValue, (0x20...0x3F).contains(ascii) {
                begin(.string(c == "P" ? .dcs : .sos, escape: false))
                length = 1
            } else if key == .escape {
                out += [.escape, .char(c)]
                phase = .escape
            } else {
                out += [.escape, .char(c), key]
                phase = .ground
            }
        case .string(let kind, let escape):
            stepString(kind, escape: escape, key, into: &out, reply: &reply)
        case .csi:
            stepCSI(key, into: &out)
        }
    }

    private mutating func stepString(_ kind: Kind, escape: Bool, _ key: Key, into out: inout [Key], reply: inout String?) {
        if escape {
            if key == .char("\\") {
                finish(kind, reply: &reply)
            } else {
                // An Escape that is not ST ends the string (ECMA-48) and begins something
                // new: another sequence, or Esc and a key.
                phase = .escape
                step(key, into: &out, reply: &reply)
            }
            return
        }
        switch key {
        case .ctrl("g"):
            finish(kind, reply: &reply)
        case .escape:
            phase = .string(kind, escape: true)
        case .resize, .mouse:
            out.append(key)   // decoded by curses, not a byte of the string
        case .ctrl("x"), .ctrl("z"):
            phase = .ground   // CAN and SUB cancel a sequence; dropped with it
        default:
            length += 1
            if kind == .osc, text.count < Self.maxReplyText, case .char(let c) = key { text.append(c) }
            if length > Self.maxLength { phase = .ground }
        }
    }

    private mutating func stepCSI(_ key: Key, into out: inout [Key]) {
        switch key {
        case .char(let c):
            guard let ascii = c.asciiValue, (0x20...0x7E).contains(ascii) else {
                phase = .ground   // not a CSI after all: it ends here, the key is a key
                out.append(key)
                return
            }
            if (0x40...0x7E).contains(ascii) { phase = .ground; return }   // the final byte
            length += 1
            if length > Self.maxLength { phase = .ground }
        case .escape:
            phase = .escape
        case .resize, .mouse:
            out.append(key)
        default:
            // A control character inside a CSI is acted on (ECMA-48): the sequence ends and
            // the key is a key.
            phase = .ground
            out.append(key)
        }
    }

    private mutating func finish(_ kind: Kind, reply: inout String?) {
        phase = .ground
        if kind == .osc, awaiting, text.hasPrefix("11;") {
            reply = text
            awaiting = false
        }
    }
}
