import Foundation

/// The numbers a hostile or broken server may send where podtui expects a count, a size, a
/// price or a timestamp (issue 24's list). With the `absurd=on` quirk every third pod and
/// volume carries one of these in each numeric field, so the client's "an absurd value is
/// unknown for that field, the pod stays listed" rule is tested over real HTTP.
enum AbsurdNumber: Encodable, Sendable {
    case double(Double)
    case int(Int64)
    case text(String)

    /// In the order of the issue: huge, huge negative, beyond Int64, negative, zero,
    /// Int64.max, the non-numbers as strings, and a fraction where a whole number belongs.
    static let all: [AbsurdNumber] = [
        .double(1e300), .double(-1e300), .double(1e19), .int(-1), .int(0), .int(Int64.max),
        .text("NaN"), .text("inf"), .double(1.5),
    ]

    /// The value for field number `field` of the object with id `id`: each field of one
    /// object gets a different value, and each value reaches each field over the fleet.
    static func pick(id: Int64, field: Int) -> AbsurdNumber {
        let n = Int64(all.count)
        let index = Int(((id % n) + n + Int64(field)) % n)
        return all[index]
    }

    /// Whether the object with `id` carries absurd numbers: about every third one (by the
    /// last three digits, which vary across the demo's ids where `id % 3` does not).
    static func carries(_ id: Int64) -> Bool { id % 1000 % 3 == 0 }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .double(let value): try c.encode(value)
        case .int(let value): try c.encode(value)
        case .text(let value): try c.encode(value)
        }
    }
}
