import FoundationEssentials
import PodTUICore
import PodWatch
import Prometheus

/// The watcher's `/metrics` page: `WatchFigures` in the Prometheus text exposition format
/// (version 0.0.4), written by swift-prometheus (`PrometheusCollectorRegistry`), which writes the
/// HELP and TYPE lines and escapes label values (backslash, double quote, line feed).
///
/// What the library leaves alone is cleaned here: a label value from the API (a pod's name or
/// status) loses its control and bidi characters (`TextSafety.clean`, so an escape code never
/// reaches a terminal that `curl`s the page) and is cut to `maxLabelScalars`; a value that is
/// not finite (NaN, ±inf, which the library would print as `nan`/`inf`) is left out rather
/// than written, so no sample ever says something Prometheus would reject or misread.
public enum MetricsPage {
    /// The `Content-Type` of the page.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"
    /// The longest label value written, in Unicode scalars (a name is a label on every series
    /// of its pod: a 10 kB name must not make the page 10 kB per series).
    public static let maxLabelScalars = 128

    /// Every metric name the page can carry, in the order it writes them (contrib/ and its
    /// test check the dashboard and alert rules against this list).
    public static let names: [String] = Family.allCases.map(\.rawValue)

    /// One metric family: its name, type and help text.
    enum Family: String, CaseIterable {
        case podStatus = "yotta_pod_status"
        case podPrice = "yotta_pod_price_dollars_per_hour"
        case podGPUUtilization = "yotta_pod_gpu_utilization_percent"
        case podIdle = "yotta_pod_idle_seconds"
        case fleetBurn = "yotta_fleet_burn_dollars_per_hour"
        case spendObserved = "yotta_spend_observed_dollars_total"
        case lastSuccess = "podtui_watch_last_success_timestamp_seconds"
        case apiErrors = "podtui_watch_api_errors_total"
        case events = "podtui_watch_events_total"
        case pendingDeliveries = "podtui_watch_pending_deliveries"

        /// Counters (names ending in `_total`) go up only; the rest are gauges.
        var isCounter: Bool {
            switch self {
            case .spendObserved, .apiErrors, .events: return true
            default: return false
            }
        }

        var help: String {
            switch self {
            case .podStatus:
                return "1 for the pod's current status, 0 for the other statuses the watcher reports (so a status change moves the 1)."
            case .podPrice:
                return "The pod's price in dollars per hour, when the API sent a believable one."
            case .podGPUUtilization:
                return "GPU utilization in percent per GPU of a RUNNING pod, from the newest API metrics or probe."
            case .podIdle:
                return "Seconds every GPU of the pod has been idle, when a source (API metrics or probe) speaks for it."
            case .fleetBurn:
                return "Sum of the RUNNING pods' prices, dollars per hour."
            case .spendObserved:
                return "Dollars the spend ledger saw spent by every pod since the ledger began."
            case .lastSuccess:
                return "Unix time of the last good answer to a pod list; 0 before the first one, so time() minus it is huge and a staleness alert fires for a watcher that never reached the API."
            case .apiErrors:
                return "API requests that failed since the watcher started."
            case .events:
                return "Events the watcher emitted since it started, per kind."
            case .pendingDeliveries:
                return "Event deliveries (webhook, exec) waiting in the outbox, all targets."
            }
        }
    }

    /// Series written per registry. swift-prometheus copies a family's dictionary of series
    /// each time it adds one (2.4.1: `MetricFamily.adding`), so one registry holding 18,000
    /// series of 1,000 pods costs O(n²) (1.9 s in a debug build, 7.5 s for 2,000 pods); a
    /// family is written in chunks of this many series, each from a registry of its own, and
    /// the HELP/TYPE lines are kept from the first chunk only.
    static let seriesPerRegistry = 64

