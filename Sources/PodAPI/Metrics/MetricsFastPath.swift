import FoundationEssentials

/// A fast decoder for a good metrics reply (`{"code":10000, "data":{"metric_name", "series":
/// [{"labels", "data_points": [{"timestamp", "value"}, …]}], "latest_total"}}`), the reply
/// podtui asks for most often: about once a second, each with an hour of samples per GPU.
/// Through `JSONDecoder` one such reply of 8 GPUs cost more than a list reply of 1,000 pods
/// with one changed (a whole-program callgrind put metrics decoding at 36 % of podtui's
/// instructions on a 1,000-pod fleet): every sample is a keyed container, and the lenient
/// rules try one type after another through thrown errors.
///
/// Like `PodListFastPath`, it is a fast path, never the only one: it reads exactly what the
/// `Decodable` path (`PodMetrics.init(from:)`) reads, by the same rules, and anything it is not
/// sure of (an envelope other than success, `data` that is not an object, a series or a
/// sample of an unusual shape, a duplicate key, a number in a form a rule reads otherwise,
/// escapes in keys) makes it return nil, and the caller decodes with `JSONDecoder`.
/// `MetricsFastPathTests` checks that, whenever it answers, it answers what the `Decodable`
/// path does (every dialect, fixtures and mutated bodies).
public enum MetricsFastPath {
    /// The metrics of a good reply, or nil to say "use the Decodable path" (also for
    /// `data: null`, which that path reads as "no data").
    public static func decode(_ body: Data) -> PodMetrics? {
        body.withUnsafeBytes { raw -> PodMetrics? in
            var reader = PodListFastPath.Reader(raw.bindMemory(to: UInt8.self))
            return reader.metricsEnvelope()
        }
    }
}

extension PodListFastPath.Reader {
    /// `{"code":10000, …, "data":{…}}` and nothing after it.
    mutating func metricsEnvelope() -> PodMetrics? {
        var code: Int64?
        var metrics: PodMetrics?
        var seenData = false
        let read = object { r, key in
            if r.equals(key, "code") {
                guard code == nil, case .integer(let value)? = r.scalar() else { return false }
                code = value
            } else if r.equals(key, "data") {
                guard !seenData, r.peek() == UInt8(ascii: "{"), let read = r.metricsData() else { return false }
                seenData = true
                metrics = read
            } else {
                return r.skipValue()
            }
            return true
        }
        guard read, let code, Int(code) == PodAPIError.Code.success, let metrics else { return nil }
        skipSpace()
        return at == bytes.count ? metrics : nil
    }

    /// The `data` object: its name, series and total, read as `PodMetrics.init(from:)` reads them.
    mutating func metricsData() -> PodMetrics? {
        var name: String??, nameCamel: String??
        var total: Double??, totalCamel: Double??
        var series: [RawSeries]?
        let read = object { r, key in
            if r.equals(key, "metric_name") {
                return name == nil && r.metricName(&name)
            } else if r.equals(key, "metricName") {
                return nameCamel == nil && r.metricName(&nameCamel)
            } else if r.equals(key, "latest_total") {
                return total == nil && r.metricValue(&total)
            } else if r.equals(key, "latestTotal") {
                return totalCamel == nil && r.metricValue(&totalCamel)
            } else if r.equals(key, "series") {
                guard series == nil else { return false }
                if r.peek() == UInt8(ascii: "n") {
                    guard case .null? = r.scalar() else { return false }
                    series = []
                    return true
                }
                guard let list = r.array({ $0.rawSeries() }) else { return false }
                series = list
                return true
            }
            return r.skipValue()
        }
        guard read else { return nil }
        return PodMetrics(name: (name ?? nil) ?? (nameCamel ?? nil), latestTotal: (total ?? nil) ?? (totalCamel ?? nil),
                          raw: series ?? [])
    }

    /// One series: an object of labels, a total and samples (the first of `data_points`,
    /// `dataPoints`, `values` that is an array).
    mutating func rawSeries() -> RawSeries? {
        var labels: [String: String]?
        var total: Double??, totalCamel: Double??
        var lists: [[MetricPoint]??] = [nil, nil, nil]
        let read = object { r, key in
            if r.equals(key, "labels") {
                guard labels == nil, let read = r.labels() else { return false }
                labels = read
            } else if r.equals(key, "latest_total") {
                return total == nil && r.metricValue(&total)
            } else if r.equals(key, "latestTotal") {
                return totalCamel == nil && r.metricValue(&totalCamel)
            } else if let slot = r.pointListSlot(key) {
                guard lists[slot] == nil else { return false }
                if r.peek() == UInt8(ascii: "n") {
                    guard case .null? = r.scalar() else { return false }
                    lists[slot] = .some(nil)
                    return true
                }
                guard let points = r.array({ $0.point() }) else { return false }
                lists[slot] = .some(points.compactMap { $0 })
            } else {
                return r.skipValue()
            }
            return true
        }
        guard read else { return nil }
        let points = lists.lazy.compactMap { $0 ?? nil }.first ?? []
        return RawSeries(labels: RawSeries.bounded(labels ?? [:]), points: points,
                         latestTotal: (total ?? nil) ?? (totalCamel ?? nil))
    }

