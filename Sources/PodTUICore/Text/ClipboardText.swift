/// Text for the clipboard (OSC 52), where a paste goes straight into a shell or an editor:
/// no control, DEL, C1, bidi or line/paragraph separator character may reach it raw.
public enum ClipboardText {
    /// `line` with every character `TextSafety.isUnsafe` names written as a JSON `\uXXXX`
    /// escape: inside a JSON string that is the same value, and outside one such a character
    /// cannot appear in JSON at all.
    public static func escaped(_ line: String) -> String {
        guard line.unicodeScalars.contains(where: TextSafety.isUnsafe) else { return line }
        var out = ""
        for scalar in line.unicodeScalars {
            if TextSafety.isUnsafe(scalar) {
                let hex = String(scalar.value, radix: 16, uppercase: false)
                out += "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// True when `text` holds no character `TextSafety.isUnsafe` names.
    public static func isClean(_ text: String) -> Bool {
        !text.unicodeScalars.contains(where: TextSafety.isUnsafe)
    }
}
