/// Any JSON value, read without a schema: the simulator checks request bodies the way a
/// server does, field by field, rather than through the client's typed models.
enum SimJSON: Decodable, Sendable, Equatable {
    case null
    case bool(Bool)
    /// A number without a fraction or exponent that fits an Int64.
    case integer(Int64)
    case number(Double)
    case string(String)
    case array([SimJSON])
    case object([String: SimJSON])

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let v = try? c.decode(Bool.self) { self = .bool(v) }
        else if let v = try? c.decode(Int64.self) { self = .integer(v) }
        else if let v = try? c.decode(Double.self) { self = .number(v) }
        else if let v = try? c.decode(String.self) { self = .string(v) }
        else if let v = try? c.decode([SimJSON].self) { self = .array(v) }
        else { self = .object(try c.decode([String: SimJSON].self)) }
    }

    subscript(key: String) -> SimJSON? {
        if case .object(let fields) = self, let value = fields[key], value != .null { return value }
        return nil
    }

    var string: String? { if case .string(let v) = self { return v } else { return nil } }

    /// An integer: a JSON integer, a whole double, or (as Spring's Jackson accepts) a string of digits.
    var integer: Int64? {
        switch self {
        case .integer(let v): return v
        case .number(let v) where v.rounded() == v && abs(v) < 9e15: return Int64(v)
        case .string(let s): return Int64(s)
        default: return nil
        }
    }

    var bool: Bool? { if case .bool(let v) = self { return v } else { return nil } }
    var array: [SimJSON]? { if case .array(let v) = self { return v } else { return nil } }
}
