import FoundationEssentials
import PodAPI
import PodProbe
import PodLocal

/// GPU probing in the UI: which RUNNING pods are probed and when (the schedule in
/// `state.probe`), what a probe's answer does (figures, history, the idle clock, the
/// one announcement per idle stretch), and `:probe on|off`.
enum ProbeReducer {
    /// After the pods changed (or probing was turned on): RUNNING pods and their targets.
    /// A pod whose ssh command is refused is reported once; pods that stopped running lose
    /// their figures and idle clocks.
    static func podsChanged(_ state: inout AppState) {
        guard state.settings.probe.enabled else { return }
        var targets: [Int64: Result<ProbeTarget, ProbeFailure>] = [:]
        var commands: [Int64: String] = [:]
        var candidates: [Int64] = []
        for pod in state.fleet.allPods where pod.status == .running {
            // A reply with 10,000 pods changes a few of them: the others keep their target.
            let command = pod.sshCmd ?? ""
            let target: Result<ProbeTarget, ProbeFailure>
            if state.probe.commands[pod.id] == command, let known = state.probe.targets[pod.id] {
                target = known
            } else {
                target = ProbeTarget.parse(pod.sshCmd)
            }
            targets[pod.id] = target
            commands[pod.id] = command
            switch target {
            case .success: candidates.append(pod.id)
            case .failure(let failure):
                // No ssh command is not news; one podtui refuses to run is, once per pod.
                guard pod.sshCmd?.isEmpty == false, !state.probe.reportedRefusals.contains(pod.id) else { break }
                state.probe.reportedRefusals.insert(pod.id)
                let text = "\(TextSafety.clean(pod.label)): not probed: \(failure.reason)"
                Reducer.record(&state, pod.id, text, .bad)
                state.say(text, .error)
            }
        }
        let before = state.probe.pods.count
        state.probe.targets = targets
        state.probe.commands = commands
        state.probe.candidates = candidates
        for (id, probed) in state.probe.pods where targets[id] == nil && probed.idle.idleSince != nil {
            state.probe.idleCleared.insert(id)
            state.probe.idleDirty.remove(id)
        }
        state.probe.pods = state.probe.pods.filter { targets[$0.key] != nil }
        state.probe.schedule.keep(Set(candidates))
        if state.probe.pods.count != before, state.fleet.filter.idle != nil { Reducer.refresh(&state) }
    }

    /// Once a second: start the probes that are due, within the cap; save changed idle clocks.
    static func tick(_ state: inout AppState) -> [Effect] {
        guard state.settings.probe.enabled, state.settings.probesAvailable else { return [] }
        var effects: [Effect] = []
        if state.settings.timersEnabled {
            // The state directory is there: idle clocks outlive a restart.
            if !state.probe.idleLoadRequested {
                state.probe.idleLoadRequested = true
                effects.append(.loadIdleClocks)
            }
            if !state.probe.idleDirty.isEmpty || !state.probe.idleCleared.isEmpty,
               state.probe.lastIdleSave.map({ state.now.timeIntervalSince($0) >= ProbeState.idleSaveEvery }) ?? true {
                var records: [Int64: IdleRecord] = [:]
                for id in state.probe.idleDirty {
                    if let clock = state.probe.pods[id]?.idle, let since = clock.idleSince, let last = clock.lastIdleSample {
                        records[id] = IdleRecord(idleSince: since, lastIdleSample: last)
                    }
                }
                let cleared = state.probe.idleCleared.subtracting(records.keys).sorted()
                effects.append(.saveIdleClocks(records, cleared: cleared))
                state.probe.idleDirty = []
                state.probe.idleCleared = []
                state.probe.lastIdleSave = state.now
            }
        }
        return effects + start(&state)
    }

    /// The probes that are due, within the cap.
    static func start(_ state: inout AppState) -> [Effect] {
        guard !state.probe.candidates.isEmpty, state.probe.schedule.inFlightCount < state.probe.schedule.maxConcurrent else { return [] }
        let started = state.probe.schedule.start(state.probe.candidates, now: state.now)
        let jobs = started.compactMap { id -> ProbeJob? in
            guard case .success(let target)? = state.probe.targets[id] else { return nil }
            return ProbeJob(podID: id, target: target)
        }
        return jobs.isEmpty ? [] : [.probe(jobs)]
    }

