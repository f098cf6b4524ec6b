/// A semantic colour; the terminal backend maps it to what the terminal can show
/// (256 colours, 16, or none with NO_COLOR).
public enum ColorRole: UInt8, Sendable, Hashable, CaseIterable {
    case normal, accent, muted, good, busy, paused, bad, warn, headerBar, selection
}
