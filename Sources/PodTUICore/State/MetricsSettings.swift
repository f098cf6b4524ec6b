import PodAPI

/// API metrics' settings: `metrics` and `metrics_requests_per_second` in `config.yaml`'s `ui:`,
/// `--no-metrics` on the command line, `:metrics on|off` while running.
public struct MetricsSettings: Sendable, Equatable {
    /// GPU%, VRAM and the rest from Yotta's metrics API for every RUNNING pod (on by default).
    public var enabled = true
    /// The average budget of podtui's metrics requests, per second, whatever the fleet size.
    public var requestsPerSecond = 1.0
    /// The detail pane's window (`w`/`W`, `:window`).
    public var window: MetricWindow = .h1

    /// What `metrics_requests_per_second` accepts.
    public static let rateRange = 0.05...20.0

    public init() {}
}


