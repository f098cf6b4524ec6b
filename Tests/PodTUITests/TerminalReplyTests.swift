import Foundation
import Testing
import PodAPI
@testable import PodTUICore

/// Keys as curses delivers them: printable ASCII as `.char`, BEL as ^G, ESC as `.escape`.
private func keys(_ text: String) -> [Key] {
    text.unicodeScalars.map { KeyDecoder.key(forScalar: $0.value) }
}

private let t0 = ContinuousClock.now
private func at(_ ms: Int) -> ContinuousClock.Instant { t0 + .milliseconds(ms) }

/// Feeds `batches` one after another, `stepMs` apart, as the loop would (a flush after each
/// empty read is the caller's to add); returns every key that came out.
private func run(_ filter: inout OSCReplyFilter, _ batches: [[Key]], stepMs: Int = 1, startMs: Int = 0) -> [Key] {
    var out: [Key] = []
    for (i, batch) in batches.enumerated() { out += filter.filter(batch, at: at(startMs + i * stepMs)).keys }
    return out
}

private let bgReply = "\u{1B}]11;rgb:ffff/ffff/ffff\u{07}"
private let bgReplyST = "\u{1B}]11;rgb:0000/0000/0000\u{1B}\\"

@Suite("A terminal reply is never a key, at any time and in any number of pieces")
struct TerminalReplyFilterTests {
    @Test("after start-up, an OSC 11 answer in one read, BEL- or ST-terminated, leaves only the keys around it")
    func wholeAnswerLate() {
        for reply in [bgReply, bgReplyST] {
            var filter = OSCReplyFilter(awaiting: false)
            let out = filter.filter([.char("j")] + keys(reply) + [.char("k")], at: at(0))
            #expect(out.keys == [.char("j"), .char("k")])
            #expect(out.reply == nil, "after stop() the answer is dropped, not handed over")
            #expect(!filter.isHolding && !filter.inSequence)
        }
    }

    @Test("an answer split one byte per read yields no r, no / and no hex digits")
    func oneBytePerRead() {
        for reply in [bgReply, bgReplyST] {
            var filter = OSCReplyFilter(awaiting: false)
            let out = run(&filter, keys(reply).map { [$0] } + [[.char("j")]])
            #expect(out == [.char("j")])
        }
    }

    @Test("an answer in three reads of any size yields no keys")
    func threeReads() {
        let all = keys(bgReply)
        for a in 1..<(all.count - 1) {
            for b in (a + 1)..<all.count {
                var filter = OSCReplyFilter(awaiting: false)
                let out = run(&filter, [Array(all[..<a]), Array(all[a..<b]), Array(all[b...])])
                #expect(out.isEmpty, "split at \(a), \(b): \(out)")
            }
        }
    }

    @Test("the Escape already released as a key (the rest came after the quiet wait): the rest is still no keys")
    func restAfterReleasedEscape() {
        var filter = OSCReplyFilter(awaiting: false)
        #expect(filter.filter([.escape], at: at(0)).keys.isEmpty && filter.isHolding)
        #expect(filter.flush(at: at(30)) == [.escape])
        let rest = Array(keys(bgReply).dropFirst())
        #expect(run(&filter, rest.map { [$0] }, stepMs: 20, startMs: 200).isEmpty)
        #expect(filter.filter([.char("q")], at: at(2000)).keys == [.char("q")])
    }

    @Test("CSI reports (device attributes, cursor position, unknown keys) and DCS/APC/PM/SOS strings are dropped")
    func otherReplies() {
        let replies = [
            "\u{1B}[?64;1;2;6;9;15;18;21;22c",        // DA1
            "\u{1B}[>41;390;0c",                       // DA2
            "\u{1B}[12;40R",                           // cursor position
            "\u{1B}[?2004;1$y",                        // DECRPM
            "\u{1B}[1;5A",                             // a key this terminfo does not know
            "\u{1B}P1+r6b75=1b4f41\u{1B}\\",           // XTGETTCAP
            "\u{1B}P>|XTerm(390)\u{1B}\\",             // XTVERSION
            "\u{1B}_Gi=31;OK\u{1B}\\",                 // kitty graphics (APC)
            "\u{1B}^privacy message\u{1B}\\",          // PM
            "\u{1B}X start of string\u{1B}\\",         // SOS
            "\u{1B}]10;rgb:1111/2222/3333\u{07}",      // OSC 10
            "\u{1B}]4;1;rgba:ffff/0000/0000/ffff\u{1B}\\",
        ]
        for reply in replies {
            var whole = OSCReplyFilter(awaiting: false)
            #expect(whole.filter(keys(reply) + [.char("j")], at: at(0)).keys == [.char("j")], "\(reply.debugDescription)")
            var pieces = OSCReplyFilter(awaiting: false)
            #expect(run(&pieces, keys(reply).map { [$0] } + [[.char("j")]]) == [.char("j")], "\(reply.debugDescription) byte by byte")
        }
    }

    @Test("a long (16-bit rgba) answer is dropped whole, and while awaited its text is handed over")
    func longAnswer() {
        let long = "\u{1B}]11;rgba:" + Array(repeating: "ffff", count: 40).joined(separator: "/") + "\u{07}"
        var filter = OSCReplyFilter(awaiting: true)
        let out = filter.filter(keys(long) + [.char("k")], at: at(0))
        #expect(out.keys == [.char("k")])
        #expect(out.reply?.hasPrefix("11;rgba:ffff/") == true)
        #expect(!filter.awaiting)
    }