    /// A probe's answer.
    static func finished(_ state: inout AppState, _ id: Int64, _ result: Result<ProbeReport, ProbeFailure>) {
        let success = if case .success = result { true } else { false }
        state.probe.schedule.finished(id, success: success, now: state.now)
        // Probing was turned off, or the pod stopped running while this was out.
        guard state.settings.probe.enabled, state.probe.targets[id] != nil else { return }
        // A pod's first answer takes up a saved clock, else the one the API's history gave
        // (the probe continues it when its samples follow on), so the idle time is not reset.
        var probed = state.probe.pods[id]
            ?? ProbedPod(idle: state.probe.restoredIdle.removeValue(forKey: id) ?? state.metrics.pods[id]?.idle ?? IdleClock())
        let wasIdle = probed.isIdle(state.settings.probe)
        let clockBefore = probed.idle
        switch result {
        case .success(let report):
            probed.report = report
            probed.reportAt = state.now
            probed.failure = nil
            for gpu in report.gpus {
                var samples = probed.history[gpu.index] ?? []
                samples.append(gpu.utilization)
                if samples.count > ProbeState.historyLength { samples.removeFirst(samples.count - ProbeState.historyLength) }
                probed.history[gpu.index] = samples
            }
            let load = report.load(under: state.settings.probe.idlePercent)
            // A probe or two may fail in a stretch; a gap of three intervals is not seen.
            probed.idle.record(load, at: state.now, maxGap: max(120, 3 * state.settings.probe.interval))
            if load == .busy { probed.announced = false }
        case .failure(let failure):
            probed.failure = failure
            probed.failedAt = state.now
        }
        state.probe.pods[id] = probed
        if probed.idle != clockBefore {
            if probed.idle.idleSince != nil { state.probe.idleDirty.insert(id) } else { state.probe.idleCleared.insert(id); state.probe.idleDirty.remove(id) }
        }
        if probed.isIdle(state.settings.probe), !probed.announced {
            state.probe.pods[id]?.announced = true
            // One announcement per idle stretch, whichever source saw it first.
            if state.metrics.pods[id]?.idleAnnounced != true { announceIdle(&state, id, probed) }
            state.metrics.pods[id]?.idleAnnounced = true
        }
        if wasIdle != probed.isIdle(state.settings.probe), state.fleet.filter.idle != nil { Reducer.refresh(&state) }
    }

    /// Clocks saved by earlier runs: kept until the pod's first answer takes one up.
    static func idleLoaded(_ state: inout AppState, _ records: [Int64: IdleRecord]) {
        for (id, record) in records where state.probe.pods[id] == nil {
            state.probe.restoredIdle[id] = IdleClock(idleSince: record.idleSince, lastIdleSample: record.lastIdleSample)
        }
    }

    /// "gpu-box: 8 GPUs under 5% for 15m, still billing $19.20/h".
    static func announceIdle(_ state: inout AppState, _ id: Int64, _ probed: ProbedPod) {
        let pod = state.fleet.allPods.first { $0.id == id }
        let name = TextSafety.clean(pod?.label ?? state.fleet.names[id] ?? PodID.short(id))
        let count = probed.report?.gpus.count ?? 0
        let gpus = count == 1 ? "its GPU has" : count > 1 ? "its \(count) GPUs have" : "its GPUs have"
        let price = pod?.pricePerHour.map { ", still billing $\(Format.price($0))/h" } ?? ""
        let text = "\(name): \(gpus) been under \(Format.percent(state.settings.probe.idlePercent)) for \(Format.age(probed.idle.idleFor))\(price)"
        Reducer.record(&state, id, text, .bad)
        Reducer.announce(&state, text, bad: true)
    }

    /// Forgets every figure, clock and slot (probes off, or another account: answers still
    /// out are dropped, so their slots must not hold places in the cap).
    static func reset(_ state: inout AppState) {
        state.probe = ProbeState()
        state.probe.schedule.interval = state.settings.probe.interval
    }

    /// `:probe`, `:probe on`, `:probe off`.
    static func command(_ state: inout AppState, _ argument: String) -> [Effect] {
        let word = argument.trimmed.lowercased()
        switch word {
        case "on", "yes", "true", "1":
            guard state.settings.probesAvailable else {
                state.say("GPU probes are not available here", .error)
                return []
            }
            state.settings.probe.enabled = true
            state.probe.schedule.resetDue()
            podsChanged(&state)
            state.say("GPU probes on: \(state.probe.candidates.count) running pod\(state.probe.candidates.count == 1 ? "" : "s") with ssh, every \(Format.age(state.settings.probe.interval)) (through your ssh; see README)", .success)
            return tick(&state)
        case "off", "no", "false", "0":
            state.settings.probe.enabled = false
            reset(&state)
            if state.fleet.filter.idle != nil { Reducer.refresh(&state) }
            state.say("GPU probes off", .info)
            return []
        case "":
            let p = state.settings.probe
            let now = p.enabled ? "on: \(state.probe.candidates.count) pods, every \(Format.age(p.interval))" : "off"
            state.say("GPU probes \(now); idle is under \(Format.percent(p.idlePercent)) for \(Format.age(p.idleSeconds)) (:probe on|off)", .info)
            return []
        default:
            state.say("Usage: :probe on|off", .error)
            return []
        }
    }
}
