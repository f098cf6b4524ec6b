import FoundationEssentials
import PodAPI

/// What firing one timer did.
public struct TimerOutcome: Sendable, Equatable {
    public var timer: PauseTimer
    /// Whether a pause request was sent and accepted.
    public var paused: Bool
    public var text: String
    public init(timer: PauseTimer, paused: Bool, text: String) { self.timer = timer; self.paused = paused; self.text = text }
}

/// Fires due pause timers: claims them in the shared file (so no other process fires the
/// same one), then for each sends one pause, but only to a pod still RUNNING (one paused by
/// hand meanwhile gets nothing), and records what happened. Used by the TUI and by
/// `podtui timers run`.
public enum TimerRunner {
    public static func fireDue(service: any PodService, file: TimerFile, claimant: String, now: Date = Date(),
                               idle: [Int64: Double] = [:]) async throws -> [TimerOutcome] {
        let claimed = try file.claimDue(now: now, by: claimant, idle: idle)
        var outcomes: [TimerOutcome] = []
        for timer in claimed {
            let outcome = await fire(timer, service: service)
            try? file.finish(timer, result: outcome.text)
            outcomes.append(outcome)
        }
        return outcomes
    }

    /// A when-idle timer's minutes as a person would say them: `40s`, `30m`, `1h30m`, `2m30s`.
    static func idleText(_ minutes: Double) -> String {
        let s = max(0, Int((minutes * 60).rounded()))
        if s < 60 { return "\(s)s" }
        let h = s / 3600, m = s % 3600 / 60, rest = s % 60
        return (h > 0 ? "\(h)h" : "") + (m > 0 || h == 0 ? "\(m)m" : "") + (rest > 0 ? "\(rest)s" : "")
    }

    static func fire(_ timer: PauseTimer, service: any PodService) async -> TimerOutcome {
        let name = timer.label
        do {
            let pod = try await service.getPod(id: timer.podID)
            guard pod.status == .running else {
                return TimerOutcome(timer: timer, paused: false, text: "\(name) was \(pod.status.wireName) when its timer came due: nothing sent")
            }
            try await service.pausePod(id: timer.podID)
            if let minutes = timer.idleMinutes {
                return TimerOutcome(timer: timer, paused: true, text: "paused \(name): its GPUs were idle for \(idleText(minutes)), as its timer asked")
            }
            return TimerOutcome(timer: timer, paused: true, text: "paused \(name), as its timer asked")
        } catch let error as PodAPIError {
            if case .notFound = error {
                return TimerOutcome(timer: timer, paused: false, text: "\(name) is gone: nothing sent")
            }
            return TimerOutcome(timer: timer, paused: false, text: "pausing \(name) failed: \(error.message) (not retried)")
        } catch {
            return TimerOutcome(timer: timer, paused: false, text: "pausing \(name) failed: \(error)")
        }
    }
}
