/// A key press, decoded from the terminal (or made by a test).
public enum Key: Sendable, Hashable {
    case char(Character)
    case ctrl(Character)
    case up, down, left, right, pageUp, pageDown, home, end
    case enter, escape, tab, backTab, backspace, delete, insert
    case function(Int)
    /// The terminal changed size.
    case resize
    /// A mouse event (only when the mouse is on).
    case mouse(MouseEvent)
    /// The terminal window gained or lost the focus (xterm's focus reports, `CSI I` and
    /// `CSI O`, asked for with mode 1004). Never typed text.
    case focusIn, focusOut
    /// Something the decoder could not name (kept so fuzzing can feed odd input).
    case unknown(Int)

    /// True for a key that types a character (space included).
    public var isPrintable: Bool {
        if case .char = self { return true }
        return false
    }

    /// How the key is written in the footer and help ("↑", "^C", "p").
    public var label: String {
        switch self {
        case .char(" "): "space"
        case .char(let c): String(c)
        case .ctrl(let c): "^" + String(c).uppercased()
        case .up: "↑"
        case .down: "↓"
        case .left: "←"
        case .right: "→"
        case .pageUp: "PgUp"
        case .pageDown: "PgDn"
        case .home: "Home"
        case .end: "End"
        case .enter: "↵"
        case .escape: "Esc"
        case .tab: "Tab"
        case .backTab: "S-Tab"
        case .backspace: "BS"
        case .delete: "Del"
        case .insert: "Ins"
        case .function(let n): "F\(n)"
        case .resize: "resize"
        case .mouse: "mouse"
        case .focusIn: "focus-in"
        case .focusOut: "focus-out"
        case .unknown(let n): "key\(n)"
        }
    }
}
