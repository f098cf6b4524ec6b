import FoundationEssentials
import PodTUICore
import Testing
@testable import PodWatch
@testable import PodWatchRunner

/// The watcher's /metrics page: the Prometheus text format, read back line by line by a strict
/// little parser (the rules of Prometheus's own text parser: HELP/TYPE before a family's
/// samples, a family's samples together, label values escaped, values Go's ParseFloat reads and
/// never NaN or infinity, no series twice).
@Suite("Metrics page")
struct MetricsPageTests {
    static let now = Date(timeIntervalSince1970: 1_796_000_000)

    static func pod(_ id: Int64, _ name: String, _ status: String = "RUNNING", price: Double? = 1.5,
                    gpus: [Double] = [], idle: Double? = nil) -> WatchFigures.PodFigures {
        WatchFigures.PodFigures(id: id, name: name, status: status, pricePerHour: price,
                                gpuUtilization: gpus.enumerated().map { WatchFigures.GPUFigure(gpu: $0.offset, percent: $0.element) },
                                idleSeconds: idle)
    }

    static let statuses = ["RUNNING", "PAUSED", "FAILED", "INITIALIZING"]

    @Test("every family with HELP and TYPE, the figures as samples")
    func figures() throws {
        let figures = WatchFigures(
            pods: [Self.pod(1, "train-a", gpus: [97, 3.5], idle: 0), Self.pod(2, "infer", "PAUSED", price: 0.4, idle: nil),
                   Self.pod(3, "cheap", price: nil, gpus: [0], idle: 1800)],
            statuses: Self.statuses, fleetBurnPerHour: 1.5, spendObservedTotal: 123.25,
            lastSuccess: Date(timeIntervalSince1970: 1_795_999_990.5), apiErrors: 7,
            events: [.running: 3, .overBudget: 1], pendingDeliveries: 2)
        let page = try PromText.parse(MetricsPage.render(figures, now: Self.now))
        #expect(page.types == Dictionary(uniqueKeysWithValues: [
            ("yotta_pod_status", "gauge"), ("yotta_pod_price_dollars_per_hour", "gauge"),
            ("yotta_pod_gpu_utilization_percent", "gauge"), ("yotta_pod_idle_seconds", "gauge"),
            ("yotta_fleet_burn_dollars_per_hour", "gauge"), ("yotta_spend_observed_dollars_total", "counter"),
            ("podtui_watch_last_success_timestamp_seconds", "gauge"), ("podtui_watch_api_errors_total", "counter"),
            ("podtui_watch_events_total", "counter"), ("podtui_watch_pending_deliveries", "gauge"),
        ]))
        #expect(Set(page.helps.keys) == Set(MetricsPage.names))
        #expect(page.order == MetricsPage.names)

        #expect(page["yotta_pod_status", ["pod_id": "1", "name": "train-a", "status": "RUNNING"]] == 1)
        #expect(page["yotta_pod_status", ["pod_id": "1", "name": "train-a", "status": "PAUSED"]] == 0)
        #expect(page["yotta_pod_status", ["pod_id": "2", "name": "infer", "status": "PAUSED"]] == 1)
        #expect(page["yotta_pod_status", ["pod_id": "2", "name": "infer", "status": "RUNNING"]] == 0)
        #expect(page.samples("yotta_pod_status").count == 12)
        #expect(page.samples("yotta_pod_status").filter { $0.value == 1 }.count == 3)

        #expect(page["yotta_pod_price_dollars_per_hour", ["pod_id": "1", "name": "train-a"]] == 1.5)
        #expect(page["yotta_pod_price_dollars_per_hour", ["pod_id": "2", "name": "infer"]] == 0.4)
        #expect(page.samples("yotta_pod_price_dollars_per_hour").count == 2, "no price, no series")

        #expect(page["yotta_pod_gpu_utilization_percent", ["pod_id": "1", "name": "train-a", "gpu": "0"]] == 97)
        #expect(page["yotta_pod_gpu_utilization_percent", ["pod_id": "1", "name": "train-a", "gpu": "1"]] == 3.5)
        #expect(page["yotta_pod_gpu_utilization_percent", ["pod_id": "3", "name": "cheap", "gpu": "0"]] == 0)
        #expect(page.samples("yotta_pod_gpu_utilization_percent").count == 3)

        #expect(page["yotta_pod_idle_seconds", ["pod_id": "1", "name": "train-a"]] == 0)
        #expect(page["yotta_pod_idle_seconds", ["pod_id": "3", "name": "cheap"]] == 1800)
        #expect(page.samples("yotta_pod_idle_seconds").count == 2, "idle unknown, no series")

        #expect(page["yotta_fleet_burn_dollars_per_hour", [:]] == 1.5)
        #expect(page["yotta_spend_observed_dollars_total", [:]] == 123.25)
        #expect(page["podtui_watch_last_success_timestamp_seconds", [:]] == 1_795_999_990.5)
        #expect(page["podtui_watch_api_errors_total", [:]] == 7)
        #expect(page["podtui_watch_pending_deliveries", [:]] == 2)
        #expect(page["podtui_watch_events_total", ["event": "running"]] == 3)
        #expect(page["podtui_watch_events_total", ["event": "over_budget"]] == 1)
        #expect(page["podtui_watch_events_total", ["event": "timer_fired"]] == 0)
        #expect(page.samples("podtui_watch_events_total").count == WatchEventKind.allCases.count, "every kind, 0 included")
    }

    @Test("before the first success the timestamp is 0; a success in the future reads as now")
    func lastSuccess() throws {
        let never = try PromText.parse(MetricsPage.render(WatchFigures(), now: Self.now))
        #expect(never["podtui_watch_last_success_timestamp_seconds", [:]] == 0)
        #expect(never["yotta_fleet_burn_dollars_per_hour", [:]] == 0)
        #expect(never["yotta_spend_observed_dollars_total", [:]] == 0)
        #expect(never.samples("yotta_pod_status").isEmpty)
        let future = WatchFigures(lastSuccess: Self.now.addingTimeInterval(3600))
        #expect(try PromText.parse(MetricsPage.render(future, now: Self.now))["podtui_watch_last_success_timestamp_seconds", [:]]
            == Self.now.timeIntervalSince1970)
    }

    @Test("a pod whose status is not in the list still gets its 1; repeated ids give one set of series")
    func statusesAndDuplicates() throws {
        let figures = WatchFigures(pods: [Self.pod(5, "a", "STOPPING"), Self.pod(5, "b", "RUNNING"), Self.pod(6, "a")],
                                   statuses: ["RUNNING", "PAUSED"])
        let page = try PromText.parse(MetricsPage.render(figures, now: Self.now))
        #expect(page["yotta_pod_status", ["pod_id": "5", "name": "a", "status": "STOPPING"]] == 1)
        #expect(page["yotta_pod_status", ["pod_id": "5", "name": "a", "status": "RUNNING"]] == 0)
        #expect(page.samples("yotta_pod_status").filter { $0.labels["pod_id"] == "5" }.count == 3)
        #expect(page.samples("yotta_pod_status").allSatisfy { $0.labels["name"] != "b" })
        #expect(page.samples("yotta_pod_price_dollars_per_hour").count == 2)
    }

    @Test("hostile names and statuses: escaped or cleaned, the format intact, the size bounded")
    func hostileNames() throws {
        let names = [
            #"quote " and \" and \\ backslash \"#, "new\nline\r\n# TYPE fake gauge\nfake 1", "\u{1B}[31mred\u{1B}]52;c;AAAA\u{07}",
            "\u{202E}reversed\u{2066}", String(repeating: "x", count: 10_000), "e" + String(repeating: "\u{301}", count: 5000),
            "} 1\nyotta_fleet_burn_dollars_per_hour 1e9", "", "тест 名前 🚀", "\0nul\u{7F}\u{9B}",
        ]
        let pods = names.enumerated().map { Self.pod(Int64($0.offset + 1), $0.element, $0.element, gpus: [50], idle: 10) }
        let text = MetricsPage.render(WatchFigures(pods: pods, statuses: ["RUNNING"], fleetBurnPerHour: 2), now: Self.now)
        let page = try PromText.parse(text)
        // No control character left in the page but the line feeds between lines.
        #expect(!text.unicodeScalars.contains { TextSafety_isUnsafeButNewline($0) })
        #expect(text.utf8.count < 60_000, "\(text.utf8.count) bytes: names are cut, not repeated whole")
        #expect(page["yotta_fleet_burn_dollars_per_hour", [:]] == 2, "a name cannot add or replace a sample")
        #expect(page.types["fake"] == nil)
        for (i, name) in names.enumerated() {
            let id = String(i + 1)
            let shown = MetricsPage.label(name)
            #expect(shown.unicodeScalars.count <= MetricsPage.maxLabelScalars)
            #expect(page["yotta_pod_idle_seconds", ["pod_id": id, "name": shown]] == 10, "\(name.prefix(20))")
            #expect(page["yotta_pod_status", ["pod_id": id, "name": shown, "status": shown]] == 1)
            #expect(page["yotta_pod_gpu_utilization_percent", ["pod_id": id, "name": shown, "gpu": "0"]] == 50)
        }
        // What survives cleaning is kept: quotes and backslashes come back as they were.
        #expect(page.samples("yotta_pod_idle_seconds").contains { $0.labels["name"] == #"quote " and \" and \\ backslash \"# })
        #expect(page.samples("yotta_pod_idle_seconds").contains { $0.labels["name"] == "тест 名前 🚀" })
    }

    @Test("NaN, infinities, negatives and huge values never reach the page as something Prometheus rejects")
    func hostileNumbers() throws {
        let pods = [
            Self.pod(1, "nan", price: .nan, gpus: [.nan, .infinity, -.infinity, 1e308], idle: .nan),
            Self.pod(2, "inf", price: .infinity, gpus: [-5], idle: -.infinity),
            Self.pod(3, "huge", price: 1e308, gpus: [.leastNonzeroMagnitude], idle: 1e300),
            Self.pod(4, "neg", price: -1, idle: -3),
        ]
        for burn in [Double.nan, .infinity, -.infinity] {
            let figures = WatchFigures(pods: pods, statuses: ["RUNNING"], fleetBurnPerHour: burn, spendObservedTotal: burn,
                                       lastSuccess: Date(timeIntervalSince1970: .infinity), apiErrors: -4,
                                       events: [.idle: -1], pendingDeliveries: -2)
            let text = MetricsPage.render(figures, now: Self.now)
            let page = try PromText.parse(text)
            #expect(page.samples("yotta_fleet_burn_dollars_per_hour").isEmpty)
            #expect(page.samples("yotta_spend_observed_dollars_total").isEmpty)
            #expect(page["podtui_watch_api_errors_total", [:]] == 0)
            #expect(page["podtui_watch_pending_deliveries", [:]] == 0)
            #expect(page["podtui_watch_events_total", ["event": "idle"]] == 0)
            #expect(page["podtui_watch_last_success_timestamp_seconds", [:]].map { $0.isFinite && $0 >= 0 } == true)
            #expect(page["yotta_pod_price_dollars_per_hour", ["pod_id": "1", "name": "nan"]] == nil)
            #expect(page["yotta_pod_price_dollars_per_hour", ["pod_id": "2", "name": "inf"]] == nil)
            #expect(page["yotta_pod_price_dollars_per_hour", ["pod_id": "3", "name": "huge"]] == 1e308)
            #expect(page["yotta_pod_price_dollars_per_hour", ["pod_id": "4", "name": "neg"]] == -1)
            #expect(page.samples("yotta_pod_gpu_utilization_percent").filter { $0.labels["pod_id"] == "1" }.map(\.value) == [1e308])
            #expect(page["yotta_pod_gpu_utilization_percent", ["pod_id": "3", "name": "huge", "gpu": "0"]] == .leastNonzeroMagnitude)
            #expect(page["yotta_pod_idle_seconds", ["pod_id": "1", "name": "nan"]] == nil)
            #expect(page["yotta_pod_idle_seconds", ["pod_id": "3", "name": "huge"]] == 1e300)
        }
        let negative = try PromText.parse(MetricsPage.render(WatchFigures(spendObservedTotal: -5), now: Self.now))
        #expect(negative.samples("yotta_spend_observed_dollars_total").isEmpty, "a counter never goes below 0")
    }

    @Test("1,000 pods with 8 GPUs each: a page Prometheus reads, every series once")
    func manyPods() throws {
        var pods: [WatchFigures.PodFigures] = []
        for i in 1...1000 {
            let status = i % 3 == 0 ? "PAUSED" : "RUNNING"
            let gpus = [Double](repeating: Double(i % 100), count: 8)
            pods.append(Self.pod(Int64(i), "pod-\(i)", status, gpus: gpus, idle: Double(i)))
        }
        let page = try PromText.parse(MetricsPage.render(WatchFigures(pods: pods, statuses: Self.statuses), now: Self.now))
        #expect(page.samples("yotta_pod_status").count == 4000)
        #expect(page.samples("yotta_pod_gpu_utilization_percent").count == 8000)
        #expect(page["yotta_pod_idle_seconds", ["pod_id": "1000", "name": "pod-1000"]] == 1000)
    }
}

