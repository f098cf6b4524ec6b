import CYAML

/// Reads a YAML document into `ConfigValue`s with libyaml's event parser, keeping the line of
/// every key (by dotted path) so that a problem can name it.
///
/// Aliases are refused (a settings file has no use for them, and they are how YAML bombs
/// work); duplicate keys are refused, as a typo that silently overrides is worse than an error.
public enum YAMLReader {
    /// A problem with its 1-based line.
    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        public var line: Int
        public var message: String
        public init(line: Int, message: String) { self.line = line; self.message = message }
        public var description: String { "line \(line): \(message)" }
    }

    /// The root mapping of `text` (an empty document is an empty mapping).
    public static func parse(_ text: String, lines: inout [String: Int]) throws(ParseError) -> [String: ConfigValue] {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { throw ParseError(line: 1, message: "the YAML parser could not start") }
        defer { yaml_parser_delete(&parser) }
        let bytes = Array(text.utf8)
        return try bytes.withUnsafeBufferPointer { buffer throws(ParseError) -> [String: ConfigValue] in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            var reader = EventReader(parser: &parser)
            let root = try reader.document(lines: &lines)
            switch root {
            case nil: return [:]
            case .table(let table)?: return table
            case let other?: throw ParseError(line: 1, message: "the file must be a mapping of settings (key: value), not \(other.typeName)")
            }
        }
    }

    /// Pulls events one at a time; each node reader consumes exactly its node.
    struct EventReader: ~Copyable {
        let parser: UnsafeMutablePointer<yaml_parser_t>

        init(parser: UnsafeMutablePointer<yaml_parser_t>) { self.parser = parser }

        /// The next event's type, value and line, copied out before the event is freed.
        struct Event {
            var type: yaml_event_type_t
            var scalar: String = ""
            var plain = false
            var line: Int
        }

        mutating func next() throws(ParseError) -> Event {
            var event = yaml_event_t()
            guard yaml_parser_parse(parser, &event) == 1 else {
                let problem = parser.pointee.problem.map { String(cString: $0) } ?? "not valid YAML"
                let context = parser.pointee.context.map { String(cString: $0) + ", " } ?? ""
                throw ParseError(line: Int(parser.pointee.problem_mark.line) + 1, message: context + problem)
            }
            defer { yaml_event_delete(&event) }
            var out = Event(type: event.type, line: Int(event.start_mark.line) + 1)
            if event.type == YAML_SCALAR_EVENT {
                let scalar = event.data.scalar
                out.scalar = scalar.value.map { String(decoding: UnsafeBufferPointer(start: $0, count: scalar.length), as: UTF8.self) } ?? ""
                out.plain = scalar.style == YAML_PLAIN_SCALAR_STYLE
            }
            return out
        }

        mutating func document(lines: inout [String: Int]) throws(ParseError) -> ConfigValue? {
            var event = try next()
            guard event.type == YAML_STREAM_START_EVENT else { throw ParseError(line: event.line, message: "not a YAML stream") }
            event = try next()
            if event.type == YAML_STREAM_END_EVENT { return nil }
            guard event.type == YAML_DOCUMENT_START_EVENT else { throw ParseError(line: event.line, message: "expected a document") }
            let root = try node(try next(), path: "", lines: &lines)
            event = try next()
            guard event.type == YAML_DOCUMENT_END_EVENT else { throw ParseError(line: event.line, message: "expected the end of the document") }
            event = try next()
            guard event.type == YAML_STREAM_END_EVENT else {
                throw ParseError(line: event.line, message: "more than one document (---); put every setting in one")
            }
            return root
        }

        mutating func node(_ event: Event, path: String, lines: inout [String: Int]) throws(ParseError) -> ConfigValue {
            switch event.type {
            case YAML_SCALAR_EVENT:
                return event.plain ? YAMLReader.resolve(event.scalar) : .string(event.scalar)
            case YAML_SEQUENCE_START_EVENT:
                var items: [ConfigValue] = []
                while true {
                    let item = try next()
                    if item.type == YAML_SEQUENCE_END_EVENT { return .array(items) }
                    items.append(try node(item, path: path + "[\(items.count)]", lines: &lines))
                }
            case YAML_MAPPING_START_EVENT:
                var table: [String: ConfigValue] = [:]
                while true {
                    let keyEvent = try next()
                    if keyEvent.type == YAML_MAPPING_END_EVENT { return .table(table) }
                    guard keyEvent.type == YAML_SCALAR_EVENT else {
                        throw ParseError(line: keyEvent.line, message: "a key must be a plain word, not a list or mapping")
                    }
                    let key = keyEvent.scalar
                    let keyPath = path.isEmpty ? key : path + "." + key
                    guard table[key] == nil else { throw ParseError(line: keyEvent.line, message: "\(keyPath) is set twice") }
                    lines[keyPath] = keyEvent.line
                    table[key] = try node(try next(), path: keyPath, lines: &lines)
                }
            case YAML_ALIAS_EVENT:
                throw ParseError(line: event.line, message: "aliases (*name) are not supported in podtui's settings")
            default:
                throw ParseError(line: event.line, message: "unexpected YAML structure")
            }
        }
    }

    /// YAML 1.2 core schema for a plain scalar.
    static func resolve(_ text: String) -> ConfigValue {
        switch text {
        case "", "~", "null", "Null", "NULL": return .null
        case "true", "True", "TRUE": return .bool(true)
        case "false", "False", "FALSE": return .bool(false)
        default: break
        }
        if let int = Int(text) { return .integer(int) }
        if text.hasPrefix("0x"), let int = Int(text.dropFirst(2), radix: 16) { return .integer(int) }
        if text.hasPrefix("0o"), let int = Int(text.dropFirst(2), radix: 8) { return .integer(int) }
        if text.first.map({ $0.isNumber || $0 == "-" || $0 == "+" || $0 == "." }) == true, let double = Double(text), double.isFinite {
            return .float(double)
        }
        return .string(text)
    }
}
