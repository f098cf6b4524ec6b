import Testing
@testable import PodTUICore

@Suite("Line editor")
struct LineEditorTests {
    func edit(_ text: String, cursor: Int? = nil, _ keys: [Key]) -> LineEditor {
        var editor = LineEditor(text, cursor: cursor)
        for key in keys { _ = editor.apply(key) }
        return editor
    }

    @Test("typing inserts at the cursor; arrows, Home/End and ^A/^E move")
    func typing() {
        let e = edit("", [.char("a"), .char("c"), .left, .char("b"), .end, .char("d"), .home, .char(">"), .ctrl("e"), .char("<")])
        #expect(e.text == ">abcd<" && e.cursor == 6)
        #expect(edit("ab", [.ctrl("a"), .right]).cursor == 1)
        #expect(edit("ab", [.left, .left, .left]).cursor == 0)
        #expect(edit("ab", [.right, .right]).cursor == 2)
    }

    @Test("Backspace and Delete remove one character; nothing at the ends")
    func deleting() {
        #expect(edit("abc", [.backspace]).text == "ab")
        #expect(edit("abc", cursor: 0, [.backspace]).text == "abc")
        #expect(edit("abc", cursor: 0, [.delete]).text == "bc")
        #expect(edit("abc", [.delete]).text == "abc")
    }

    @Test("^U clears, ^K cuts to the end, ^W cuts the word before the cursor")
    func kills() {
        #expect(edit("python train.py --epochs 3", [.ctrl("u")]).text == "")
        #expect(edit("python train.py", cursor: 6, [.ctrl("k")]).text == "python")
        let w = edit("python train.py  ", [.ctrl("w")])
        #expect(w.text == "python " && w.cursor == 7)
        #expect(edit("one", cursor: 0, [.ctrl("w")]).text == "one")
    }

    @Test("UTF-8 and wide characters move and delete as one")
    func unicode() {
        let e = edit("", [.char("日"), .char("本"), .char("é"), .char("👍🏽")])
        #expect(e.text == "日本é👍🏽" && e.cursor == 4)
        let back = edit("日本é👍🏽", [.backspace, .left, .backspace])
        #expect(back.text == "日é" && back.cursor == 1)
    }

    @Test("keys that are not editing keys are left for the form")
    func passThrough() {
        var e = LineEditor("x")
        for key: Key in [.tab, .enter, .up, .down, .escape, .function(10), .ctrl("s")] {
            #expect(e.apply(key) == false)
        }
        #expect(e.text == "x")
    }

    @Test("the visible window keeps the cursor in view and never splits a wide character")
    func window() {
        let e = LineEditor("abcdefghij")
        let v = e.visible(width: 5)
        #expect(v.text == "ghij" && v.cursorColumn == 4)
        let start = LineEditor("abcdefghij", cursor: 0).visible(width: 5)
        #expect(start.text == "abcde" && start.cursorColumn == 0)
        let wide = LineEditor("日本語です", cursor: 5).visible(width: 6)
        #expect(wide.text == "です" && wide.cursorColumn == 4)
        let middle = LineEditor("日本語です", cursor: 1).visible(width: 5)
        #expect(middle.text == "日本" && middle.cursorColumn == 2)
    }
}

@Suite("A late background answer never becomes keys")
struct OSCReplyFilterTests {
    let answer: [Key] = [.escape, .char("]")] + "11;rgb:ffff/ffff/ffff".map { Key.char($0) } + [.ctrl("g")]

    @Test("a whole answer among keys is taken out and handed over")
    func wholeAnswer() {
        var filter = OSCReplyFilter(awaiting: true)
        let (keys, reply) = filter.filter([.char("j")] + answer + [.char("k")])
        #expect(keys == [.char("j"), .char("k")])
        #expect(reply == "11;rgb:ffff/ffff/ffff")
        #expect(!filter.awaiting)
        // Afterwards every key passes, Escape included.
        #expect(filter.filter([.escape]).keys == [.escape])
    }

    @Test("an answer cut in two, ST-terminated")
    func splitAnswer() {
        var filter = OSCReplyFilter(awaiting: true)
        let st: [Key] = [.escape, .char("]")] + "11;rgb:0000/0000/0000".map { Key.char($0) } + [.escape, .char("\\")]
        let first = filter.filter(Array(st[..<1]))
        #expect(first.keys.isEmpty && first.reply == nil && filter.isHolding)
        let second = filter.filter(Array(st[1...]))
        #expect(second.keys.isEmpty && second.reply == "11;rgb:0000/0000/0000")
    }

    @Test("a real Escape is held only until nothing follows, then delivered; Esc + key passes at once")
    func realEscape() {
        var filter = OSCReplyFilter(awaiting: true)
        #expect(filter.filter([.escape]).keys.isEmpty)
        #expect(filter.flush() == [.escape])
        #expect(!filter.isHolding)
        #expect(filter.filter([.escape, .char("q")]).keys == [.escape, .char("q")])
        var held = OSCReplyFilter(awaiting: true)
        _ = held.filter([.escape])
        #expect(held.filter([.char("x")]).keys == [.escape, .char("x")])
    }
}

@Suite("Something that only looks like an answer")
struct OSCReplyFilterGarbageTests {
    @Test("ESC ] and garbage swallow at most the next read: Escape works again after it")
    func garbageEnds() {
        var filter = OSCReplyFilter(awaiting: true)
        _ = filter.filter([.escape, .char("]")] + Array(repeating: .char("x"), count: 10))
        _ = filter.filter([.char("y")])                   // the one read an answer may continue into
        #expect(filter.filter([.escape, .char("q")]).keys == [.escape, .char("q")])
        var esc = OSCReplyFilter(awaiting: true)
        _ = esc.filter([.escape, .char("]"), .char("x")])
        #expect(esc.filter([.escape, .escape]).keys == [.escape], "ESC ESC inside: the second is a key")
    }
}
