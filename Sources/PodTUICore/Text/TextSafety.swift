/// Terminal display width and sanitising of text that came from the API.
///
/// Everything a server sends (names, images, ssh commands, env values) passes through
/// `TextSafety.clean` before it is drawn or printed: C0/C1 controls, DEL, and bidirectional
/// overrides are replaced by a visible `�`, so escape sequences, OSC 52 clipboard writes and
/// bells never reach the terminal. Widths are computed here, without the C library's locale
/// dependent `wcwidth`, so render tests give the same answer on every machine.
public enum TextSafety {
    /// The replacement shown for a character that must not reach the terminal.
    public static let replacement: Unicode.Scalar = "\u{FFFD}"

    /// True for scalars that must never be written raw to a terminal.
    @inlinable
    public static func isUnsafe(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        if v < 0x20 || (0x7F...0x9F).contains(v) { return true }            // C0, DEL, C1
        if (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v) { return true } // bidi embeddings/isolates
        if v == 0x200E || v == 0x200F || v == 0x061C { return true }        // bidi marks
        if v == 0x2028 || v == 0x2029 { return true }                       // line/paragraph separators
        return false
    }

    /// The text with every unsafe scalar replaced by `�`. ASCII without controls is returned as is.
    public static func clean(_ text: String) -> String {
        var needsWork = false
        for s in text.unicodeScalars where isUnsafe(s) { needsWork = true; break }
        guard needsWork else { return text }
        var out = String.UnicodeScalarView()
        for s in text.unicodeScalars { out.append(isUnsafe(s) ? replacement : s) }
        return String(out)
    }
}
