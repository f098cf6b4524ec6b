import Foundation
import Hummingbird
import PodAPI

/// `/v2/metrics/{gpu,cpu,memory,storage}/pods/{id}` and `/v2/metrics/gpu/pods/{id}/memory`,
/// with the server's own rules: `start`/`end` in epoch ms (one alone means an hour from or to
/// it, neither the last hour), `step` one of `30s|5m|15m|1h|4h|1d` (the finest that covers the
/// window when absent), a window wider than the step allows refused with HTTP 400 + 10001.
extension SimulatorRoutes {
    func addMetricsRoutes(_ router: Router<SimContext>) {
        let routes: [(String, MetricKind)] = [
            ("/v2/metrics/gpu/pods/:id", .gpu), ("/v2/metrics/gpu/pods/:id/memory", .gpuMemory),
            ("/v2/metrics/cpu/pods/:id", .cpu), ("/v2/metrics/memory/pods/:id", .memory),
            ("/v2/metrics/storage/pods/:id", .storage),
        ]
        for (path, kind) in routes {
            router.get(RouterPath(path)) { request, context in
                try await handle(request, context) { try await metrics(kind, request, context.parameters.get("id") ?? "") }
            }
        }
    }

    private func metrics(_ kind: MetricKind, _ request: Request, _ rawID: String) async throws -> Response {
        let quirk = await state.quirks.metrics
        switch quirk {
        case .missing: return plain(.notFound, "Not Found")
        case .code10001: return error(.badRequest, code: PodAPIError.Code.invalidParameters, "metrics are not available for this pod")
        case .slow: try await Task.sleep(for: .seconds(2))
        case .normal, .empty, .strings: break
        }
        guard let id = PodID.parse(rawID) else {
            return error(.badRequest, code: PodAPIError.Code.invalidParameters, "pod_id: must be a positive integer")
        }
        let params = request.uri.queryParameters
        let now = Date()
        func millis(_ name: String) -> Date?? {
            guard let text = params.get(name) else { return .some(nil) }
            guard let ms = Int64(text), ms >= 0 else { return nil }
            return .some(Date(timeIntervalSince1970: Double(ms) / 1000))
        }
        guard let startParam = millis("start"), let endParam = millis("end") else {
            return error(.badRequest, code: PodAPIError.Code.invalidParameters, "start, end: epoch milliseconds")
        }
        let end = endParam ?? startParam.map { $0.addingTimeInterval(3600) } ?? now
        let start = startParam ?? end.addingTimeInterval(-3600)
        guard start < end else { return error(.badRequest, code: PodAPIError.Code.invalidParameters, "start must be before end") }
        let window = end.timeIntervalSince(start)
        let step: MetricStep
        if let text = params.get("step") {
            guard let chosen = MetricStep(rawValue: text) else {
                return error(.badRequest, code: PodAPIError.Code.invalidParameters,
                             "step: one of \(MetricStep.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            step = chosen
        } else {
            guard let finest = MetricStep.finest(for: window) else {
                return error(.badRequest, code: PodAPIError.Code.invalidParameters, "the window is wider than 90 days")
            }
            step = finest
        }
        guard window <= step.widestWindow else {
            return error(.badRequest, code: PodAPIError.Code.invalidParameters,
                         "step \(step.rawValue) allows a window of at most \(Self.duration(step.widestWindow))")
        }
        guard let pod = await state.get(id) else { return await notFound() }
        guard let series = SimMetrics.series(pod, kind: kind, start: start, end: end, step: step, now: now) else {
            return plain(.notFound, "Not Found")   // a CPU pod has no GPU metrics
        }
        if quirk == .empty { return try envelope(Optional<String>.none) }
        return try envelope(WireMetrics(kind: kind, series: series, strings: quirk == .strings))
    }

    static func duration(_ seconds: Double) -> String {
        seconds >= 86_400 ? "\(Int(seconds / 86_400))d" : "\(Int(seconds / 3600))h"
    }
}

/// The reply's `data`: `{metric_name, series: [{labels, data_points: [{timestamp, value}]}],
/// latest_total}`; with `strings`, numbers as strings and `latest_total` in each series.
struct WireMetrics: Encodable {
    let kind: MetricKind
    let series: [SimMetrics.Series]
    let strings: Bool

    enum Key: String, CodingKey { case metricName = "metric_name", series, latestTotal = "latest_total" }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        let names: [MetricKind: String] = [.gpu: "gpu_utilization", .gpuMemory: "gpu_memory_used", .cpu: "cpu_usage",
                                           .memory: "memory_used", .storage: "storage_used"]
        try c.encode(names[kind], forKey: .metricName)
        try c.encode(series.map { WireSeries(series: $0, strings: strings) }, forKey: .series)
        // Beside `series`, the total covers them all (8 GPUs of 80 GiB: 640 GiB), as the
        // client reads it.
        let totals = series.compactMap(\.latestTotal)
        if !strings, !totals.isEmpty, totals.count == series.count { try c.encode(totals.reduce(0, +), forKey: .latestTotal) }
    }
}

struct WireSeries: Encodable {
    let series: SimMetrics.Series
    let strings: Bool
    enum Key: String, CodingKey { case labels, dataPoints = "data_points", latestTotal = "latest_total" }
    struct Point: Encodable {
        let time: Date, value: Double, strings: Bool
        enum Key: String, CodingKey { case timestamp, value }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: Key.self)
            let ms = Int64(time.timeIntervalSince1970 * 1000)
            let rounded = (value * 1000).rounded() / 1000
            if strings {
                try c.encode(String(ms), forKey: .timestamp)
                try c.encode(String(rounded), forKey: .value)
            } else {
                try c.encode(ms, forKey: .timestamp)
                try c.encode(rounded, forKey: .value)
            }
        }
    }
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(series.labels, forKey: .labels)
        try c.encode(series.points.map { Point(time: $0.0, value: $0.1, strings: strings) }, forKey: .dataPoints)
        if strings, let total = series.latestTotal { try c.encode(String(total), forKey: .latestTotal) }
    }
}