    /// The page for `figures`. `now` is the scrape's clock; no sample carries a timestamp
    /// (Prometheus stamps a scrape itself), and a last success "in the future" (a clock jump
    /// back) is written as `now`, so `time() - x` never goes negative for long.
    public static func render(_ figures: WatchFigures, now: Date) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(4096 + figures.pods.count * 1500)
        // Families in `Family` order (a registry keeps its families in a dictionary, and a page
        // in a fixed order is easier to read and to diff).
        for family in Family.allCases {
            write(family, samples(family, figures, now: now), into: &out)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// A sample's value: counters of whole things are written as integers.
    enum Value {
        case double(Double)
        case int(Int64)
    }

    /// One series: its labels (already cleaned by `label`) and value.
    struct Sample {
        var labels: [(String, String)]
        var value: Value
    }

    /// Writes `samples` of `family` through swift-prometheus, `seriesPerRegistry` at a time.
    static func write(_ family: Family, _ samples: [Sample], into out: inout [UInt8]) {
        // The whole name as `metricName` (no unit part): the names are fixed by contrib/ and the README.
        let name = MetricNameDescriptor(metricName: family.rawValue, unitName: "", helpText: family.help)
        var start = 0
        while start < samples.count {
            let chunk = samples[start..<min(start + seriesPerRegistry, samples.count)]
            let registry = PrometheusCollectorRegistry()
            for sample in chunk {
                switch (family.isCounter, sample.value) {
                case (false, .double(let value)):
                    registry.makeGauge(descriptor: name, labels: sample.labels).set(to: value)
                case (false, .int(let value)):
                    registry.makeGauge(descriptor: name, labels: sample.labels).set(to: Double(value))
                case (true, .double(let value)):
                    let counter = registry.makeCounter(descriptor: name, labels: sample.labels)
                    if value > 0 { counter.increment(by: value) }
                case (true, .int(let value)):
                    registry.makeCounter(descriptor: name, labels: sample.labels).increment(by: max(0, value))
                }
            }
            if start == 0 {
                registry.emit(into: &out)
            } else {
                var part: [UInt8] = []
                registry.emit(into: &part)
                out.append(contentsOf: withoutCommentLines(part))
            }
            start += seriesPerRegistry
        }
    }

    /// The sample lines of one registry's output: its `# HELP` and `# TYPE` lines dropped (a
    /// sample line starts with the metric name, never `#`; HELP text has no line feed).
    static func withoutCommentLines(_ bytes: [UInt8]) -> ArraySlice<UInt8> {
        var rest = bytes[...]
        while rest.first == UInt8(ascii: "#") {
            guard let newline = rest.firstIndex(of: UInt8(ascii: "\n")) else { return [] }
            rest = rest[rest.index(after: newline)...]
        }
        return rest
    }

    /// The series of one family, each label set once (pods by id, a pod's statuses and GPUs
    /// by value), so chunks written by separate registries never repeat a series.
    static func samples(_ family: Family, _ figures: WatchFigures, now: Date) -> [Sample] {
        switch family {
        case .podStatus:
            let statuses = unique(figures.statuses.map(label))
            var out: [Sample] = []
            for pod in uniquePods(figures) {
                let id = String(pod.id)
                let podName = label(pod.name)
                let current = label(pod.status)
                let shown = statuses.contains(current) ? statuses : statuses + [current]
                for status in shown {
                    out.append(Sample(labels: [("pod_id", id), ("name", podName), ("status", status)],
                                      value: .double(status == current ? 1 : 0)))
                }
            }
            return out
        case .podPrice:
            return uniquePods(figures).compactMap { pod in
                guard let price = pod.pricePerHour, price.isFinite else { return nil }
                return Sample(labels: [("pod_id", String(pod.id)), ("name", label(pod.name))], value: .double(price))
            }
        case .podGPUUtilization:
            var out: [Sample] = []
            for pod in uniquePods(figures) {
                let id = String(pod.id)
                let podName = label(pod.name)
                var seen = Set<Int>()
                for gpu in pod.gpuUtilization where gpu.percent.isFinite && seen.insert(gpu.gpu).inserted {
                    out.append(Sample(labels: [("pod_id", id), ("name", podName), ("gpu", String(gpu.gpu))], value: .double(gpu.percent)))
                }
            }
            return out
        case .podIdle:
            return uniquePods(figures).compactMap { pod in
                guard let idle = pod.idleSeconds, idle.isFinite else { return nil }
                return Sample(labels: [("pod_id", String(pod.id)), ("name", label(pod.name))], value: .double(idle))
            }
        case .fleetBurn:
            guard figures.fleetBurnPerHour.isFinite else { return [] }
            return [Sample(labels: [], value: .double(figures.fleetBurnPerHour))]
        case .spendObserved:
            // A counter only goes up: a negative or non-finite total (a broken ledger) is left out.
            guard figures.spendObservedTotal.isFinite, figures.spendObservedTotal >= 0 else { return [] }
            return [Sample(labels: [], value: .double(figures.spendObservedTotal))]
        case .lastSuccess:
            var seconds = 0.0
            if let last = figures.lastSuccess {
                seconds = min(last.timeIntervalSince1970, now.timeIntervalSince1970)
                if !seconds.isFinite || seconds < 0 { seconds = 0 }
            }
            return [Sample(labels: [], value: .double(seconds))]
        case .apiErrors:
            return [Sample(labels: [], value: .int(Int64(max(0, figures.apiErrors))))]
        case .events:
            // Every kind, 0 included: `increase()` and alerts see a series from the start.
            return WatchEventKind.allCases.map { kind in
                Sample(labels: [("event", kind.rawValue)], value: .int(Int64(max(0, figures.events[kind] ?? 0))))
            }
        case .pendingDeliveries:
            return [Sample(labels: [], value: .int(Int64(max(0, figures.pendingDeliveries))))]
        }
    }

    private static func unique(_ values: [String]) -> [String] {
        var seen = Set<String>()
        return values.filter { seen.insert($0).inserted }
    }

    /// The pods in reply order, the first of any repeated id only (two pods with one id would
    /// write one series twice, which Prometheus rejects as a duplicate).
    private static func uniquePods(_ figures: WatchFigures) -> [WatchFigures.PodFigures] {
        var seen = Set<Int64>()
        seen.reserveCapacity(figures.pods.count)
        return figures.pods.filter { seen.insert($0.id).inserted }
    }

    /// A label value as the page writes it: no control or bidi characters (an escape code from
    /// a pod's name never reaches a terminal reading the page), at most `maxLabelScalars`
    /// scalars (cut by scalar, not by character: one "character" can be kilobytes of
    /// combining marks). Backslash, quote and line feed are escaped by the library.
    static func label(_ text: String) -> String {
        let clean = TextSafety.clean(text)
        guard clean.unicodeScalars.count > maxLabelScalars else { return clean }
        var cut = String.UnicodeScalarView()
        cut.append(contentsOf: clean.unicodeScalars.prefix(maxLabelScalars - 1))
        cut.append("…")
        return String(cut)
    }
}
