import FoundationEssentials
import PodAPI
import PodTUICore

extension WatchLook {
    /// The look of the store's `state`: every pod of its last good reply (nil before one),
    /// idle and disk as the TUI judges them (the source that speaks for the pod), the
    /// reducer's own budget crossing, and the finished timers of the file it last read.
    public static func from(_ state: AppState) -> WatchLook {
        let idleTime = state.settings.probe.idleSeconds
        var pods: [PodSeen]?
        if state.connection.lastSuccess != nil {
            pods = state.fleet.allPods.map { pod in
                let running = pod.status == .running
                let seen = running ? state.metrics.pods[pod.id] : nil
                let clock = running ? state.idleClock(pod.id) : nil
                return PodSeen(id: pod.id, name: pod.name.map(WatchLook.short), status: pod.status.wireName,
                               pricePerHour: pod.pricePerHour, idle: running ? clock.map { $0.isIdle(after: idleTime) } : false,
                               idleSeconds: clock.flatMap { $0.idleSince == nil ? nil : $0.idleFor },
                               diskFull: running ? (seen?.figures[.storage] == nil ? nil : seen?.diskFull) : false, diskShare: seen?.figures[.storage]?.share)
            }
        }
        let finished = state.timers.loaded
            ? state.timers.timers.filter { $0.state == .done }.map {
                TimerSeen(id: $0.id, podID: $0.podID, name: $0.name.map(WatchLook.short), result: WatchLook.short($0.result ?? "done"),
                          firedBy: $0.claimedBy)
            }
            : nil
        return WatchLook(pods: pods, budgetPerHour: state.settings.budgetPerHour, burnPerHour: state.runningCostPerHour,
                         overBudget: state.overBudget, finishedTimers: finished, idleSeconds: idleTime)
    }
}

extension WatchLook {
    /// The longest name or timer result an event carries, in characters.
    public static let textLimit = 200

    /// `text` without control characters and cut to `textLimit` characters (with `…`): the
    /// API's names reach every event's text, the journal's memory and its outbox, and a
    /// server sending megabyte names must not make the journal too large to read back.
    public static func short(_ text: String) -> String {
        let clean = TextSafety.clean(text)
        guard clean.count > textLimit else { return clean }
        return String(clean.prefix(textLimit - 1)) + "…"
    }
}

extension WatchFigures {
    /// The `/metrics` figures of the store's `state` (GPU% from the source that speaks for
    /// each RUNNING pod), with the watcher's own health.
    public static func from(_ state: AppState, spendTotal: Double, apiErrors: Int, events: [WatchEventKind: Int],
                            pendingDeliveries: Int) -> WatchFigures {
        let pods = state.fleet.allPods.map { pod -> PodFigures in
            var gpus: [GPUFigure] = []
            var idle: Double?
            if pod.status == .running {
                switch state.idleSource(pod.id) {
                case .probe?:
                    for gpu in state.probe.pods[pod.id]?.report?.gpus ?? [] {
                        if let percent = gpu.utilization { gpus.append(GPUFigure(gpu: gpu.index, percent: percent)) }
                    }
                case .api?:
                    if let figure = state.metrics.pods[pod.id]?.figures[.gpu] {
                        for (place, value) in figure.values.enumerated() {
                            let index = place < figure.gpus.count ? figure.gpus[place] ?? place : place
                            gpus.append(GPUFigure(gpu: index, percent: value))
                        }
                    }
                case nil: break
                }
                if let clock = state.idleClock(pod.id) { idle = clock.idleSince == nil ? 0 : clock.idleFor }
            }
            return PodFigures(id: pod.id, name: TextSafety.clean(pod.nameOrEmpty), status: pod.status.wireName,
                              pricePerHour: pod.pricePerHour, gpuUtilization: gpus, idleSeconds: idle)
        }
        return WatchFigures(pods: pods, statuses: PodStatus.known.map(\.wireName), fleetBurnPerHour: state.runningCostPerHour,
                            spendObservedTotal: spendTotal, lastSuccess: state.connection.lastSuccess, apiErrors: apiErrors,
                            events: events, pendingDeliveries: pendingDeliveries)
    }
}
