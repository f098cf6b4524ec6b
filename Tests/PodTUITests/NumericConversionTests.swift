import Foundation
import Testing

/// The whole class of "a number from outside traps": `Int(someDouble)` traps on NaN, on
/// infinity and beyond ±2^63, so no source of the podtui binary may convert a floating-point
/// expression with the plain initializers. They use `Int(checked:)` (nil when absurd) or
/// `Int(saturating:)` (clamped) from PodAPI's `Plausible.swift`, or `Int(exactly:)`.
///
/// Read on the source, as LayeringTests does: an expression is taken as floating-point
/// when it names something that only a Double has here (`rounded`, `timeIntervalSince…`,
/// `Double(`, a literal with a decimal point or exponent, `* 1000`, `/ 1024`). The check is
/// a net, not a proof; the property tests in HostileNumberTests are the proof.
@Suite("Numeric conversions")
struct NumericConversionTests {
    static let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Sources")

    /// The targets linked into the podtui binary (the simulator may trap on its own data).
    static let targets = ["PodAPI", "PodClient", "PodFiles", "PodLocal", "PodLocalFiles", "PodProbe", "PodProbeRunner",
                          "PodTUICore", "PodTUI", "PodWatch", "PodWatchRunner", "PodCLI"]

    /// A plain integer initializer whose argument looks floating-point.
    static let pattern = try! NSRegularExpression(pattern:
        #"\b(U?Int(8|16|32|64)?)\((?!checked:|saturating:|exactly:|clamping:|truncatingIfNeeded:|bitPattern:|ascii:|"#
        + #"radix:|describing:)((?:[^()\n]|\((?:[^()\n]|\([^()\n]*\))*\))*)\)"#)
    static let floaty = try! NSRegularExpression(pattern:
        #"rounded|timeInterval|Double\(|\d\.\d|\de\d|\* ?1000\b|/ ?1024\b|seconds|minutes|\bwait\b|\blimit\b|\bpoll\b|\bevery\b|\bdeadline\b"#)

    func swiftFiles() throws -> [(String, String)] {
        var out: [(String, String)] = []
        for target in Self.targets {
            let dir = Self.sources.appendingPathComponent(target)
            guard let walker = FileManager.default.enumerator(atPath: dir.path) else { continue }
            for case let name as String in walker where name.hasSuffix(".swift") {
                out.append(("\(target)/\(name)", try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8)))
            }
        }
        return out
    }

    @Test("no plain Int(…) of a floating-point expression in the podtui binary")
    func noPlainConversions() throws {
        let files = try swiftFiles()
        #expect(files.count > 100)
        var found: [String] = []
        for (path, text) in files {
            for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let code = String(line.split(separator: "//", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
                let range = NSRange(code.startIndex..., in: code)
                for match in Self.pattern.matches(in: code, range: range) {
                    guard let argument = Range(match.range(at: 3), in: code).map({ String(code[$0]) }) else { continue }
                    if Self.floaty.firstMatch(in: argument, range: NSRange(argument.startIndex..., in: argument)) != nil {
                        found.append("\(path):\(number + 1): \(code.trimmingCharacters(in: .whitespaces))")
                    }
                }
            }
        }
        #expect(found.isEmpty, "unchecked conversions:\n\(found.joined(separator: "\n"))")
    }

    @Test("the check finds what it is for")
    func selfTest() {
        for bad in ["let s = Int(x.rounded())", "Int64((date.timeIntervalSince1970 * 1000).rounded())", "Int32(Double(n))",
                    "String(Int(g.rounded()))"] {
            let range = NSRange(bad.startIndex..., in: bad)
            let hit = Self.pattern.matches(in: bad, range: range).contains { m in
                Range(m.range(at: 3), in: bad).map { Self.floaty.firstMatch(in: String(bad[$0]), range: NSRange(location: 0, length: bad[$0].utf16.count)) != nil } ?? false
            }
            #expect(hit, "\(bad)")
        }
        for good in ["Int(checked: x.rounded())", "Int64(saturating: seconds * 1000)", "Int(text)", "Int(exactly: 1.5)"] {
            let range = NSRange(good.startIndex..., in: good)
            let hit = Self.pattern.matches(in: good, range: range).contains { m in
                Range(m.range(at: 3), in: good).map { Self.floaty.firstMatch(in: String(good[$0]), range: NSRange(location: 0, length: good[$0].utf16.count)) != nil } ?? false
            }
            #expect(!hit, "\(good)")
        }
    }
}
