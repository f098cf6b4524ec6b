import Foundation
import Testing
import PodLocal
import PodSim

/// `LedgerLine.text` writes its JSON by hand (a first reply writes a line per pod). It must be
/// byte for byte what `JSONEncoder` with sorted keys writes (the file's format before it, and
/// the oracle here), read back as the same line, and never longer than `estimatedSize`.
@Suite("Ledger lines as text")
struct LedgerTextTests {
    static func encoded(_ line: LedgerLine) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(line)).map { String(decoding: $0, as: UTF8.self) } ?? "(not encoded)"
    }

    @Test("every kind of line, every odd character and number: what JSONEncoder writes")
    func matchesJSONEncoder() throws {
        var rng = SeededRandom(seed: 0x1ED6E5)
        // Each control character, the escaped ones, quotes, slashes, non-ASCII of each length.
        let alphabet: [String] = (0..<0x20).map { String(UnicodeScalar(UInt8($0))) }
            + ["\"", "\\", "/", "a", "Z", " ", "~", "\u{7F}", "é", "☃", "😀", "\u{2028}", "\u{FEFF}", "e\u{301}"]
        let prices: [Double?] = [nil, 0, -0.0, 1, 2.25, 2.4, 0.1 + 0.2, 1e-7, 123_456_789.123, 1e16, 1e300, -5, .nan, .infinity, 5e-324]
        let numbers: [Int64] = [0, 1, -1, 1_800_000_000_000, Int64.max, Int64.min, 42]
        func text() -> String {
            (0..<Int.random(in: 0...12, using: &rng)).map { _ in alphabet.randomElement(using: &rng) ?? "" }.joined()
        }
        func number() -> Int64 { numbers.randomElement(using: &rng) ?? 0 }
        var lines: [LedgerLine] = []
        for _ in 0..<3_000 {
            let price = prices.randomElement(using: &rng) ?? nil
            let name: String? = Bool.random(using: &rng) ? nil : text()
            switch Int.random(in: 0..<3, using: &rng) {
            case 0:
                lines.append(.edge(session: text(), id: number(), name: name, status: text(), at: number(), price: price,
                                   created: Bool.random(using: &rng) ? nil : number()))
            case 1:
                lines.append(.alive(session: text(), at: number()))
            default:
                lines.append(.span(id: number(), name: name, from: number(), to: number(), price: price, first: number(),
                                   complete: Bool.random(using: &rng)))
            }
        }
        for line in lines {
            let written = line.text
            #expect(written == Self.encoded(line), "\(line)")
            #expect(line.estimatedSize >= written.utf8.count, "\(written)")
        }
    }

    @Test("a written line reads back as itself (a price that is not finite is left out)")
    func roundTrip() throws {
        let lines: [LedgerLine] = [
            .edge(session: "a1b2-r2", id: 362_740_422_811_062_999, name: "llama \"ft\" / 7\u{1}\n é ☃", status: "RUNNING",
                  at: 1_800_000_000_000, price: 2.4, created: 1_799_000_000_000),
            .alive(session: "s", at: 0),
            .span(id: 7, name: nil, from: 1, to: 2_000, price: 0.5, first: 1, complete: false),
        ]
        for line in lines {
            #expect(try JSONDecoder().decode(LedgerLine.self, from: Data(line.text.utf8)) == line)
        }
        let unpriced = LedgerLine.edge(session: "s", id: 1, name: nil, status: "RUNNING", at: 1, price: .nan, created: nil)
        #expect(!unpriced.text.contains("price"))
    }
}
