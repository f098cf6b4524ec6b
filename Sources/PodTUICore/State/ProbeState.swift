import FoundationEssentials
import PodProbe

/// GPU probing as the UI knows it: the schedule, what each probed pod showed last, and the
/// pods whose ssh command podtui will not run. Kept only for RUNNING pods; a pod that stops
/// running loses its figures and its idle clock.
public struct ProbeState: Sendable, Equatable {
    public var schedule = ProbeSchedule()
    /// RUNNING pods and where their probe goes (or why it does not), recomputed when the
    /// list changes, never per tick.
    public var targets: [Int64: Result<ProbeTarget, ProbeFailure>] = [:]
    /// The `sshCmd` each target was read from (a target is read again only when it changes).
    public var commands: [Int64: String] = [:]
    /// The probeable pods among them, in list order.
    public var candidates: [Int64] = []
    public var pods: [Int64: ProbedPod] = [:]
    /// Pods whose refused ssh command was already reported (said once per pod).
    public var reportedRefusals: Set<Int64> = []
    /// Idle clocks read from `gpu-idle.json` at start, taken up by a pod's first answer.
    public var restoredIdle: [Int64: IdleClock] = [:]
    public var idleLoadRequested = false
    /// Clocks changed since the last save (saved at most every `idleSaveEvery` seconds),
    /// and pods whose clock stopped.
    public var idleDirty: Set<Int64> = []
    public var idleCleared: Set<Int64> = []
    public var lastIdleSave: Date?

    public init() {}

    /// Seconds between writes of changed idle clocks.
    public static let idleSaveEvery = 10.0

    /// Samples of utilization kept per GPU for the detail pane's sparkline.
    public static let historyLength = 30

    /// GPUs under the idle threshold in the latest reports, and GPUs reported in all.
    public func idleGPUs(under threshold: Double) -> (idle: Int, total: Int) {
        var idle = 0, total = 0
        for pod in pods.values {
            guard let report = pod.report else { continue }
            for gpu in report.gpus {
                total += 1
                if let u = gpu.utilization, u < threshold { idle += 1 }
            }
        }
        return (idle, total)
    }
}

/// One pod's probe results.
public struct ProbedPod: Sendable, Equatable {
    /// The latest report and when it came.
    public var report: ProbeReport?
    public var reportAt: Date?
    /// The latest failure (cleared by a success) and when.
    public var failure: ProbeFailure?
    public var failedAt: Date?
    /// Utilization per GPU index, oldest first, at most `ProbeState.historyLength`.
    public var history: [Int: [Double?]] = [:]
    public var idle = IdleClock()
    /// The current idle stretch was announced.
    public var announced = false

    public init(idle: IdleClock = IdleClock()) { self.idle = idle }

    /// Its GPUs have been under the idle threshold for the settings' idle time: the list's
    /// badge, the detail pane, `idle:yes` and the one announcement all ask this.
    public func isIdle(_ settings: ProbeSettings) -> Bool {
        idle.isIdle(after: settings.idleSeconds)
    }
}
