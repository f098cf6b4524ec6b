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