    @Test("the awaited answer is handed over once, even in pieces; Escape still works afterwards")
    func awaitedAnswer() {
        var filter = OSCReplyFilter(awaiting: true)
        let all = keys(bgReplyST)
        let first = filter.filter(Array(all[..<1]), at: at(0))
        #expect(first.keys.isEmpty && first.reply == nil && filter.isHolding)
        let second = filter.filter(Array(all[1...]), at: at(5))
        #expect(second.keys.isEmpty && second.reply == "11;rgb:0000/0000/0000")
        #expect(!filter.awaiting)
        #expect(filter.filter([.escape], at: at(100)).keys.isEmpty)
        #expect(filter.flush(at: at(130)) == [.escape])
    }

    @Test("Esc alone, Esc or Alt with a key, arrows and typing stay keys")
    func keysStayKeys() {
        var filter = OSCReplyFilter(awaiting: false)
        #expect(filter.filter([.escape], at: at(0)).keys.isEmpty)
        #expect(filter.flush(at: at(30)) == [.escape])
        #expect(!filter.isHolding)
        #expect(filter.filter([.escape, .char("q")], at: at(2000)).keys == [.escape, .char("q")])
        #expect(filter.filter([.escape, .escape], at: at(2100)).keys == [.escape])
        #expect(filter.flush(at: at(2130)) == [.escape])
        // Esc then P (sort by price) then a letter: three keys, not a DCS.
        #expect(filter.filter([.escape, .char("P"), .char("j")], at: at(4000)).keys == [.escape, .char("P"), .char("j")])
        #expect(filter.filter([.escape, .char("X")], at: at(6000)).keys.isEmpty && filter.isHolding)
        #expect(filter.flush(at: at(6030)) == [.escape, .char("X")])
        let typing: [Key] = [.up, .down, .left, .right, .function(5), .enter, .tab, .backspace] + keys("hello world /:[]")
        #expect(filter.filter(typing, at: at(8000)).keys == typing)
        var held = OSCReplyFilter(awaiting: false)
        _ = held.filter([.escape], at: at(0))
        #expect(held.filter([.char("x")], at: at(10)).keys == [.escape, .char("x")])
    }

    @Test("a sequence that is not a reply ends after a quiet second or maxLength characters; keys then flow")
    func bounded() {
        var quiet = OSCReplyFilter(awaiting: false)
        #expect(quiet.filter(keys("\u{1B}]oops"), at: at(0)).keys.isEmpty)
        #expect(quiet.flush(at: at(500)).isEmpty && quiet.inSequence)
        #expect(quiet.flush(at: at(1500)).isEmpty && !quiet.inSequence)
        #expect(quiet.filter([.char("j")], at: at(1600)).keys == [.char("j")])
        var later = OSCReplyFilter(awaiting: false)
        _ = later.filter(keys("\u{1B}[?1"), at: at(0))
        #expect(later.filter([.char("j")], at: at(1500)).keys == [.char("j")], "a batch after the gap is keys again")
        var long = OSCReplyFilter(awaiting: false)
        let flood = keys("\u{1B}]") + Array(repeating: Key.char("x"), count: OSCReplyFilter.maxLength + 1)
        #expect(long.filter(flood, at: at(0)).keys.isEmpty)
        #expect(long.filter([.char("j")], at: at(10)).keys == [.char("j")])
        // CAN cancels a string, as in a terminal.
        var cancelled = OSCReplyFilter(awaiting: false)
        #expect(cancelled.filter(keys("\u{1B}]11;rgb") + [.ctrl("x"), .char("j")], at: at(0)).keys == [.char("j")])
    }

    @Test("a resize or a mouse event inside a reply still reaches the loop")
    func decodedEventsPass() {
        var filter = OSCReplyFilter(awaiting: false)
        let click = Key.mouse(MouseEvent(.click, row: 1, col: 1))
        let out = filter.filter(keys("\u{1B}]11;rg") + [.resize, click] + keys("b:0/0/0\u{07}q"), at: at(0))
        #expect(out.keys == [.resize, click, .char("q")])
    }
}

@Suite("A late background answer resumes nothing")
struct TerminalReplyReducerTests {
    /// The list with the PAUSED pod selected.
    func pausedSelected() -> AppState {
        var state = Fixtures.loaded()
        state.nav.selectedID = Fixtures.pods[1].id
        #expect(state.selectedPod?.status == .paused)
        return state
    }

    func effects(_ state: inout AppState, _ keys: [Key]) -> [Effect] {
        keys.flatMap { Reducer.reduce(&state, .key($0, Fixtures.now)) }
    }

    @Test("the keys the filter lets through from a late answer (whole or one byte per read) send no resume")
    func noResume() {
        let reply = keys(bgReply)
        // What the old filter let through after its 5 s window: these keys resume the pod.
        var unfiltered = pausedSelected()
        #expect(effects(&unfiltered, reply).contains { if case .perform(.resume, _) = $0 { true } else { false } },
                "the test's premise: the raw reply's r resumes a paused pod")
        for batches in [[reply], reply.map { [$0] }] {
            var filter = OSCReplyFilter(awaiting: false)
            var state = pausedSelected()
            let passed = run(&filter, batches) + filter.flush(at: at(5000))
            let sent = effects(&state, passed)
            #expect(!sent.contains { if case .perform = $0 { true } else { false } }, "\(sent)")
            #expect(state.fleet.filter.isEmpty && state.nav.input == nil, "nothing typed into the filter or command line")
        }
    }
}
