import FoundationEssentials
import PodAPI

/// A metric's history as a block chart: one column per stretch of time, eight levels per
/// cell (`▁…█`) stacked over `height` rows, a gap where there is no sample. Glyphs carry the
/// shape, so it reads the same in 8 colours and without colour. Pure: the caller draws the
/// rows (and colours them, if it likes).
public enum MetricChart {
    /// The rows, top first, and whether any value lay outside `range` (drawn at its edge).
    public struct Drawing: Sendable, Equatable {
        public var rows: [String]
        public var clamped: Bool
    }

    static let levels: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    /// The chart of `points` between `start` and `end`, `width` columns by `height` rows, the
    /// bottom row standing for `range.lowerBound` and the top for `range.upperBound`. Each
    /// column shows the largest value of its stretch (a spike is not averaged away). With a
    /// `step`, a sample stands for the `step` seconds before it, so a chart wider than its
    /// samples has no false gaps; a real gap (no sample for longer) stays blank.
    public static func draw(_ points: [MetricPoint], from start: Date, to end: Date, width: Int, height: Int,
                            range: ClosedRange<Double>, step: Double = 0) -> Drawing {
        let width = max(0, min(width, 1_000)), height = max(0, min(height, 100))
        guard width > 0, height > 0 else { return Drawing(rows: [], clamped: false) }
        let span = end.timeIntervalSince(start)
        var columns = [Double?](repeating: nil, count: width)
        var clamped = false
        let low = range.lowerBound, high = range.upperBound
        let extent = high - low
        if span > 0, span.isFinite, extent > 0, extent.isFinite {
            for point in points {
                guard let value = point.value, value.isFinite else { continue }
                let offset = point.time.timeIntervalSince(start) / span
                guard offset >= 0, offset <= 1 else { continue }
                let column = min(width - 1, Int(saturating: offset * Double(width)))
                // The columns the sample's step covers (bounded: a step wider than the chart
                // is the whole chart).
                let covered = step.isFinite && step > 0 ? Int(saturating: (step / span * Double(width)).rounded(.up)) - 1 : 0
                let first = max(0, column - min(max(0, covered), width))
                if value < low || value > high { clamped = true }
                let share = (min(high, max(low, value)) - low) / extent
                for c in first...column { columns[c] = max(columns[c] ?? 0, share) }
            }
        }
        var rows: [String] = []
        for row in 0..<height {
            // Eighths of a cell this row shows: the bottom row 0..8, the next 8..16, ...
            let floor = (height - 1 - row) * 8
            rows.append(String(columns.map { share -> Character in
                guard let share else { return " " }
                // At least one eighth on the bottom row for any sample, so 0 % is visible.
                let eighths = max(1, Int(saturating: (share * Double(height * 8)).rounded()))
                let here = eighths - floor
                if here <= 0 { return " " }
                return levels[min(here, 8) - 1]
            }))
        }
        return Drawing(rows: rows, clamped: clamped)
    }

    /// A time axis for `width` columns from `start` to `end`: the first and last instants,
    /// and the middle one when there is room, in `zone` (`14:05` within a day, `12-03 14:05`
    /// over more).
    public static func axis(from start: Date, to end: Date, width: Int, zone: ZoneOffsets) -> String {
        guard width > 0 else { return "" }
        let long = end.timeIntervalSince(start) > 86_400
        func label(_ date: Date) -> String {
            let text = Format.dateTime(date, in: zone)   // 2026-12-03 14:05:09
            let clock = String(text.dropFirst(11).prefix(5))
            return long ? String(text.dropFirst(5).prefix(5)) + " " + clock : clock
        }
        let left = label(start), right = label(end)
        let middle = label(start.addingTimeInterval(end.timeIntervalSince(start) / 2))
        var line = [Character](repeating: " ", count: width)
        func place(_ text: String, at column: Int) {
            for (i, c) in text.enumerated() where column + i >= 0 && column + i < width { line[column + i] = c }
        }
        guard width >= left.count + right.count + 1 else {
            place(right, at: max(0, width - right.count))
            return String(line)
        }
        place(left, at: 0)
        place(right, at: width - right.count)
        let center = width / 2 - middle.count / 2
        if center > left.count + 1 && center + middle.count < width - right.count - 1 { place(middle, at: center) }
        return String(line)
    }
}
