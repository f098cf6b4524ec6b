import FoundationEssentials

/// When each pod is probed: every `interval` seconds from the start of its last probe,
/// never two at once for one pod, at most `maxConcurrent` in all, and after failures with
/// a backoff that doubles up to `maxBackoff`. Pure: the reducer keeps it in state.
public struct ProbeSchedule: Sendable, Equatable {
    public struct Slot: Sendable, Equatable {
        public var inFlight = false
        public var startedAt: Date?
        public var nextDue: Date?
        public var failures = 0
    }

    public var interval: Double
    public var maxConcurrent: Int
    public var maxBackoff: Double
    public private(set) var slots: [Int64: Slot] = [:]

    public init(interval: Double = 30, maxConcurrent: Int = 4, maxBackoff: Double = 300) {
        self.interval = interval; self.maxConcurrent = maxConcurrent; self.maxBackoff = maxBackoff
    }

    public var inFlightCount: Int { slots.values.reduce(0) { $0 + ($1.inFlight ? 1 : 0) } }

    /// Which of `candidates` to start now (marked in flight), as many as the cap leaves room
    /// for: pods whose last probe worked first, then the longest-waiting, so many pods that
    /// cannot be reached (each taking up to its deadline) never starve the ones that can.
    public mutating func start(_ candidates: [Int64], now: Date) -> [Int64] {
        var room = maxConcurrent - inFlightCount
        guard room > 0 else { return [] }
        let due = candidates.filter { id in
            guard let slot = slots[id] else { return true }
            return !slot.inFlight && (slot.nextDue.map { $0 <= now } ?? true)
        }.sorted { a, b in
            let fa = (slots[a]?.failures ?? 0) > 0 ? 1 : 0, fb = (slots[b]?.failures ?? 0) > 0 ? 1 : 0
            return (fa, slots[a]?.nextDue ?? .distantPast, a) < (fb, slots[b]?.nextDue ?? .distantPast, b)
        }
        var started: [Int64] = []
        for id in due where room > 0 {
            slots[id, default: Slot()].inFlight = true
            slots[id]?.startedAt = now
            started.append(id)
            room -= 1
        }
        return started
    }

    /// A probe of `id` ended.
    public mutating func finished(_ id: Int64, success: Bool, now: Date) {
        guard var slot = slots[id] else { return }
        slot.inFlight = false
        if success {
            slot.failures = 0
            slot.nextDue = max(now, (slot.startedAt ?? now).addingTimeInterval(interval))
        } else {
            slot.failures += 1
            slot.nextDue = now.addingTimeInterval(backoff(failures: slot.failures))
        }
        slots[id] = slot
    }

    /// The wait after `failures` failures in a row: interval, 2×, 4×… up to `maxBackoff`.
    public func backoff(failures: Int) -> Double {
        let factor = Double(1 << min(max(0, failures - 1), 16))
        return min(maxBackoff, max(interval, interval * factor))
    }

    /// Forgets pods no longer probed (but keeps one in flight until it answers).
    public mutating func keep(_ ids: Set<Int64>) {
        slots = slots.filter { ids.contains($0.key) || $0.value.inFlight }
    }

    /// Probe everything again now (`:probe on`, a changed interval).
    public mutating func resetDue() {
        for id in slots.keys { slots[id]?.nextDue = nil; slots[id]?.failures = 0 }
    }
}
