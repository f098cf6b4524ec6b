import FoundationEssentials
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A reader for the subset of TOML podtui's config file uses: `[table]` and `[a.b]` headers,
/// `key = value` lines, comments, and values that are strings (basic and literal), integers,
/// floats, booleans and one-line arrays of those.
///
/// Written here rather than depended on: the one Swift TOML package available to this project
/// (TOMLKit) pulls in a dependency that cannot be fetched, and the subset is small.
public enum TOMLLite {
    /// A parsed value.
    public indirect enum Value: Sendable, Equatable {
        case string(String)
        case integer(Int)
        case float(Double)
        case bool(Bool)
        case array([Value])
        case table([String: Value])

        public var string: String? { if case .string(let s) = self { s } else { nil } }
        public var integer: Int? { if case .integer(let i) = self { i } else { nil } }
        public var number: Double? {
            switch self {
            case .integer(let i): Double(i)
            case .float(let d): d
            default: nil
            }
        }
        public var bool: Bool? { if case .bool(let b) = self { b } else { nil } }
        public var array: [Value]? { if case .array(let a) = self { a } else { nil } }
        public var table: [String: Value]? { if case .table(let t) = self { t } else { nil } }

        /// The value's type, for error messages.
        public var typeName: String {
            switch self {
            case .string: "a string"
            case .integer: "an integer"
            case .float: "a number"
            case .bool: "true or false"
            case .array: "a list"
            case .table: "a table"
            }
        }
    }

    /// A syntax error with its 1-based line.
    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        public var line: Int
        public var message: String
        public var description: String { "line \(line): \(message)" }
    }

    /// Parses a whole document into its root table.
    public static func parse(_ text: String) throws(ParseError) -> [String: Value] {
        var lines: [String: Int] = [:]
        return try parse(text, lines: &lines)
    }

    /// Parses, and records the 1-based line of every key by its dotted path (`ui.theme`),
    /// so later checks can name the line of a bad value.
    public static func parse(_ text: String, lines: inout [String: Int]) throws(ParseError) -> [String: Value] {
        var root: [String: Value] = [:]
        var current: [String] = []
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let lineNo = index + 1
            var scanner = Scanner(Array(rawLine.unicodeScalars), line: lineNo)
            scanner.skipSpaces()
            if scanner.atEndOrComment { continue }
            if scanner.peek == "[" {
                scanner.advance()
                if scanner.peek == "[" { throw ParseError(line: lineNo, message: "arrays of tables ([[…]]) are not supported") }
                let path = try scanner.keyPath(until: "]")
                scanner.skipSpaces()
                guard scanner.atEndOrComment else { throw ParseError(line: lineNo, message: "unexpected text after table header") }
                current = path
                try ensureTable(&root, path: path, line: lineNo)
                continue
            }
            let key = try scanner.keyPath(until: "=")
            scanner.skipSpaces()
            let value = try scanner.value()
            scanner.skipSpaces()
            guard scanner.atEndOrComment else { throw ParseError(line: lineNo, message: "unexpected text after the value of \(key.joined(separator: "."))") }
            try insert(&root, path: current + key, value: value, line: lineNo)
            lines[(current + key).joined(separator: ".")] = lineNo
        }
        return root
    }

    private static func ensureTable(_ table: inout [String: Value], path: [String], line: Int) throws(ParseError) {
        guard let first = path.first else { return }
        var child: [String: Value]
        switch table[first] {
        case nil: child = [:]
        case .table(let t)?: child = t
        case let other?: throw ParseError(line: line, message: "\(first) is already \(other.typeName), not a table")
        }
        try ensureTable(&child, path: Array(path.dropFirst()), line: line)
        table[first] = .table(child)
    }

    private static func insert(_ table: inout [String: Value], path: [String], value: Value, line: Int) throws(ParseError) {
        guard let first = path.first else { return }
        if path.count == 1 {
            if table[first] != nil { throw ParseError(line: line, message: "\(first) is set twice") }
            table[first] = value
            return
        }
        var child: [String: Value]
        switch table[first] {
        case nil: child = [:]
        case .table(let t)?: child = t
        case let other?: throw ParseError(line: line, message: "\(first) is already \(other.typeName), not a table")
        }
        try insert(&child, path: Array(path.dropFirst()), value: value, line: line)
        table[first] = .table(child)
    }

    private struct Scanner {
        let chars: [Unicode.Scalar]
        var pos = 0
        let line: Int
        init(_ chars: [Unicode.Scalar], line: Int) { self.chars = chars; self.line = line }

        var peek: Unicode.Scalar? { pos < chars.count ? chars[pos] : nil }
        var atEndOrComment: Bool { peek == nil || peek == "#" || peek == "\r" }
        mutating func advance() { pos += 1 }
        mutating func skipSpaces() { while let c = peek, c == " " || c == "\t" { pos += 1 } }
        func fail(_ message: String) -> ParseError { ParseError(line: line, message: message) }

        mutating func keyPath(until terminator: Unicode.Scalar) throws(ParseError) -> [String] {
            var parts: [String] = []
            while true {
                skipSpaces()
                var key = ""
                if peek == "\"" { key = try basicString() }
                else {
                    while let c = peek, c.properties.isAlphabetic || ("0"..."9").contains(c) || c == "_" || c == "-" {
                        key.unicodeScalars.append(c); pos += 1
                    }
                }
                guard !key.isEmpty else { throw fail("expected a key") }
                parts.append(key)
                skipSpaces()
                if peek == "." { pos += 1; continue }
                guard peek == terminator else { throw fail("expected '\(terminator)' after \(parts.joined(separator: "."))") }
                pos += 1
                return parts
            }
        }

        mutating func value() throws(ParseError) -> Value {
            guard let c = peek else { throw fail("missing value") }
            switch c {
            case "\"": return .string(try basicString())
            case "'":
                pos += 1
                var s = ""
                while let ch = peek, ch != "'" { s.unicodeScalars.append(ch); pos += 1 }
                guard peek == "'" else { throw fail("unterminated string") }
                pos += 1
                return .string(s)
            case "[":
                pos += 1
                var items: [Value] = []
                while true {
                    skipSpaces()
                    if peek == "]" { pos += 1; return .array(items) }
                    items.append(try value())
                    skipSpaces()
                    if peek == "," { pos += 1; continue }
                    guard peek == "]" else { throw fail("expected ',' or ']' in list") }
                }
            default:
                var word = ""
                while let ch = peek, ch != " ", ch != "\t", ch != ",", ch != "]", ch != "#", ch != "\r" {
                    word.unicodeScalars.append(ch); pos += 1
                }
                if word == "true" { return .bool(true) }
                if word == "false" { return .bool(false) }
                let digits = word.replacing("_", with: "")
                if let i = Int(digits) { return .integer(i) }
                if let d = Double(digits) { return .float(d) }
                // The value is not echoed: an unquoted api_key would otherwise reach the screen and log.
                throw fail(word.isEmpty ? "missing value" : "cannot read the value (strings need quotes)")
            }
        }

        mutating func basicString() throws(ParseError) -> String {
            pos += 1
            var s = ""
            while let c = peek, c != "\"" {
                pos += 1
                if c == "\\" {
                    guard let e = peek else { break }
                    pos += 1
                    switch e {
                    case "n": s += "\n"
                    case "t": s += "\t"
                    case "\\": s += "\\"
                    case "\"": s += "\""
                    default: throw fail("unknown escape \\\(e)")
                    }
                } else {
                    s.unicodeScalars.append(c)
                }
            }
            guard peek == "\"" else { throw fail("unterminated string") }
            pos += 1
            return s
        }
    }
}
