import FoundationEssentials

/// One sample of a metric. `value` is nil where the server sent something that is not a
/// finite number (`NaN`, `null`, garbage): a gap, not a zero.
public struct MetricPoint: Sendable, Equatable {
    public var time: Date
    public var value: Double?
    public init(time: Date, value: Double?) { self.time = time; self.value = value }
}

/// One time series: its labels (`gpu_show_index` for a GPU's series) and its samples, oldest
/// first, one per timestamp.
public struct MetricSeries: Sendable, Equatable {
    public var labels: [String: String]
    public var points: [MetricPoint]
    /// The capacity when the server puts it in the series (`latest_total`).
    public var latestTotal: Double?

    public init(labels: [String: String], points: [MetricPoint], latestTotal: Double? = nil) {
        self.labels = labels; self.points = points; self.latestTotal = latestTotal
    }

    /// The GPU index of a per-GPU series, when its label says it.
    public var gpuIndex: Int? {
        labels["gpu_show_index"].flatMap { Int($0.trimmed) }.flatMap { (0...4096).contains($0) ? $0 : nil }
    }

    /// The newest sample with a value.
    public var latest: MetricPoint? { points.last { $0.value != nil } }
}

/// What one metrics route answered for one pod, read leniently (API notes §6.5): `series`
/// of `{labels, data_points}`, `latest_total` beside `series` or in each, values and
/// timestamps as numbers or numeric strings, timestamps in seconds or milliseconds.
///
/// Bounded whatever the server sends: at most `mostSeries` series of at most `mostPoints`
/// samples (the newest kept; `droppedPoints` says how many were not), labels of at most 32
/// entries of 256 characters. Samples are sorted by time, one per timestamp (the last sent
/// wins), and a value beyond ±10^18 or not finite is a gap.
public struct PodMetrics: Sendable, Equatable, Decodable {
    /// `metric_name`, e.g. `gpu_utilization` (nil when not sent).
    public var name: String?
    public var series: [MetricSeries]
    /// The capacity beside `series`, when the server puts it there.
    public var latestTotal: Double?
    /// Samples beyond `mostPoints` (or series beyond `mostSeries`) that were left out.
    public var droppedPoints: Int

    public static let mostSeries = 64
    public static let mostPoints = 20_000

    public init(name: String?, series: [MetricSeries], latestTotal: Double? = nil, droppedPoints: Int = 0) {
        self.name = name; self.series = series; self.latestTotal = latestTotal; self.droppedPoints = droppedPoints
    }

    /// The capacity, wherever the server put it (beside `series`, else the first series').
    public var total: Double? { latestTotal ?? series.lazy.compactMap(\.latestTotal).first }

    /// True when no series has a sample with a value.
    public var isEmpty: Bool { series.allSatisfy { $0.latest == nil } }

    enum Key: String, CodingKey {
        case metricName = "metric_name", metricNameCamel = "metricName", series
        case latestTotal = "latest_total", latestTotalCamel = "latestTotal"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        let name = c.decodeLenientString(forKey: .metricName) ?? c.decodeLenientString(forKey: .metricNameCamel)
        let latestTotal = c.decodeMetricValue(forKey: .latestTotal) ?? c.decodeMetricValue(forKey: .latestTotalCamel)
        let raw = (try? c.decodeIfPresent(LossyArray<RawSeries>.self, forKey: .series))?.elements ?? []
        self.init(name: name, latestTotal: latestTotal, raw: raw)
    }

    /// The metrics from series as sent: at most `mostSeries`, each tidied. Both decoders
    /// (this type's `Decodable` path and `MetricsFastPath`) end here.
    init(name: String?, latestTotal: Double?, raw: [RawSeries]) {
        var dropped = raw.dropFirst(Self.mostSeries).reduce(0) { $0 + $1.points.count }
        let series = raw.prefix(Self.mostSeries).map { one in
            let (points, cut) = Self.tidy(one.points)
            dropped += cut
            return MetricSeries(labels: one.labels, points: points, latestTotal: one.latestTotal)
        }
        self.init(name: name, series: series, latestTotal: latestTotal, droppedPoints: dropped)
    }

