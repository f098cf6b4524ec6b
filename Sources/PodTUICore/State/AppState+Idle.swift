import FoundationEssentials
import PodAPI
import PodProbe

/// Which source speaks for a pod's GPUs: the ssh probe when it has figures (finer, and the
/// user asked for it), else the metrics API.
public enum FigureSource: Sendable, Equatable {
    case probe, api
}

extension AppState {
    /// Whether podtui asks the metrics API now: on, and the runtime has a service to ask.
    public var metricsOn: Bool { settings.metrics.enabled && settings.metricsAvailable }

    /// The pod with this id in the last reply (a dictionary-free walk is fine: this is asked
    /// for announcements and the detail pane, not per row).
    func pod(_ id: Int64) -> Pod? {
        if let selected = selectedPod, selected.id == id { return selected }
        return fleet.allPods.first { $0.id == id }
    }

    /// Where the pod's GPU figures and idle clock come from now, or nil when nothing has
    /// figures for it.
    public func idleSource(_ id: Int64) -> FigureSource? {
        if settings.probe.enabled, probe.pods[id]?.report != nil { return .probe }
        if settings.metrics.enabled, metrics.pods[id]?.figures[.gpu] != nil { return .api }
        return nil
    }

    /// The idle clock that speaks for the pod (see `idleSource`).
    public func idleClock(_ id: Int64) -> IdleClock? {
        switch idleSource(id) {
        case .probe?: probe.pods[id]?.idle
        case .api?: metrics.pods[id]?.idle
        case nil: nil
        }
    }

    /// Its GPUs have been under the idle threshold for the idle time, by the source that
    /// speaks for it: the list's badge, `idle:yes`, "when idle" timers and the detail pane.
    public func isIdle(_ id: Int64) -> Bool {
        idleClock(id)?.isIdle(after: settings.probe.idleSeconds) ?? false
    }
}
