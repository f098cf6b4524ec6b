import FoundationEssentials
import PodAPI

/// A titled, scrollable block of lines (clamped at both ends).
enum ScrollText {
    static func draw(title: String, _ lines: [(String, Style)], scroll: ScrollOffset, into screen: inout Screen, top: Int, bottom: Int) {
        let w = screen.size.width
        screen.put(" " + title, row: top, col: 0, style: Style(color: .accent, bold: true), maxWidth: w)
        let rows = max(0, bottom - top - 1)
        let first = scroll.first(maxScroll: lines.count - rows)
        for (i, line) in lines.dropFirst(first).prefix(rows).enumerated() {
            screen.put(" " + line.0, row: top + 1 + i, col: 0, style: line.1, maxWidth: w)
        }
        if first > 0 { screen.put("↑", row: top + 1, col: w - 1, style: Style(color: .accent, bold: true)) }
        if first + rows < lines.count { screen.put("↓", row: bottom - 1, col: w - 1, style: Style(color: .accent, bold: true)) }
    }
}
