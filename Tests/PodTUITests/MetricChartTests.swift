import Foundation
import Testing
import PodAPI
@testable import PodTUICore

/// Block charts of metric history: shape, gaps, clamping and hostile series.
@Suite("Metric charts")
struct MetricChartTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    func points(_ values: [Double?], every: Double = 60) -> [MetricPoint] {
        values.enumerated().map { MetricPoint(time: t0.addingTimeInterval(Double($0.offset) * every), value: $0.element) }
    }

    @Test("a ramp fills from the bottom; a gap stays blank; 0 % still shows")
    func shape() {
        let drawing = MetricChart.draw(points([0, 25, 50, 75, 100, nil, 100, 0]), from: t0, to: t0.addingTimeInterval(480),
                                       width: 8, height: 2, range: 0...100)
        #expect(drawing.rows == ["   ▄█ █ ", "▁▄███ █▁"])
        #expect(!drawing.clamped)
    }

    @Test("values outside the range are drawn at its edge and said")
    func clamps() {
        let drawing = MetricChart.draw(points([-5, 250, 50]), from: t0, to: t0.addingTimeInterval(180), width: 3, height: 1, range: 0...100)
        #expect(drawing.clamped)
        #expect(drawing.rows == ["▁█▄"])
    }

    @Test("a column shows the largest value of its stretch, so a spike is not averaged away")
    func spikes() {
        let values: [Double?] = (0..<60).map { $0 == 31 ? 100 : 0 }
        let drawing = MetricChart.draw(points(values, every: 1), from: t0, to: t0.addingTimeInterval(60), width: 6, height: 1, range: 0...100)
        #expect(drawing.rows == ["▁▁▁█▁▁"])
    }

    @Test("hostile input: a million points, NaN, out-of-window times, absurd sizes and ranges never trap")
    func hostile() {
        let many = (0..<1_000_000).map { MetricPoint(time: t0.addingTimeInterval(Double($0)), value: Double($0 % 100)) }
        let big = MetricChart.draw(many, from: t0, to: t0.addingTimeInterval(1_000_000), width: 80, height: 4, range: 0...100)
        #expect(big.rows.count == 4 && big.rows.allSatisfy { $0.count == 80 })
        let odd = points([.nan, .infinity, 1e300, -1e300, 5]) + [MetricPoint(time: Date.distantFuture, value: 1)]
        for range in [0.0...100, 0...0, 5...5, -1e300...1e300] {
            for (w, h) in [(0, 0), (1, 1), (10_000, 10_000), (-3, 2)] {
                _ = MetricChart.draw(odd, from: t0, to: t0.addingTimeInterval(300), width: w, height: h, range: range)
            }
        }
        _ = MetricChart.draw(odd, from: t0, to: t0, width: 5, height: 1, range: 0...1)
        _ = MetricChart.draw(odd, from: t0.addingTimeInterval(10), to: t0, width: 5, height: 1, range: 0...1)
    }

    @Test("with its step, a chart wider than its samples has no false gaps; a real gap stays blank")
    func stepFillsColumns() {
        let hour = (1...120).map { MetricPoint(time: t0.addingTimeInterval(Double($0) * 30), value: 50) }
        let full = MetricChart.draw(hour, from: t0, to: t0.addingTimeInterval(3600), width: 200, height: 1, range: 0...100, step: 30)
        #expect(!full.rows[0].contains(" "), "\(full.rows[0])")
        let without = MetricChart.draw(hour, from: t0, to: t0.addingTimeInterval(3600), width: 200, height: 1, range: 0...100)
        #expect(without.rows[0].contains(" "))   // what the step fixes
        let gap = hour.filter { $0.time.timeIntervalSince(t0) < 1200 || $0.time.timeIntervalSince(t0) > 1800 }
        let holed = MetricChart.draw(gap, from: t0, to: t0.addingTimeInterval(3600), width: 200, height: 1, range: 0...100, step: 30)
        #expect(holed.rows[0].contains("   "))
        // A step wider than the chart never reaches outside it.
        _ = MetricChart.draw(hour, from: t0, to: t0.addingTimeInterval(3600), width: 10, height: 2, range: 0...100, step: 1e300)
    }

    @Test("the time axis: local clock times within a day, dates over longer windows, fits any width")
    func axis() {
        let zone = ZoneOffsets.fixed(3600)
        let hour = MetricChart.axis(from: t0, to: t0.addingTimeInterval(3600), width: 40, zone: zone)
        #expect(hour.hasPrefix("09:00") && hour.hasSuffix("10:00") && hour.contains("09:30"), "\(hour)")
        let week = MetricChart.axis(from: t0, to: t0.addingTimeInterval(7 * 86_400), width: 40, zone: zone)
        #expect(week.hasPrefix("01-15 09:00") && week.hasSuffix("01-22 09:00"), "\(week)")
        for width in 0..<30 { #expect(MetricChart.axis(from: t0, to: t0.addingTimeInterval(3600), width: width, zone: zone).count == width) }
    }
}