/// A control or bidi character other than the line feed that ends each line.
private func TextSafety_isUnsafeButNewline(_ s: Unicode.Scalar) -> Bool {
    s != "\n" && TextSafety.isUnsafe(s)
}

/// A strict reader of the Prometheus text format 0.0.4, as Prometheus's own parser reads it.
struct PromText {
    struct Sample: Equatable {
        var name: String
        var labels: [String: String]
        var value: Double
    }

    struct ParseError: Error, CustomStringConvertible {
        var line: Int
        var reason: String
        var text: String
        var description: String { "line \(line): \(reason): \(text.prefix(200))" }
    }

    var helps: [String: String] = [:]
    var types: [String: String] = [:]
    /// Family names in the order their TYPE lines came.
    var order: [String] = []
    var all: [Sample] = []

    func samples(_ name: String) -> [Sample] { all.filter { $0.name == name } }

    subscript(name: String, labels: [String: String]) -> Double? {
        all.first { $0.name == name && $0.labels == labels }?.value
    }

    static func parse(_ text: String) throws -> PromText {
        var page = PromText()
        guard text.isEmpty || text.hasSuffix("\n") else { throw ParseError(line: 0, reason: "no final line feed", text: "") }
        var current: String?
        var finished = Set<String>()
        var seen = Set<String>()
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().enumerated() {
            let line = String(raw)
            let fail = { (reason: String) in ParseError(line: index + 1, reason: reason, text: line) }
            if line.hasPrefix("# HELP ") || line.hasPrefix("# TYPE ") {
                let rest = line.dropFirst(7)
                guard let space = rest.firstIndex(of: " ") else { throw fail("no text") }
                let name = String(rest[..<space])
                guard isMetricName(name) else { throw fail("bad metric name") }
                let value = String(rest[rest.index(after: space)...])
                if line.hasPrefix("# HELP ") {
                    guard page.helps[name] == nil else { throw fail("second HELP") }
                    // In HELP only \\ and \n are escapes; a lone backslash before anything else is an error.
                    _ = try unescape(value, quotes: false, fail)
                    page.helps[name] = value
                } else {
                    guard ["counter", "gauge", "histogram", "summary", "untyped"].contains(value) else { throw fail("bad type") }
                    guard page.types[name] == nil, !finished.contains(name) else { throw fail("second TYPE") }
                    if let current, current != name { finished.insert(current) }
                    current = name
                    page.types[name] = value
                    page.order.append(name)
                }
                continue
            }
            guard !line.hasPrefix("#"), !line.isEmpty else { throw fail("unexpected line") }
            // name{labels} value, read by Unicode scalar as Prometheus reads bytes (a quote
            // followed by a combining mark is still a quote).
            let u = Array(line.unicodeScalars)
            var i = 0
            while i < u.count && u[i] != "{" && u[i] != " " { i += 1 }
            let name = String(String.UnicodeScalarView(u[..<i]))
            guard isMetricName(name) else { throw fail("bad metric name") }
            guard name == current, page.types[name] != nil else { throw fail("sample outside its family") }
            var labels: [String: String] = [:]
            if i < u.count && u[i] == "{" {
                i += 1
                while true {
                    guard i < u.count else { throw fail("unterminated labels") }
                    if u[i] == "}" { i += 1; break }
                    var j = i
                    while j < u.count && u[j] != "=" { j += 1 }
                    let key = String(String.UnicodeScalarView(u[i..<j]))
                    guard isLabelName(key), j < u.count else { throw fail("bad label name") }
                    j += 1
                    guard j < u.count, u[j] == "\"" else { throw fail("label value not quoted") }
                    j += 1
                    var value = String.UnicodeScalarView()
                    while true {
                        guard j < u.count else { throw fail("unterminated label value") }
                        let c = u[j]
                        if c == "\"" { j += 1; break }
                        if c == "\\" {
                            j += 1
                            guard j < u.count else { throw fail("dangling backslash") }
                            switch u[j] {
                            case "\\": value.append("\\")
                            case "\"": value.append("\"")
                            case "n": value.append("\n")
                            default: throw fail("bad escape")
                            }
                        } else {
                            value.append(c)
                        }
                        j += 1
                    }
                    guard labels[key] == nil else { throw fail("label twice") }
                    labels[key] = String(value)
                    i = j
                    if i < u.count && u[i] == "," { i += 1 } else if i < u.count && u[i] != "}" { throw fail("no comma between labels") }
                }
            }
            guard i < u.count, u[i] == " " else { throw fail("no value") }
            let valueText = Substring(String(String.UnicodeScalarView(u[(i + 1)...])))
            guard !valueText.contains(" ") else { throw fail("timestamp or junk after the value") }
            guard let value = goFloat(valueText) else { throw fail("value Prometheus would not read: \(valueText)") }
            guard value.isFinite else { throw fail("NaN or infinity") }
            let key = name + "|" + labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "\u{0}")
            guard seen.insert(key).inserted else { throw fail("series twice") }
            page.all.append(Sample(name: name, labels: labels, value: value))
        }
        return page
    }

    private static func unescape(_ text: String, quotes: Bool, _ fail: (String) -> ParseError) throws -> String {
        var out = ""
        var escaped = false
        for c in text {
            if escaped {
                guard c == "\\" || c == "n" || (quotes && c == "\"") else { throw fail("bad escape") }
                out.append(c == "n" ? "\n" : c)
                escaped = false
            } else if c == "\\" {
                escaped = true
            } else {
                out.append(c)
            }
        }
        guard !escaped else { throw fail("dangling backslash") }
        return out
    }

    static func isMetricName(_ s: String) -> Bool {
        guard let first = s.utf8.first, !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else { return false }
        return s.utf8.allSatisfy { $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ":") || isAlnum($0) }
    }

    static func isLabelName(_ s: String) -> Bool {
        guard let first = s.utf8.first, !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else { return false }
        return s.utf8.allSatisfy { $0 == UInt8(ascii: "_") || isAlnum($0) }
    }

    private static func isAlnum(_ b: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(b) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(b)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b)
    }

    /// A number as Go's strconv.ParseFloat reads it, decimal only (Prometheus refuses hex
    /// floats and underscores); NaN and Inf spellings are returned as such for the caller to refuse.
    static func goFloat(_ text: Substring) -> Double? {
        let lower = text.lowercased()
        if ["nan", "inf", "+inf", "-inf", "infinity", "+infinity", "-infinity"].contains(lower) { return lower == "nan" ? .nan : lower.hasPrefix("-") ? -.infinity : .infinity }
        var bytes = Array(text.utf8)[...]
        if let sign = bytes.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
        let digits = bytes.prefix { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || $0 == UInt8(ascii: ".") }
        guard !digits.isEmpty, digits.filter({ $0 == UInt8(ascii: ".") }).count <= 1, digits.contains(where: { $0 != UInt8(ascii: ".") }) else { return nil }
        var rest = bytes.dropFirst(digits.count)
        if let e = rest.first {
            guard e == UInt8(ascii: "e") || e == UInt8(ascii: "E") else { return nil }
            rest = rest.dropFirst()
            if let sign = rest.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { rest = rest.dropFirst() }
            guard !rest.isEmpty, rest.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else { return nil }
        }
        return Double(String(text))
    }
}
