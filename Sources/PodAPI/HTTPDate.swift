import FoundationEssentials

/// HTTP dates (RFC 9110 §5.6.7) as a Retry-After header may carry them: the IMF-fixdate
/// `Sun, 06 Nov 1994 08:49:37 GMT`, and the obsolete RFC 850 (`Sunday, 06-Nov-94 08:49:37
/// GMT`) and asctime (`Sun Nov  6 08:49:37 1994`) forms recipients must accept. Always UTC;
/// no locale, no ICU.
public enum HTTPDate {
    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    /// The date, or nil when `text` is none of the three forms or names an impossible day.
    public static func parse(_ text: String) -> Date? {
        let words = text.split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init)
        var day: Int?, month: Int?, year: Int?, clock: [Int]?
        switch words.count {
        case 4 where words[1].contains("-"):   // RFC 850: Sunday, 06-Nov-94 08:49:37 GMT
            let parts = words[1].split(separator: "-").map(String.init)
            guard parts.count == 3, words[3] == "GMT" else { return nil }
            day = Int(parts[0]); month = monthNumber(parts[1]); year = Int(parts[2]).map { $0 < 70 ? 2000 + $0 : ($0 < 100 ? 1900 + $0 : $0) }
            clock = timeOfDay(words[2])
        case 6:                                // IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT
            guard words[5] == "GMT" else { return nil }
            day = Int(words[1]); month = monthNumber(words[2]); year = Int(words[3]); clock = timeOfDay(words[4])
        case 5:                                // asctime: Sun Nov  6 08:49:37 1994
            month = monthNumber(words[1]); day = Int(words[2]); clock = timeOfDay(words[3]); year = Int(words[4])
        default:
            return nil
        }
        // Years past 9999 are refused: a hostile `Retry-After` with a 14-digit year would
        // otherwise overflow the day arithmetic below (and no server means it).
        guard let day, let month, let year, let clock, (1...31).contains(day), (1970...9999).contains(year),
              day <= CivilDate.daysIn(month: month, year: year) else { return nil }
        let days = CivilDate.daysFromEpoch(year: year, month: month, day: day)
        return Date(timeIntervalSince1970: Double(days * 86_400 + clock[0] * 3600 + clock[1] * 60 + clock[2]))
    }

    private static func monthNumber(_ name: String) -> Int? {
        months.firstIndex(of: name.lowercased()).map { $0 + 1 }
    }

    private static func timeOfDay(_ text: String) -> [Int]? {
        let parts = text.split(separator: ":").compactMap { Int($0) }
        guard parts.count == 3, (0...23).contains(parts[0]), (0...59).contains(parts[1]), (0...60).contains(parts[2]) else { return nil }
        return parts
    }
}
