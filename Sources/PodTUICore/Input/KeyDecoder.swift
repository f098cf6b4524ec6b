/// Maps a character from the terminal to a `Key` (control characters to their names).
public enum KeyDecoder {
    public static func key(forScalar value: UInt32) -> Key {
        switch value {
        case 9: return .tab
        case 10, 13: return .enter
        case 27: return .escape
        case 8, 127: return .backspace
        case 0: return .ctrl("@")
        case 1...26:
            return .ctrl(Character(Unicode.Scalar(UInt8(value) + 96)))
        case 28...31: return .unknown(Int(value))
        default:
            guard let scalar = Unicode.Scalar(value) else { return .unknown(Int(value)) }
            if TextSafety.isUnsafe(scalar) { return .unknown(Int(value)) }
            return .char(Character(scalar))
        }
    }

    /// Sequences no terminfo entry names that podtui teaches curses (`define_key`), each with
    /// the key code curses then returns: the focus reports of xterm's mode 1004, which xterm,
    /// VTE, kitty, iTerm2, WezTerm, Windows Terminal and tmux send once asked. Codes lie past
    /// curses' own (`KEY_MAX` is 0777), in a block of podtui's.
    public static let definedSequences: [(bytes: String, code: Int)] = [
        ("\u{1B}[I", focusInCode),
        ("\u{1B}[O", focusOutCode),
    ]
    /// The key code curses returns for `CSI I` (focus in).
    public static let focusInCode = 0x2001
    /// The key code curses returns for `CSI O` (focus out).
    public static let focusOutCode = 0x2002

    /// The key a code from `definedSequences` stands for; nil for any other code.
    public static func key(forDefinedCode code: Int) -> Key? {
        switch code {
        case focusInCode: return .focusIn
        case focusOutCode: return .focusOut
        default: return nil
        }
    }

    /// The key a whole escape sequence stands for, when it is one of `definedSequences`
    /// (what curses does with them, for tests and for input read without curses).
    public static func key(forSequence bytes: some Sequence<UInt8>) -> Key? {
        let text = Array(bytes)
        guard let match = definedSequences.first(where: { Array($0.bytes.utf8) == text }) else { return nil }
        return key(forDefinedCode: match.code)
    }
}
