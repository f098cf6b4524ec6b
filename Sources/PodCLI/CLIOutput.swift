import FoundationEssentials
import Libc
import PodAPI
import PodTUICore

/// Output helpers: tables that fit the terminal, JSON with exact ids, one-line errors.
enum CLIOutput {
    /// Terminal width: COLUMNS, else the tty's, else unlimited (piped output is not cut).
    static var width: Int? {
        if let cols = ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init), cols > 0 { return cols }
        var size = winsize()
        if isatty(STDOUT_FILENO) == 1, ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        return nil
    }

    static func print(_ text: String) {
        write(STDOUT_FILENO, text.hasSuffix("\n") ? text : text + "\n")
    }

    static func error(_ text: String) {
        write(STDERR_FILENO, "podtui: " + Secrets.redact(TextSafety.clean(text)) + "\n")
    }

    /// Writes all of `text` to `fd` (a short write or EINTR is resumed; a closed pipe ends
    /// it quietly, SIGPIPE being ignored).
    static func write(_ fd: Int32, _ text: String) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let n = bytes.withUnsafeBytes { Libc.write(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return }
            bytes = bytes.dropFirst(n)
        }
    }

    static func json<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return escapingUnsafe(String(decoding: try encoder.encode(value), as: UTF8.self))
    }

    /// JSON text with every scalar a terminal may act on written as a `\uXXXX` escape:
    /// JSONEncoder escapes C0 but leaves DEL, the C1 controls (U+009B is an 8-bit CSI), the
    /// bidi controls and U+2028/2029 as they are, and `-o json` is often read on a terminal.
    /// Such scalars can only stand inside JSON strings, where the escape means the same.
    static func escapingUnsafe(_ json: String) -> String {
        guard json.unicodeScalars.contains(where: TextSafety.isUnsafe) else { return json }
        var out = String.UnicodeScalarView()
        for scalar in json.unicodeScalars {
            guard TextSafety.isUnsafe(scalar), scalar.value >= 0x20 else { out.append(scalar); continue }
            let hex = String(scalar.value, radix: 16, uppercase: false)
            out.append(contentsOf: ("\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex).unicodeScalars)
        }
        return String(out)
    }

    /// A column of a table: header, how to get the cell, whether it may shrink.
    struct Column {
        var header: String
        var alignRight = false
        var flexible = false
        var minWidth = 4
    }

    /// Lays out rows under headers, shrinking flexible columns (and then dropping trailing
    /// columns) until the table fits `width`.
    static func table(_ columns: [Column], _ rows: [[String]], width: Int?) -> String {
        var columns = columns
        var rows = rows.map { $0.map(TextSafety.clean) }
        var widths = columns.indices.map { i in max(DisplayWidth.of(columns[i].header), rows.map { DisplayWidth.of($0[i]) }.max() ?? 0) }
        if let width {
            func total() -> Int { widths.reduce(0, +) + 2 * max(0, widths.count - 1) }
            while total() > width {
                let over = total() - width
                if let i = columns.indices.filter({ columns[$0].flexible && widths[$0] > columns[$0].minWidth }).max(by: { widths[$0] < widths[$1] }) {
                    widths[i] = max(columns[i].minWidth, widths[i] - over)
                } else if columns.count > 1 {
                    columns.removeLast(); widths.removeLast(); rows = rows.map { Array($0.dropLast()) }
                } else { break }
            }
        }
        var lines: [String] = []
        let header = columns.indices.map { DisplayWidth.pad(columns[$0].header, to: widths[$0], alignRight: columns[$0].alignRight) }
        lines.append(header.joined(separator: "  ").trimmingTrailingSpaces())
        for row in rows {
            let cells = columns.indices.map { DisplayWidth.pad(row[$0], to: widths[$0], alignRight: columns[$0].alignRight) }
            lines.append(cells.joined(separator: "  ").trimmingTrailingSpaces())
        }
        return lines.joined(separator: "\n")
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var s = Substring(self)
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