    /// Which list of samples a key names, in the order the `Decodable` path tries them.
    func pointListSlot(_ key: Key) -> Int? {
        if equals(key, "data_points") { return 0 }
        if equals(key, "dataPoints") { return 1 }
        if equals(key, "values") { return 2 }
        return nil
    }

    /// `labels`: null (none) or an object of strings, plain integers and booleans (as their
    /// text) or nulls (empty text); a duplicate key or any other value ends the fast path.
    mutating func labels() -> [String: String]? {
        if peek() == UInt8(ascii: "n") {
            guard case .null? = scalar() else { return nil }
            return [:]
        }
        var labels: [String: String] = [:]
        let read = object { r, key in
            let text: String
            switch r.scalar() {
            case .string(let value)?: text = value
            case .integer(let value)?: text = String(value)
            case .bool(let value)?: text = String(value)
            case .null?: text = ""
            default: return false
            }
            let name = String(decoding: key, as: UTF8.self)
            guard labels[name] == nil else { return false }
            labels[name] = text
            return true
        }
        return read ? labels : nil
    }

    /// One sample: `{"timestamp"|"time", "value"}`, or `[time, value]`; `.some(nil)` for a
    /// sample without a time (skipped, as the `Decodable` path skips it).
    mutating func point() -> MetricPoint?? {
        switch peek() {
        case UInt8(ascii: "{"):
            var stamp: Date??, time: Date??, value: Double??
            let read = object { r, key in
                if r.equals(key, "timestamp") { return stamp == nil && r.pointTime(&stamp) }
                if r.equals(key, "time") { return time == nil && r.pointTime(&time) }
                if r.equals(key, "value") { return value == nil && r.metricValue(&value) }
                return r.skipValue()
            }
            guard read else { return nil }
            guard let at = (stamp ?? nil) ?? (time ?? nil) else { return .some(nil) }
            return .some(MetricPoint(time: at, value: value ?? nil))
        case UInt8(ascii: "["):
            var pair: [Double?] = []
            let read = array { r -> Bool? in
                guard pair.count < 2, let number = r.pairNumber() else { return nil }
                pair.append(number)
                return true
            }
            guard read != nil else { return nil }
            guard let first = pair.first, let seconds = first, let at = Timestamp.date(fromEpoch: seconds) else {
                return .some(nil)
            }
            return .some(MetricPoint(time: at, value: pair.count > 1 ? pair[1] : nil))
        default:
            return nil
        }
    }

    /// An element of a `[time, value]` pair, as `MetricNumber` reads it: a number, or a
    /// numeric string, believed by `MetricValue`. Nil (the outer optional) ends the fast path.
    mutating func pairNumber() -> Double?? {
        switch scalar() {
        case .integer(let value)?: return .some(MetricValue.believe(Double(value)))
        case .number(let text)?: return .some(Double(text).flatMap(MetricValue.believe))
        case .string(let text)?: return .some(Double(text.trimmed).flatMap(MetricValue.believe))
        default: return nil
        }
    }

    /// A value read as `decodeMetricValue` reads it: a number or a numeric string believed
    /// by `MetricValue`; null, a boolean or anything else is no value.
    mutating func metricValue(_ out: inout Double??) -> Bool {
        switch peek() {
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            guard skipValue() else { return false }
            out = .some(nil)
            return true
        default:
            switch scalar() {
            case .integer(let value)?: out = .some(MetricValue.believe(Double(value)))
            case .number(let text)?: out = .some(Double(text).flatMap(MetricValue.believe))
            case .string(let text)?: out = .some(Double(text.trimmed).flatMap(MetricValue.believe))
            case .bool?, .null?: out = .some(nil)
            case nil: return false
            }
            return true
        }
    }

    /// A sample's time read as `decodeTimestamp` reads it: an epoch number (seconds or
    /// milliseconds) or a string (digits or ISO 8601); null is none. Others end the fast path.
    mutating func pointTime(_ out: inout Date??) -> Bool {
        switch scalar() {
        case .integer(let value)?: out = .some(Timestamp.date(fromEpoch: value))
        case .number(let text)?:
            guard let value = Double(text) else { return false }
            out = .some(Timestamp.date(fromEpoch: value))
        case .string(let text)?: out = .some(Timestamp.parse(text))
        case .null?: out = .some(nil)
        default: return false
        }
        return true
    }

    /// `metric_name` read as `decodeLenientString` reads it: a string, a plain integer's or a
    /// boolean's text, or nil for null. Others end the fast path.
    mutating func metricName(_ out: inout String??) -> Bool {
        switch scalar() {
        case .string(let text)?: out = .some(text)
        case .integer(let value)?: out = .some(String(value))
        case .bool(let value)?: out = .some(String(value))
        case .null?: out = .some(nil)
        default: return false
        }
        return true
    }
}
