import FoundationEssentials
import PodAPI
import PodLocal

/// Fires due pause timers: claims them in the shared file (so no other process fires the
/// same one), then for each sends one pause, but only to a pod still RUNNING (one paused by
/// hand meanwhile gets nothing), and records what happened. Used by the TUI and by
/// `podtui timers run`. Only timers of `owner` (this endpoint and profile) are touched.
public enum TimerRunner {
    /// The longest one firing (the GET and the pause) may take: well under
    /// `PauseTimer.staleClaim`, so no other process takes the claim over while it runs.
    public static let fireDeadline: Double = 60

    /// Claims `owner`'s due timers (and stale claims) in `file` as `claimant`, fires each
    /// within `deadline`, and records each outcome: done, or back to pending after a
    /// transient failure. `clock` stamps what is recorded after the requests.
    public static func fireDue(service: any PodService, file: TimerFile, claimant: String, owner: TimerOwner, now: Date = Date(),
                               idle: [Int64: Double] = [:], deadline: Double = fireDeadline,
                               clock: @escaping @Sendable () -> Date = { Date() }) async throws -> [TimerOutcome] {
        let claimed = try file.claimDue(now: now, by: claimant, idle: idle, owner: owner)
        var outcomes: [TimerOutcome] = []
        for timer in claimed {
            outcomes.append(record(await fire(timer, service: service, deadline: deadline), in: file, now: clock()))
        }
        return outcomes
    }

    /// Writes what firing a claimed timer did to `file`: done, or back to pending after a
    /// transient failure (the outcome's text then says when it is tried again, or that it was
    /// given up). Blocking (the file's lock), so the TUI calls it on a Dispatch thread, apart
    /// from `fire`, which is async.
    public static func record(_ fired: TimerOutcome, in file: TimerFile, now: Date) -> TimerOutcome {
        var outcome = fired
        let timer = fired.timer
        if outcome.retrying {
            switch try? file.retry(timer, result: outcome.text, now: now) {
            case .later:
                outcome.text += " (tried again in \(idleText(TimerFile.backoff(failures: (timer.failures ?? 0) + 1) / 60)))"
            case .gaveUp:
                outcome.retrying = false
                outcome.text += " (given up: failing for \(idleText(PauseTimer.retryWindow / 60)))"
            case .notClaimed:
                outcome.retrying = false
            case nil:
                // The file could not be written: the claim goes stale and is taken over.
                outcome.text += " (tried again once its claim is stale)"
            }
        } else {
            try? file.finish(timer, result: outcome.text, now: now)
        }
        return outcome
    }

    /// A when-idle timer's minutes as a person would say them: `40s`, `30m`, `1h30m`, `2m30s`.
    public static func idleText(_ minutes: Double) -> String {
        let seconds = (minutes * 60).rounded()
        // A number from a hand-edited file may be anything: never trap on it.
        guard seconds.isFinite, seconds < 1e15 else { return seconds.isNaN ? "?" : "ever" }
        let s = max(0, Int(saturating: seconds))
        if s < 60 { return "\(s)s" }
        let h = s / 3600, m = s % 3600 / 60, rest = s % 60
        return (h > 0 ? "\(h)h" : "") + (m > 0 || h == 0 ? "\(m)m" : "") + (rest > 0 ? "\(rest)s" : "")
    }

    /// The firing's end, racing `deadline`.
    private enum Race: Sendable { case done(TimerOutcome), late }

    /// Fires one claimed timer within `deadline`: one GET, and a pause only to a pod still
    /// RUNNING. Touches no file (see `record`).
    public static func fire(_ timer: PauseTimer, service: any PodService, deadline: Double = fireDeadline) async -> TimerOutcome {
        let limit = deadline.isFinite ? min(max(deadline, 0), 3600) : fireDeadline
        // Unstructured tasks raced through a stream: a task group would wait for a request
        // that ignores cancellation, which is what the deadline is for.
        let (stream, continuation) = AsyncStream.makeStream(of: Race.self)
        let work = Task { continuation.yield(.done(await attempt(timer, service: service))) }
        let alarm = Task {
            try? await Task.sleep(for: .milliseconds(Int64(saturating: limit * 1000)))
            continuation.yield(.late)
        }
        var result = Race.late
        for await first in stream { result = first; break }
        work.cancel()
        alarm.cancel()
        continuation.finish()
        switch result {
        case .done(let outcome): return outcome
        case .late:
            return TimerOutcome(timer: timer, paused: false,
                                text: "pausing \(timer.label) took longer than \(idleText(limit / 60)): not known to be sent", retrying: true)
        }
    }

    static func attempt(_ timer: PauseTimer, service: any PodService) async -> TimerOutcome {
        let name = timer.label
        do {
            let pod = try await service.getPod(id: timer.podID)
            guard pod.status == .running else {
                return TimerOutcome(timer: timer, paused: false, text: "\(name) was \(pod.status.wireName) when its timer came due: nothing sent")
            }
            try Task.checkCancellation()
            try await service.pausePod(id: timer.podID)
            if let minutes = timer.trigger.idleMinutes {
                return TimerOutcome(timer: timer, paused: true, text: "paused \(name): its GPUs were idle for \(idleText(minutes)), as its timer asked")
            }
            return TimerOutcome(timer: timer, paused: true, text: "paused \(name), as its timer asked")
        } catch let error as PodAPIError {
            if case .notFound = error {
                return TimerOutcome(timer: timer, paused: false, text: "\(name) is gone: nothing sent")
            }
            if error.isTransient {
                return TimerOutcome(timer: timer, paused: false, text: "pausing \(name) failed: \(error.message)", retrying: true)
            }
            return TimerOutcome(timer: timer, paused: false, text: "pausing \(name) failed: \(error.message) (not retried)")
        } catch is CancellationError {
            return TimerOutcome(timer: timer, paused: false, text: "pausing \(name) was cut short", retrying: true)
        } catch {
            return TimerOutcome(timer: timer, paused: false, text: "pausing \(name) failed: \(error)")
        }
    }
}
