import PodAPI

/// Key names in the config file.
public enum KeyName {
    /// "p", "P", "ctrl-p", "f5", "enter", "esc", "tab", "space", "up", "pgdn", … Nil if unknown.
    public static func parse(_ text: String) -> Key? {
        let t = text.lowercased()
        if text.count == 1, let c = text.first { return c == " " ? .char(" ") : .char(c) }
        if t.hasPrefix("ctrl-"), t.count == 6, let c = t.last, c.isLetter { return .ctrl(c) }
        if t.hasPrefix("f"), let n = Int(t.dropFirst()), (1...24).contains(n) { return .function(n) }
        switch t {
        case "enter", "return": return .enter
        case "esc", "escape": return .escape
        case "tab": return .tab
        case "backtab", "shift-tab": return .backTab
        case "space": return .char(" ")
        case "up": return .up
        case "down": return .down
        case "left": return .left
        case "right": return .right
        case "pgup", "pageup": return .pageUp
        case "pgdn", "pagedown": return .pageDown
        case "home": return .home
        case "end": return .end
        case "backspace": return .backspace
        case "delete", "del": return .delete
        default: return nil
        }
    }
}
