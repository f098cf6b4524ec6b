import FoundationEssentials
import PodAPI
import PodTUICore

/// `pods metrics` output: a table with one row per instant and one column per series, CSV of
/// the same, or JSON in the API's own shape with the pod id exact.
enum MetricsOutput {
    /// The instants of all series, in order, with each series' value at each (nil: none).
    static func rows(_ metrics: PodMetrics) -> [(Date, [Double?])] {
        var times = Set<Date>()
        for series in metrics.series { for point in series.points { times.insert(point.time) } }
        let lookups = metrics.series.map { series in
            Dictionary(series.points.map { ($0.time, $0.value) }, uniquingKeysWith: { _, last in last })
        }
        return times.sorted().map { time in (time, lookups.map { $0[time] ?? nil }) }
    }

    static func table(_ metrics: PodMetrics, kind: MetricKind, zone: ZoneOffsets, width: Int?) -> String {
        let count = metrics.series.count
        var columns = [CLIOutput.Column(header: "TIME")]
        columns += metrics.series.map { CLIOutput.Column(header: MetricText.title($0, kind: kind, among: count), alignRight: true) }
        let body = rows(metrics).map { time, values in
            [Format.dateTime(time, in: zone)] + values.map { MetricText.value($0, kind: kind) }
        }
        var text = CLIOutput.table(columns, body, width: width)
        if let total = metrics.total { text += "\n" + "total " + MetricText.value(total, kind: kind) }
        return text
    }

    static func csv(_ metrics: PodMetrics) -> String {
        let titles = metrics.series.enumerated().map { index, series in
            series.gpuIndex.map { "gpu\($0)" } ?? "series\(index)"
        }
        var lines = [(["timestamp_ms"] + titles).joined(separator: ",")]
        for (time, values) in rows(metrics) {
            let cells = values.map { value in value.map { "\($0)" } ?? "" }
            lines.append(([String(Timestamp.milliseconds(time))] + cells).joined(separator: ","))
        }
        return lines.joined(separator: "\n")
    }

    /// `{"pod": ID, "kind": K, "step": S, "series": [{"labels": {…}, "data_points": [{"timestamp": MS, "value": V}]}]}`.
    static func json(pod: Int64, kind: MetricKind, step: MetricStep, metrics: PodMetrics?) throws -> String {
        try CLIOutput.json(Document(pod: pod, kind: kind.rawValue, step: step.rawValue,
                                    latestTotal: metrics?.total,
                                    series: (metrics?.series ?? []).map { series in
            Document.Series(labels: series.labels, dataPoints: series.points.map {
                Document.Point(timestamp: Timestamp.milliseconds($0.time), value: $0.value)
            })
        }))
    }

    struct Document: Encodable {
        var pod: Int64
        var kind: String
        var step: String
        var latestTotal: Double?
        var series: [Series]
        struct Series: Encodable {
            var labels: [String: String]
            var dataPoints: [Point]
            enum CodingKeys: String, CodingKey { case labels, dataPoints = "data_points" }
        }
        struct Point: Encodable {
            var timestamp: Int64
            var value: Double?
            func encode(to encoder: any Encoder) throws {
                var c = encoder.container(keyedBy: CodingKeys.self)
                try c.encode(timestamp, forKey: .timestamp)
                try c.encode(value, forKey: .value)   // null for a gap
            }
            enum CodingKeys: String, CodingKey { case timestamp, value }
        }
        enum CodingKeys: String, CodingKey { case pod, kind, step, latestTotal = "latest_total", series }
    }
}
