/// A grid of styled cells: what `render` produces and the backend draws. Pure and
/// Equatable, so tests compare screens without a terminal.
public struct Screen: Sendable, Equatable {
    public let size: Size
    public private(set) var cells: [Cell]
    /// Spans that are OSC 8 hyperlinks (the terminal backend writes them around the text).
    public private(set) var links: [Link] = []

    /// A span of one row that links to `url`.
    public struct Link: Sendable, Hashable {
        public var row: Int
        public var col: Int
        public var width: Int
        public var url: String
    }

    /// Makes `width` columns from (row, col) a hyperlink to `url`, when the URL is a plain
    /// http(s) address (anything else, hostile text included, is never written raw).
    public mutating func addLink(_ url: String, row: Int, col: Int, width: Int) {
        guard row >= 0, row < size.height, col >= 0, col < size.width, width > 0, Self.isSafeURL(url) else { return }
        links.append(Link(row: row, col: col, width: min(width, size.width - col), url: url))
    }

    /// The one rule for a URL podtui hands on (opened, copied or linked): `Endpoints.isSafeURL`.
    static func isSafeURL(_ url: String) -> Bool { Endpoints.isSafeURL(url) }

    public init(size: Size) {
        self.size = Size(width: max(0, size.width), height: max(0, size.height))
        cells = Array(repeating: .blank, count: self.size.width * self.size.height)
    }

    public subscript(row: Int, col: Int) -> Cell {
        cells[row * size.width + col]
    }

    /// Writes `text` at (row, col), clipped to `maxWidth` columns and the screen edge.
    /// Unsafe characters become `�`; wide characters take two cells and are never split.
    /// - Returns: the column after the last one written.
    @discardableResult
    public mutating func put(_ text: String, row: Int, col: Int, style: Style = .plain, maxWidth: Int? = nil) -> Int {
        guard row >= 0, row < size.height, col < size.width else { return col }
        let limit = min(size.width, col + (maxWidth ?? size.width))
        var x = col
        let base = row * size.width
        for scalar in text.unicodeScalars {
            // Printable ASCII, most of every frame: safe, one column, its cell text made once.
            if scalar.value >= 0x20, scalar.value < 0x7F {
                if x + 1 > limit { break }
                if x >= 0 { cells[base + x] = Cell(text: Self.asciiText[Int(scalar.value &- 0x20)], style: style) }
                x += 1
                continue
            }
            let safe = TextSafety.isUnsafe(scalar) ? TextSafety.replacement : scalar
            let w = DisplayWidth.of(safe)
            if w == 0 {
                // Combining mark: attach to the previous cell, if it is on this row.
                if x > col, x - 1 >= 0, x - 1 < size.width {
                    var prev = x - 1
                    if cells[base + prev].text.isEmpty, prev > 0 { prev -= 1 }
                    // A cell holds at most `maxScalarsPerCell` (ncurses keeps no more): a
                    // name of ten thousand combining marks must not grow one cell.
                    if cells[base + prev].text.unicodeScalars.count < Self.maxScalarsPerCell {
                        cells[base + prev].text.unicodeScalars.append(safe)
                    }
                }
                continue
            }
            if x + w > limit { break }
            if x >= 0 {
                cells[base + x] = Cell(text: String(Character(safe)), style: style)
                if w == 2 { cells[base + x + 1] = Cell(text: "", style: style) }
            }
            x += w
        }
        return x
    }

    /// The text of a cell holding printable ASCII `0x20 + i`.
    static let asciiText: [String] = (0x20..<0x7F).map { String(Character(Unicode.Scalar(UInt8($0)))) }

    /// The most scalars one cell keeps: a spacing character and four combining marks, as
    /// ncurses' CCHARW_MAX (5) allows.
    public static let maxScalarsPerCell = 5

    /// Fills a run of cells with spaces in a style.
    public mutating func fill(row: Int, col: Int, width: Int, style: Style) {
        guard row >= 0, row < size.height else { return }
        let start = max(0, col), end = min(size.width, col + width)
        guard start < end else { return }
        for x in start..<end { cells[row * size.width + x] = Cell(text: " ", style: style) }
    }

    /// Changes the style of a run of cells, keeping their text.
    public mutating func restyle(row: Int, col: Int, width: Int, _ change: (inout Style) -> Void) {
        guard row >= 0, row < size.height else { return }
        let start = max(0, col), end = min(size.width, col + width)
        guard start < end else { return }
        for x in start..<end { change(&cells[row * size.width + x].style) }
    }

    /// Rows that differ from `old` (every row when there is no old frame or its size
    /// differs): the terminal backend redraws only these.
    public func changedRows(from old: Screen?) -> [Int] {
        guard let old, old.size == size else { return Array(0..<size.height) }
        let w = size.width
        let linkRows = Set(links.map(\.row)).symmetricDifference(Set(old.links.map(\.row)))
            .union(Set(links.filter { !old.links.contains($0) }.map(\.row)))
        return (0..<size.height).filter { row in
            let range = (row * w)..<(row * w + w)
            return cells[range] != old.cells[range] || linkRows.contains(row)
        }
    }

    /// The text of each row, trailing spaces removed (for snapshot tests).
    public var lines: [String] {
        (0..<size.height).map { row in
            var line = ""
            for col in 0..<size.width { line += self[row, col].text }
            while line.last == " " { line.removeLast() }
            return line
        }
    }

    /// All rows joined by newlines.
    public var text: String { lines.joined(separator: "\n") }

    /// One character per cell chosen by `f`, rows joined by newlines (style masks in tests).
    public func mask(_ f: (Cell) -> Character) -> String {
        (0..<size.height).map { row in
            String((0..<size.width).map { f(self[row, $0]) })
        }.joined(separator: "\n")
    }
}
