import PodAPI

/// A bordered box centred on the screen.
enum Box {
    /// Draws a box of at most `width`×`height` and returns its inner origin and size.
    static func draw(title: String, width: Int, height: Int, into screen: inout Screen, style: Style = Style(color: .accent)) -> (row: Int, col: Int, width: Int, height: Int) {
        let w = min(width, screen.size.width)
        let h = min(height, screen.size.height)
        let top = max(0, (screen.size.height - h) / 2)
        let left = max(0, (screen.size.width - w) / 2)
        for row in top..<(top + h) { screen.fill(row: row, col: left, width: w, style: .plain) }
        let inner = max(0, w - 2)
        screen.put("┌" + String(repeating: "─", count: inner) + "┐", row: top, col: left, style: style)
        for row in (top + 1)..<max(top + 1, top + h - 1) {
            screen.put("│", row: row, col: left, style: style)
            screen.put("│", row: row, col: left + w - 1, style: style)
        }
        screen.put("└" + String(repeating: "─", count: inner) + "┘", row: top + h - 1, col: left, style: style)
        screen.put(" " + title + " ", row: top, col: left + 2, style: Style(color: style.color, bold: true), maxWidth: max(0, w - 4))
        return (top + 1, left + 2, max(0, w - 4), max(0, h - 2))
    }
}
