/// GPU probing's settings: `gpu_probe`, `gpu_probe_interval`, `gpu_idle_percent`,
/// `gpu_idle_minutes` in `config.yaml`; `--gpu-probe` and `:probe on|off` turn it on and off.
public struct ProbeSettings: Sendable, Equatable {
    public var enabled = false
    /// Seconds from the start of one probe of a pod to the next.
    public var interval = 30.0
    /// A GPU under this utilization (percent) is idle.
    public var idlePercent = 5.0
    /// A pod whose GPUs are all idle this long (minutes) is flagged and announced.
    public var idleMinutes = 15.0

    public init() {}

    /// `idleMinutes` in seconds.
    public var idleSeconds: Double { idleMinutes * 60 }
}
