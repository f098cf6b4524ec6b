import FoundationEssentials

/// What a metrics route answered for one pod.
public enum MetricsAnswer: Sendable, Equatable {
    /// Series, at least one with a value.
    case data(PodMetrics)
    /// The pod has metrics but none yet in the window (`data: null`, no series, no values).
    case noData
    /// The server has no metrics for this pod, in the words of `reason`: HTTP 404, code
    /// 10001, 10007 or 13000, or an empty reply (a paused pod, a CPU pod's GPU route, a
    /// server without the routes). The caller remembers it per pod and asks again later.
    case notAvailable(String)
}
