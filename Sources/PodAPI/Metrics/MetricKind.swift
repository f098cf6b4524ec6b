import FoundationEssentials

/// One of the pod metrics Yotta's API serves (API notes §6.5), each a route of its own.
public enum MetricKind: String, Sendable, CaseIterable, Hashable, Codable {
    /// GPU SM utilization in percent (0–100), one series per GPU (`gpu_show_index`).
    case gpu
    /// GPU memory in bytes, per GPU, with a total.
    case gpuMemory = "gpu-memory"
    /// CPU use as a ratio of the pod's requested cores: 1.0 is 100 % (it can exceed 1).
    case cpu
    /// Memory in use, bytes, with `latest_total`.
    case memory
    /// Container disk in use, bytes, with a total.
    case storage

    /// The route for pod `id`.
    public func path(pod id: Int64) -> String {
        switch self {
        case .gpu: "/v2/metrics/gpu/pods/\(id)"
        case .gpuMemory: "/v2/metrics/gpu/pods/\(id)/memory"
        case .cpu: "/v2/metrics/cpu/pods/\(id)"
        case .memory: "/v2/metrics/memory/pods/\(id)"
        case .storage: "/v2/metrics/storage/pods/\(id)"
        }
    }

    /// Whether the kind has a capacity (`latest_total`): memory, GPU memory and disk.
    public var hasCapacity: Bool { self == .gpuMemory || self == .memory || self == .storage }

    /// Whether its values are bytes (else a percentage or a ratio).
    public var isBytes: Bool { hasCapacity }

    /// The kind for a name as a user types it (`gpu-memory`, `vram`, `disk`…), any case.
    public init?(parsing text: String) {
        switch text.trimmed.lowercased() {
        case "gpu", "gpu-util", "utilization": self = .gpu
        case "gpu-memory", "gpu_memory", "gpumemory", "vram": self = .gpuMemory
        case "cpu": self = .cpu
        case "memory", "mem", "ram": self = .memory
        case "storage", "disk": self = .storage
        default: return nil
        }
    }
}

/// The `step` of a metrics request, each with the widest window the API allows for it.
public enum MetricStep: String, Sendable, CaseIterable, Hashable, Codable {
    case s30 = "30s", m5 = "5m", m15 = "15m", h1 = "1h", h4 = "4h", d1 = "1d"

    /// The step in seconds.
    public var seconds: Double {
        switch self {
        case .s30: 30
        case .m5: 300
        case .m15: 900
        case .h1: 3600
        case .h4: 14_400
        case .d1: 86_400
        }
    }

    /// The widest `end - start` the API accepts with this step (API notes §6.5).
    public var widestWindow: Double {
        switch self {
        case .s30: 3 * 3600
        case .m5: 12 * 3600
        case .m15: 2 * 86_400
        case .h1: 7 * 86_400
        case .h4: 30 * 86_400
        case .d1: 90 * 86_400
        }
    }

    /// The finest step whose window covers `seconds`, or nil beyond 90 days.
    public static func finest(for seconds: Double) -> MetricStep? {
        guard seconds.isFinite, seconds > 0 else { return .s30 }
        return allCases.first { $0.widestWindow >= seconds }
    }
}

/// How far back a metrics view looks: `1h`, `3h`, `12h`, `2d`, `7d`, `30d`, `90d`.
public enum MetricWindow: String, Sendable, CaseIterable, Hashable, Codable {
    case h1 = "1h", h3 = "3h", h12 = "12h", d2 = "2d", d7 = "7d", d30 = "30d", d90 = "90d"

    public var seconds: Double {
        switch self {
        case .h1: 3600
        case .h3: 3 * 3600
        case .h12: 12 * 3600
        case .d2: 2 * 86_400
        case .d7: 7 * 86_400
        case .d30: 30 * 86_400
        case .d90: 90 * 86_400
        }
    }

    /// The finest step the API allows for this window.
    public var step: MetricStep { MetricStep.finest(for: seconds) ?? .d1 }
}