    /// Sorted by time, one per timestamp (the last sent wins), the newest `mostPoints`.
    static func tidy(_ points: [MetricPoint]) -> ([MetricPoint], Int) {
        var byTime: [Date: Int] = [:]
        var out: [MetricPoint] = []
        out.reserveCapacity(min(points.count, mostPoints))
        for point in points {
            if let at = byTime[point.time] { out[at] = point } else { byTime[point.time] = out.count; out.append(point) }
        }
        out.sort { $0.time < $1.time }
        let cut = max(0, out.count - mostPoints)
        return (cut > 0 ? Array(out.suffix(mostPoints)) : out, cut + (points.count - byTime.count))
    }
}

/// A series as sent, before it is tidied.
struct RawSeries: Decodable {
    var labels: [String: String]
    var points: [MetricPoint]
    var latestTotal: Double?

    enum Key: String, CodingKey {
        case labels, dataPoints = "data_points", dataPointsCamel = "dataPoints", values
        case latestTotal = "latest_total", latestTotalCamel = "latestTotal"
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        let sent = (try? c.decodeIfPresent([String: LabelValue].self, forKey: .labels)) ?? [:]
        labels = Self.bounded(sent.mapValues(\.text))
        latestTotal = c.decodeMetricValue(forKey: .latestTotal) ?? c.decodeMetricValue(forKey: .latestTotalCamel)
        let lists: [Key] = [.dataPoints, .dataPointsCamel, .values]
        let found = lists.lazy.compactMap { try? c.decodeIfPresent(LossyArray<RawPoint>.self, forKey: $0) }.first
        points = (found?.elements ?? []).compactMap(\.point)
    }

    init(labels: [String: String], points: [MetricPoint], latestTotal: Double?) {
        self.labels = labels; self.points = points; self.latestTotal = latestTotal
    }

    /// The labels kept: the first 32 by key, keys and values cut at 256 characters.
    static func bounded(_ sent: [String: String]) -> [String: String] {
        var labels: [String: String] = [:]
        for (key, value) in sent.sorted(by: { $0.key < $1.key }).prefix(32) {
            labels[String(key.prefix(256))] = String(value.prefix(256))
        }
        return labels
    }
}

/// A label's value: a string, or a number or boolean as its text.
struct LabelValue: Decodable {
    var text: String
    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let text = try? c.decode(String.self) { self.text = text; return }
        if let number = try? c.decode(Int64.self) { text = String(number); return }
        if let flag = try? c.decode(Bool.self) { text = String(flag); return }
        text = ""
    }
}

/// One sample as sent: `{timestamp, value}` or, as Prometheus writes them, `[timestamp, value]`.
struct RawPoint: Decodable {
    var point: MetricPoint?

    enum Key: String, CodingKey { case timestamp, time, value }

    init(from decoder: any Decoder) throws {
        if let c = try? decoder.container(keyedBy: Key.self) {
            let time = c.decodeTimestamp(forKey: .timestamp) ?? c.decodeTimestamp(forKey: .time)
            point = time.map { MetricPoint(time: $0, value: c.decodeMetricValue(forKey: .value)) }
            return
        }
        var pair = try decoder.unkeyedContainer()
        let time = Self.timestamp(try? pair.decode(MetricNumber.self))
        let value = (try? pair.decode(MetricNumber.self))?.value
        point = time.map { MetricPoint(time: $0, value: value) }
    }

    static func timestamp(_ number: MetricNumber?) -> Date? {
        number?.value.flatMap { Timestamp.date(fromEpoch: $0) }
    }
}

/// A number sent as a JSON number or a numeric string.
struct MetricNumber: Decodable {
    var value: Double?
    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let number = try? c.decode(Double.self) { value = MetricValue.believe(number); return }
        if let text = try? c.decode(String.self) { value = Double(text.trimmed).flatMap(MetricValue.believe); return }
        value = nil
    }
}

/// Which metric values are believed: finite and within ±10^18 (more bytes than any pod has).
enum MetricValue {
    static func believe(_ value: Double) -> Double? {
        value.isFinite && abs(value) <= 1e18 ? value : nil
    }
}

extension KeyedDecodingContainer {
    /// A metric value: a number or a numeric string, believed by `MetricValue`.
    func decodeMetricValue(forKey key: Key) -> Double? {
        (try? decodeIfPresent(MetricNumber.self, forKey: key))?.flatMap(\.value)
    }
}
