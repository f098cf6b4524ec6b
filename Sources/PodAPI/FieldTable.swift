/// The fields of one JSON object type, found by the raw bytes of a key. The list fast path
/// matches each member's key here without making a `String` of it or hashing it: a first
/// reply of 10,000 pods has 300,000 keys, and turning each into a `String`, then a
/// `CodingKeys` case, then a bit of the duplicate check, was 15 % of decoding it.
///
/// Built from the type's `CodingKeys`, so the fast path reads the names the `Decodable` path
/// reads, and each field's bit in the duplicate check is its place in `allCases`.
struct FieldTable<Field: CodingKey & CaseIterable & Sendable>: Sendable {
    /// A field, its JSON name's bytes, and its bit.
    struct Entry: Sendable {
        let name: [UInt8]
        let field: Field
        let bit: UInt64
    }

    /// The entries by the length of their name (a handful per length).
    private let byLength: [[Entry]]

    init() {
        var table: [[Entry]] = []
        for (index, field) in Field.allCases.enumerated() {
            let name = Array(field.stringValue.utf8)
            while table.count <= name.count { table.append([]) }
            // Past 64 fields the duplicate check would need a wider set; `FastPathTests`
            // fails first. A zero bit only stops that field's duplicates being refused.
            table[name.count].append(Entry(name: name, field: field, bit: index < 64 ? 1 << UInt64(index) : 0))
        }
        byLength = table
    }

    /// The JSON names it knows.
    var names: [String] { byLength.flatMap { $0.map { String(decoding: $0.name, as: UTF8.self) } } }

    /// The field `key` names and its bit, or nil for a name the type does not have.
    func find(_ key: UnsafeBufferPointer<UInt8>.SubSequence) -> (field: Field, bit: UInt64)? {
        guard key.count < byLength.count else { return nil }
        for entry in byLength[key.count] where Self.same(entry.name, key) {
            return (entry.field, entry.bit)
        }
        return nil
    }

    /// Whether `key` holds exactly `name`'s bytes (the lengths are equal).
    private static func same(_ name: [UInt8], _ key: UnsafeBufferPointer<UInt8>.SubSequence) -> Bool {
        var i = key.startIndex
        for byte in name {
            guard key[i] == byte else { return false }
            i += 1
        }
        return true
    }
}
