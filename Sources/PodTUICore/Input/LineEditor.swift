/// A one-line text editor: the text and a cursor counted in characters (grapheme clusters),
/// so a wide CJK character or an emoji with modifiers moves and deletes as one unit.
public struct LineEditor: Sendable, Equatable {
    public private(set) var text: String
    /// 0 … `text.count`.
    public private(set) var cursor: Int

    public init(_ text: String = "", cursor: Int? = nil) {
        self.text = text
        self.cursor = max(0, min(cursor ?? text.count, text.count))
    }

    /// Applies an editing key. Returns false for keys that are not editing keys (Tab, Enter,
    /// arrows up/down, function keys), so the caller can use them.
    ///
    /// Keys follow readline: ←/→, Home/End and Ctrl-A/Ctrl-E move; Backspace/Delete
    /// remove a character; Ctrl-U clears the field (as the form's one-key clear); Ctrl-K
    /// removes to the end; Ctrl-W removes the word before the cursor.
    public mutating func apply(_ key: Key) -> Bool {
        var chars = Array(text)
        switch key {
        case .char(let c):
            chars.insert(c, at: cursor)
            cursor += 1
        case .left: cursor = max(0, cursor - 1)
        case .right: cursor = min(chars.count, cursor + 1)
        case .home, .ctrl("a"): cursor = 0
        case .end, .ctrl("e"): cursor = chars.count
        case .backspace:
            guard cursor > 0 else { return true }
            chars.remove(at: cursor - 1)
            cursor -= 1
        case .delete, .ctrl("d"):
            guard cursor < chars.count else { return true }
            chars.remove(at: cursor)
        case .ctrl("u"):
            chars.removeAll()
            cursor = 0
        case .ctrl("k"):
            chars.removeSubrange(cursor...)
        case .ctrl("w"):
            var start = cursor
            while start > 0, chars[start - 1].isWhitespace { start -= 1 }
            while start > 0, !chars[start - 1].isWhitespace { start -= 1 }
            chars.removeSubrange(start..<cursor)
            cursor = start
        default:
            return false
        }
        text = String(chars)
        // Inserting a combining mark merges it with the character before it.
        cursor = min(cursor, text.count)
        return true
    }

    /// The part of the text to show in `width` columns so the cursor is visible, and the
    /// cursor's column within it. Wide characters are never split.
    public func visible(width: Int) -> (text: String, cursorColumn: Int) {
        guard width > 1 else { return ("", 0) }
        let chars = Array(text)
        let widths = chars.map { DisplayWidth.of(String($0)) }
        // Start as far left as possible while the cursor (plus one cell for it) fits.
        var start = 0
        var used = widths[0..<cursor].reduce(0, +) + 1
        while used > width, start < cursor {
            used -= widths[start]
            start += 1
        }
        var shown = ""
        var column = 0
        var cursorColumn = 0
        for i in start..<chars.count {
            if i == cursor { cursorColumn = column }
            if column + widths[i] > width { break }
            shown.append(chars[i])
            column += widths[i]
        }
        if cursor == chars.count { cursorColumn = column }
        return (shown, min(cursorColumn, width - 1))
    }
}
