import Foundation
import PodAPI

/// The simulator's pod metrics (API notes §6.5), made up from each pod's id so that every
/// request for the same instant gives the same figure: a quarter of the running pods are
/// training (GPUs busy), a quarter sit idle (GPUs near 0 % while billing), a quarter fill
/// their disk, the rest move between. Only RUNNING pods have samples, from their creation on.
enum SimMetrics {
    /// What a pod does, from its id.
    enum Profile: Int { case training, idle, fillingDisk, mixed }

    static func profile(_ pod: Pod) -> Profile { Profile(rawValue: Int(UInt64(bitPattern: pod.id) % 4)) ?? .mixed }

    static let gib = 1024.0 * 1024 * 1024

    /// The series of `kind` for `pod` between `start` and `end` at `step`, or nil when the
    /// pod has no such metric (a CPU pod's GPU routes).
    static func series(_ pod: Pod, kind: MetricKind, start: Date, end: Date, step: MetricStep, now: Date) -> [Series]? {
        let gpus = pod.isCPU ? 0 : max(1, min(pod.gpuCount ?? 1, 16))
        if (kind == .gpu || kind == .gpuMemory) && gpus == 0 { return nil }
        guard pod.status == .running else { return [] }
        let from = max(start, pod.createdAt ?? start), to = min(end, now)
        var times: [Date] = []
        var t = (from.timeIntervalSince1970 / step.seconds).rounded(.up) * step.seconds
        while t <= to.timeIntervalSince1970, times.count < 5_000 {
            times.append(Date(timeIntervalSince1970: t))
            t += step.seconds
        }
        let profile = profile(pod)
        let id = String(pod.id)
        switch kind {
        case .gpu:
            return (0..<gpus).map { g in
                Series(labels: ["pod_id": id, "gpu_show_index": String(g)],
                       points: times.map { ($0, gpuUtilization(pod, profile, gpu: g, at: $0)) })
            }
        case .gpuMemory:
            let total = Double(pod.singleCardVramInGb ?? 80) * gib
            return (0..<gpus).map { g in
                Series(labels: ["pod_id": id, "gpu_show_index": String(g)],
                       points: times.map { ($0, total * (profile == .idle ? 0.02 : 0.45 + 0.4 * noise(pod.id, g, $0))) },
                       latestTotal: total)
            }
        case .cpu:
            return [Series(labels: ["pod_id": id],
                           points: times.map { ($0, profile == .idle ? 0.02 + 0.03 * noise(pod.id, 99, $0) : 0.3 + 1.2 * noise(pod.id, 98, $0)) })]
        case .memory:
            let total = Double(max(1, pod.singleCardRamInGb ?? 64) * gpus.clamped(atLeast: 1)) * gib
            return [Series(labels: ["pod_id": id],
                           points: times.map { ($0, total * (0.25 + 0.5 * noise(pod.id, 97, $0))) }, latestTotal: total)]
        case .storage:
            let total = Double(pod.containerVolumeInGb ?? 100) * gib
            return [Series(labels: ["pod_id": id],
                           points: times.map { ($0, total * diskShare(pod, profile, at: $0)) }, latestTotal: total)]
        }
    }

    /// One series before it is written in the quirks' dialect.
    struct Series {
        var labels: [String: String]
        var points: [(Date, Double)]
        var latestTotal: Double?
    }

    static func gpuUtilization(_ pod: Pod, _ profile: Profile, gpu: Int, at time: Date) -> Double {
        let n = noise(pod.id, gpu, time)
        switch profile {
        case .training: return 88 + 11 * n
        case .idle: return 2 * n
        case .fillingDisk: return 60 + 30 * n
        case .mixed:
            let phase = time.timeIntervalSince1970 / 1800 + Double(gpu)
            return max(0, min(100, 50 + 40 * sin(phase) + 10 * n))
        }
    }

    /// A filling disk goes from 40 % at creation to 97 % six hours later, then stays.
    static func diskShare(_ pod: Pod, _ profile: Profile, at time: Date) -> Double {
        guard profile == .fillingDisk else { return 0.3 + 0.05 * noise(pod.id, 96, time) }
        let age = time.timeIntervalSince(pod.createdAt ?? time)
        return min(0.97, 0.4 + 0.57 * max(0, age) / 21_600)
    }

    /// A number in [0, 1) fixed by the pod, a channel and the instant (to the second).
    static func noise(_ id: Int64, _ channel: Int, _ time: Date) -> Double {
        let second = UInt64(bitPattern: Int64(time.timeIntervalSince1970.rounded(.down)))
        var random = SeededRandom(seed: UInt64(bitPattern: id) &* 31 &+ UInt64(channel) &* 1_000_003 &+ second)
        return Double(random.next() >> 11) / Double(1 << 53)
    }
}

private extension Int {
    func clamped(atLeast low: Int) -> Int { Swift.max(self, low) }
}
