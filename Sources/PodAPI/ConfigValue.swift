/// A value of podtui's settings file, whatever format wrote it: YAML mappings become
/// tables, sequences lists, and plain scalars are resolved by YAML 1.2's core schema
/// (`true`/`false`, integers, floats; quoted scalars stay strings).
public indirect enum ConfigValue: Sendable, Equatable {
    case string(String)
    case integer(Int)
    case float(Double)
    case bool(Bool)
    case null
    case array([ConfigValue])
    case table([String: ConfigValue])

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
    public var array: [ConfigValue]? { if case .array(let a) = self { a } else { nil } }
    public var table: [String: ConfigValue]? { if case .table(let t) = self { t } else { nil } }

    /// The value's type, for error messages.
    public var typeName: String {
        switch self {
        case .string: "a string"
        case .integer: "an integer"
        case .float: "a number"
        case .bool: "true or false"
        case .null: "empty"
        case .array: "a list"
        case .table: "a mapping"
        }
    }
}
