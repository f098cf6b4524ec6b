/// JSON exactly as the API sent it, for the raw view (`y`): parsed only far enough to indent
/// it, with every number, string and key kept as its original text (ids above 2^53 and prices
/// are shown digit for digit), and values that look secret masked until revealed.
public indirect enum RawJSON: Sendable, Equatable {
    /// A number, `true`, `false` or `null`, as written.
    case literal(String)
    /// A string, as written (quotes and escapes included).
    case string(String)
    case array([RawJSON])
    /// Members in the order they came.
    case object([(key: String, value: RawJSON)])

    public static func == (a: RawJSON, b: RawJSON) -> Bool {
        switch (a, b) {
        case (.literal(let x), .literal(let y)), (.string(let x), .string(let y)): return x == y
        case (.array(let x), .array(let y)): return x == y
        case (.object(let x), .object(let y)): return x.count == y.count && zip(x, y).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        default: return false
        }
    }

    /// The deepest nesting `parse` accepts. Parsing, rendering, `==` and freeing a value are
    /// recursive: this bound, not whoever called first, keeps a body of `[[[[…` from
    /// overflowing the stack.
    public static let maxDepth = 256
    /// The largest text `parse` reads (one pod's JSON is a few KB).
    public static let maxBytes = 4 << 20

    /// Parses `text`; nil when it is not JSON, is nested deeper than `maxDepth` or is longer
    /// than `maxBytes` (the view then says why).
    public static func parse(_ text: String) -> RawJSON? {
        guard text.utf8.count <= maxBytes else { return nil }
        var parser = Parser(Array(text.unicodeScalars))
        guard let value = parser.value() else { return nil }
        parser.skipSpace()
        return parser.atEnd ? value : nil
    }

    /// The member `key` of an object.
    public subscript(key: String) -> RawJSON? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key == "\"\(key)\"" }?.value
    }

    /// Indented lines; with `mask`, values of environment variables and of keys that look
    /// secret (password, secret, token, key, credential) are replaced by `"••••••"`.
    public func lines(mask: Bool) -> [String] {
        var out: [String] = []
        render(into: &out, indent: 0, prefix: "", suffix: "", mask: mask, secret: false, inEnv: false)
        return out
    }

    static func looksSecret(_ key: String) -> Bool {
        let k = key.lowercased()
        return ["password", "secret", "token", "apikey", "api_key", "credential", "privatekey"].contains { k.contains($0) }
    }

    private func render(into out: inout [String], indent: Int, prefix: String, suffix: String, mask: Bool, secret: Bool, inEnv: Bool) {
        let pad = String(repeating: "  ", count: indent)
        switch self {
        case .literal(let text), .string(let text):
            let shown = mask && secret && text != "null" && text != "\"\"" ? "\"••••••\"" : text
            out.append(pad + prefix + shown + suffix)
        case .array(let items):
            if items.isEmpty { out.append(pad + prefix + "[]" + suffix); return }
            out.append(pad + prefix + "[")
            for (i, item) in items.enumerated() {
                item.render(into: &out, indent: indent + 1, prefix: "", suffix: i < items.count - 1 ? "," : "", mask: mask, secret: secret, inEnv: inEnv)
            }
            out.append(pad + "]" + suffix)
        case .object(let members):
            if members.isEmpty { out.append(pad + prefix + "{}" + suffix); return }
            out.append(pad + prefix + "{")
            for (i, member) in members.enumerated() {
                let name = String(member.key.dropFirst().dropLast())
                let env = name == "environmentVars" || name == "envVars"
                // In an env entry the value is what may be secret; elsewhere, judge by the key.
                let hide = secret || Self.looksSecret(name) || (inEnv && name == "value")
                member.value.render(into: &out, indent: indent + 1, prefix: member.key + ": ", suffix: i < members.count - 1 ? "," : "",
                                    mask: mask, secret: hide, inEnv: env || (inEnv && name != "value"))
            }
            out.append(pad + "}" + suffix)
        }
    }

    private struct Parser {
        let s: [Unicode.Scalar]
        var i = 0
        init(_ s: [Unicode.Scalar]) { self.s = s }
        var atEnd: Bool { i >= s.count }

        mutating func skipSpace() { while i < s.count, [" ", "\n", "\r", "\t"].contains(s[i]) { i += 1 } }

        /// Arrays and objects open around the current position.
        var depth = 0

        mutating func value() -> RawJSON? {
            skipSpace()
            guard i < s.count else { return nil }
            switch s[i] {
            case "{", "[":
                guard depth < RawJSON.maxDepth else { return nil }
                depth += 1
                defer { depth -= 1 }
                return s[i] == "{" ? object() : array()
            case "\"":
                return string().map(RawJSON.string)
            default:
                let start = i
                while i < s.count, !",}] \n\r\t".unicodeScalars.contains(s[i]) { i += 1 }
                guard i > start else { return nil }
                return .literal(String(String.UnicodeScalarView(s[start..<i])))
            }
        }

        mutating func object() -> RawJSON? {
            i += 1
            var members: [(key: String, value: RawJSON)] = []
            skipSpace()
            if i < s.count, s[i] == "}" { i += 1; return .object(members) }
            while true {
                skipSpace()
                guard let key = string(), expect(":"), let v = value() else { return nil }
                members.append((key, v))
                skipSpace()
                if i < s.count, s[i] == "," { i += 1; continue }
                return expect("}") ? .object(members) : nil
            }
        }

        mutating func array() -> RawJSON? {
            i += 1
            var items: [RawJSON] = []
            skipSpace()
            if i < s.count, s[i] == "]" { i += 1; return .array(items) }
            while true {
                guard let v = value() else { return nil }
                items.append(v)
                skipSpace()
                if i < s.count, s[i] == "," { i += 1; continue }
                return expect("]") ? .array(items) : nil
            }
        }

        mutating func string() -> String? {
            guard i < s.count, s[i] == "\"" else { return nil }
            let start = i
            i += 1
            while i < s.count {
                if s[i] == "\\" { i += 2; continue }
                if s[i] == "\"" { i += 1; return String(String.UnicodeScalarView(s[start..<i])) }
                i += 1
            }
            return nil
        }

        mutating func expect(_ c: Unicode.Scalar) -> Bool {
            skipSpace()
            guard i < s.count, s[i] == c else { return false }
            i += 1
            return true
        }
    }
}
