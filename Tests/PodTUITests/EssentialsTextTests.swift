import Foundation
import Testing
import PodAPI
@testable import PodTUICore
@testable import PodTUI

/// The UI process links FoundationEssentials only, so podtui formats dates, numbers and
/// zones itself. Each helper is checked here against full Foundation (which the test
/// process may link) over many inputs, not only a few chosen ones.
@Suite("Formatting without ICU", .serialized)
struct EssentialsTextTests {
    @Test("fixed decimals match printf's %.Nf, for money-sized and odd values")
    func fixed() {
        var rng = SystemRandomNumberGenerator()
        var values: [Double] = [0, -0.0, 0.004, 0.005, 0.015, 1.005, 2.675, 19.2, -3.14159, 99.995, 1e6 + 0.125, 123456789.987]
        for _ in 0..<5000 { values.append(Double(Int.random(in: -10_000_000...10_000_000, using: &rng)) / 1000) }
        for _ in 0..<2000 { values.append(Double.random(in: -1e5...1e5, using: &rng)) }
        for value in values {
            for places in [0, 1, 2] {
                let ours = NumberText.fixed(value, places)
                let printf = String(format: "%.\(places)f", value)
                // printf rounds the binary value half-to-even; ours rounds its decimal scaling
                // half away from zero. They may differ only on an exact tie after scaling.
                if ours != printf {
                    let scaled = abs(value) * pow(10, Double(places))
                    #expect(scaled - scaled.rounded(.down) == 0.5 || (printf.hasPrefix("-0") && !ours.hasPrefix("-")),
                            "\(value) to \(places): ours \(ours), printf \(printf)")
                }
            }
        }
        #expect(NumberText.fixed(.nan, 2) == "nan")
        #expect(NumberText.fixed(-.infinity, 2) == "-inf")
        #expect(NumberText.fixed(1e300, 2) == "1e+300")   // a server's nonsense, shown, not a crash
        #expect(NumberText.fixed(-9.3e18, 0) == "-9.3e+18")
        #expect(NumberText.padded(7, 2) == "07")
        #expect(NumberText.padded(-7, 3) == "-007")
        #expect(NumberText.padded(12345, 2) == "12345")
    }

    @Test("civil dates match Foundation's Gregorian calendar from 1900 to 2200")
    func civil() throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = try #require(TimeZone(identifier: "UTC"))
        var days = -25_567   // 1900-01-01
        while days < 84_000 {
            let date = Date(timeIntervalSince1970: Double(days) * 86_400 + 3723)
            let c = calendar.dateComponents([.year, .month, .day], from: date)
            let ours = CivilDate.civil(fromDays: days)
            #expect(ours.year == c.year && ours.month == c.month && ours.day == c.day, "day \(days)")
            #expect(CivilDate.daysFromEpoch(year: ours.year, month: ours.month, day: ours.day) == days)
            days += 13
        }
    }

    @Test("a zone sampled from Foundation's TimeZone formats every instant as Foundation does", arguments: [
        "Europe/Berlin", "America/New_York", "Asia/Kolkata", "America/St_Johns", "Australia/Lord_Howe", "Pacific/Apia", "UTC",
    ])
    func zones(_ name: String) throws {
        let zone = try #require(TimeZone(identifier: name))
        let start = Date(timeIntervalSince1970: 1_500_000_000), end = Date(timeIntervalSince1970: 1_900_000_000)
        let ours = ZoneOffsets.sampled(from: start, to: end) { zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double($0))) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = zone
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        var t = start.timeIntervalSince1970
        var rng = SystemRandomNumberGenerator()
        while t < end.timeIntervalSince1970 {
            let date = Date(timeIntervalSince1970: t.rounded(.down))
            #expect(Format.dateTime(date, in: ours) == formatter.string(from: date), "\(name) at \(t)")
            t += Double.random(in: 3_000...400_000, using: &rng)
        }
        // Right around each change, too.
        for change in ours.transitions {
            for delta in [-1.0, 0, 1] {
                let date = Date(timeIntervalSince1970: Double(change.at) + delta)
                #expect(Format.dateTime(date, in: ours) == formatter.string(from: date), "\(name) at change \(change.at)\(delta)")
            }
        }
    }

    @Test("the local zone comes from TZ through the C library")
    func localZone() throws {
        let saved = getenv("TZ").map { String(cString: $0) }
        defer { if let saved { setenv("TZ", saved, 1) } else { unsetenv("TZ") }; tzset() }
        setenv("TZ", "America/New_York", 1)
        let now = Date(timeIntervalSince1970: 1_790_000_000)
        let local = LocalZone.current(now: now)
        #expect(local.offset(at: Date(timeIntervalSince1970: 1_783_000_000)) == -4 * 3600)   // July 2026: EDT
        #expect(local.offset(at: Date(timeIntervalSince1970: 1_767_000_000)) == -5 * 3600)   // December 2025: EST
        #expect(local.transitions.count >= 30)
        setenv("TZ", "UTC", 1)
        #expect(LocalZone.current(now: now) == .utc)
    }

    @Test("HTTP dates in all three forms, as Foundation's formatter reads the first")
    func httpDates() throws {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<500 {
            let date = Date(timeIntervalSince1970: Double(Int.random(in: 0...4_000_000_000, using: &rng)))
            let text = formatter.string(from: date)
            #expect(HTTPDate.parse(text) == date, "\(text)")
        }
        let expected = Date(timeIntervalSince1970: 784_111_777)
        #expect(HTTPDate.parse("Sun, 06 Nov 1994 08:49:37 GMT") == expected)
        #expect(HTTPDate.parse("Sunday, 06-Nov-94 08:49:37 GMT") == expected)
        #expect(HTTPDate.parse("Sun Nov  6 08:49:37 1994") == expected)
        for bad in ["", "soon", "Sun, 31 Feb 2026 00:00:00 GMT", "Sun, 06 Nov 1994 25:00:00 GMT", "Sun, 06 Nov 1994 08:49:37 CET"] {
            #expect(HTTPDate.parse(bad) == nil, "\(bad)")
        }
        #expect(RetryPolicy.parseRetryAfter("Sun, 06 Nov 1994 08:49:47 GMT", now: expected) == 10)
    }

    @Test("trimming and capitals, without CharacterSet")
    func strings() {
        #expect("  a b \t\n".trimmed == "a b")
        #expect("\u{00A0}\u{2003}x\u{3000}".trimmed == "x")
        #expect(" \n ".trimmed == "")
        #expect("[::1]".trimmed(of: ["[", "]"]) == "::1")
        #expect("pause".firstUppercased == "Pause")
        #expect("".firstUppercased == "")
        #expect(Substring("  x  ").trimmed == "x")
    }
}
