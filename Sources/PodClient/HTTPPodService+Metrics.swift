import FoundationEssentials
import PodAPI

extension HTTPPodService {
    /// `GET /v2/metrics/{kind}/pods/{id}?start=&end=&step=` (epoch ms, API notes §6.5).
    /// Reads are retried as every GET is; "not available" is an answer, not an error; 429,
    /// 5xx and connection failures throw, for the caller's backoff.
    public func podMetrics(id: Int64, kind: MetricKind, start: Date, end: Date, step: MetricStep) async throws -> MetricsAnswer {
        let query = [("start", String(Timestamp.milliseconds(start))), ("end", String(Timestamp.milliseconds(end))),
                     ("step", step.rawValue)]
        let status: Int, body: Data
        do {
            (status, body) = try await sendRaw(.GET, kind.path(pod: id), query: query)
        } catch let error as PodAPIError {
            if let reason = Self.unavailable(error) { return .notAvailable(reason) }
            throw error
        }
        return try Self.metricsAnswer(status: status, body: body)
    }

    /// The answer a 2xx metrics reply gives (static, for tests to feed bytes).
    static func metricsAnswer(status: Int, body: Data) throws -> MetricsAnswer {
        guard !body.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) else {
            return .notAvailable("the server sent an empty reply")
        }
        // The usual good reply is read by the fast path; anything else as before.
        if (200..<300).contains(status), let metrics = MetricsFastPath.decode(body) {
            return metrics.isEmpty ? .noData : .data(metrics)
        }
        do {
            guard let metrics: PodMetrics = try decodeOptionalReply(status: status, body: body) else { return .noData }
            return metrics.isEmpty ? .noData : .data(metrics)
        } catch let error as PodAPIError {
            if let reason = unavailable(error) { return .notAvailable(reason) }
            throw error
        }
    }

    /// The words for an error that means "no metrics for this pod", or nil for any other.
    static func unavailable(_ error: PodAPIError) -> String? {
        switch error {
        case .notFound, .http(404, _):
            return "the server has no metrics for this pod (HTTP 404)"
        case .api(_, let code, let message, _) where [PodAPIError.Code.invalidParameters, PodAPIError.Code.recordNotFound,
                                                      PodAPIError.Code.podNotFound].contains(code):
            return "the server has no metrics for this pod (code \(code)" + (message.isEmpty ? ")" : ": \(message))")
        default:
            return nil
        }
    }
}
