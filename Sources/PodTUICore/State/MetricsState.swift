import FoundationEssentials
import PodAPI
import PodProbe

/// API metrics as the UI knows them: the request schedule, the latest figures and idle
/// clock of each RUNNING pod, and the selected pod's history for the detail pane. Kept only
/// for RUNNING pods (a pod that stops loses its figures); the history only for one pod.
public struct MetricsState: Sendable, Equatable {
    public var schedule = MetricsSchedule()
    /// RUNNING pods, in list order: the only ones ever asked.
    public var running: [Int64] = []
    /// The same pods as a set, made once per changed reply (a tick asks it for every row).
    public var runningSet: Set<Int64> = []
    /// The RUNNING pods without GPUs (their GPU routes are not asked).
    public var cpuOnly: Set<Int64> = []
    /// Where the fleet and disk lanes' next candidates start in `running`: each tick offers
    /// the schedule a window of `fleetWindow` pods from here, not the whole fleet (a tick
    /// at 10,000 pods must not walk 20,000 jobs), and the cursor moves on by what started.
    public var fleetCursor = 0
    public var diskCursor = 0

    /// GPUs under the idle threshold in the newest API figures, and GPUs with a figure (kept
    /// as answers come, so the header never walks the fleet).
    public var idleGPUs = 0
    public var seenGPUs = 0

    /// Pods offered to the fleet and disk lanes per tick.
    public static let fleetWindow = 64
    public var pods: [Int64: PodMetricsSeen] = [:]
    /// The selected pod's history over the detail pane's window.
    public var detail: MetricsHistory?
    /// The last 429, 5xx or connection failure and when (shown in the detail pane; the
    /// figures already on screen stay).
    public var lastFailure: String?
    public var lastFailureAt: Date?

    public init() {}

    /// Disk use at or over this share is "full" (badge, event, announcement).
    public static let diskFullShare = 0.9
    /// ...and under this it is no longer (so a disk at 89.9–90.1 % is not news every poll).
    public static let diskClearShare = 0.85
}

/// One RUNNING pod's figures from the metrics API.
public struct PodMetricsSeen: Sendable, Equatable {
    /// The newest figures of each kind asked, and when they came.
    public var figures: [MetricKind: MetricFigure] = [:]
    /// Kinds the server has no metrics for (in its words), until a later answer has some.
    public var unavailable: [MetricKind: String] = [:]
    /// Kinds that answered with no samples yet.
    public var noData: Set<MetricKind> = []
    /// How long every GPU has been idle, from the history the API returned.
    public var idle = IdleClock()
    /// The current idle stretch was announced.
    public var idleAnnounced = false
    /// The disk is at or over `diskFullShare` (announced once until it drops under
    /// `diskClearShare`).
    public var diskFull = false

    public init() {}

    /// Mean GPU utilization of the newest samples, percent.
    public var gpuPercent: Double? { figures[.gpu]?.mean }
}

/// The newest samples of one kind: one value per series (per GPU for GPU kinds), its total
/// when the kind has one, and when it was sampled and received.
public struct MetricFigure: Sendable, Equatable {
    /// Per series, in GPU order where there is an index: (GPU index or nil, newest value).
    public var values: [Double]
    /// GPU indexes of `values` where the series said one.
    public var gpus: [Int?]
    /// The capacity (bytes), summed over series when each has one.
    public var total: Double?
    /// The newest sample's time.
    public var sampledAt: Date?
    /// When the answer came.
    public var receivedAt: Date

    public init(values: [Double], gpus: [Int?], total: Double?, sampledAt: Date?, receivedAt: Date) {
        self.values = values; self.gpus = gpus; self.total = total; self.sampledAt = sampledAt; self.receivedAt = receivedAt
    }

    /// The mean of the values (utilization, CPU).
    public var mean: Double? { values.isEmpty ? nil : values.reduce(0, +) / Double(values.count) }
    /// The sum of the values (bytes used across GPUs).
    public var sum: Double? { values.isEmpty ? nil : values.reduce(0, +) }
    /// Used as a share of the total (0…1, not clamped), when both are known.
    public var share: Double? {
        guard let sum, let total, total > 0 else { return nil }
        let share = sum / total
        return share.isFinite ? share : nil
    }

    /// The newest values of `metrics`, or nil when no series has one. Values a chart could
    /// not show (negative, absurd) are kept as sent: the text says what was sent, clamped.
    public static func newest(of metrics: PodMetrics, at now: Date) -> MetricFigure? {
        let sorted = metrics.series.sorted { ($0.gpuIndex ?? Int.max) < ($1.gpuIndex ?? Int.max) }
        var values: [Double] = [], gpus: [Int?] = [], newest: Date?
        var totals: [Double] = []
        for series in sorted {
            guard let point = series.latest, let value = point.value else { continue }
            values.append(value)
            gpus.append(series.gpuIndex)
            newest = max(newest ?? point.time, point.time)
            if let total = series.latestTotal, total.isFinite, total > 0 { totals.append(total) }
        }
        guard !values.isEmpty else { return nil }
        // A total beside `series` covers them all; totals in each series add up.
        let total = metrics.latestTotal.flatMap { $0.isFinite && $0 > 0 ? $0 : nil }
            ?? (totals.count == values.count ? totals.reduce(0, +) : nil)
        return MetricFigure(values: values, gpus: gpus, total: total, sampledAt: newest, receivedAt: now)
    }
}

/// The selected pod's series over the detail pane's window, per kind.
public struct MetricsHistory: Sendable, Equatable {
    public var pod: Int64
    public var window: MetricWindow
    /// What each kind answered; a kind not yet answered is absent.
    public var kinds: [MetricKind: Answer] = [:]

    /// One kind's answer over the window.
    public enum Answer: Sendable, Equatable {
        case data(PodMetrics, at: Date)
        case noData(at: Date)
        case notAvailable(String)
        case failed(String)
    }

    public init(pod: Int64, window: MetricWindow) { self.pod = pod; self.window = window }
}
