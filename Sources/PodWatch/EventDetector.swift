import FoundationEssentials
import PodTUICore

/// Turns a look at the fleet into the events since the last one, once per occurrence: a pod
/// that became RUNNING or FAILED or changed status otherwise, one that left the list, an idle
/// stretch or a full disk (once until it ends), a budget crossing either way, a timer that
/// finished (whichever podtui process fired it). Pure: the watcher keeps the memory in its
/// journal, written in the same write as the events it made, so a crash between the two
/// cannot repeat or lose one.
public enum EventDetector {
    /// The events of `look` against `memory` and the memory after them. `nextSeq` is the
    /// first event's sequence number. A look without a reply (`pods == nil`) tells only
    /// timers: no reply is not "every pod gone".
    public static func detect(_ look: WatchLook, memory: WatchMemory, nextSeq: Int64, now: Date) -> (events: [WatchEvent], memory: WatchMemory) {
        var events: [WatchEvent] = []
        var seq = nextSeq
        func emit(_ kind: WatchEventKind, _ pod: WatchEvent.PodRef?, _ text: String) {
            events.append(WatchEvent(seq: seq, kind: kind, pod: pod, text: text, time: now))
            seq += 1
        }
        var after = memory
        if let pods = look.pods {
            let before = memory.pods.map { Dictionary($0.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a }) }
            var kept: [WatchMemory.PodMemory] = []
            kept.reserveCapacity(pods.count)
            var present = Set<Int64>()
            for pod in pods where present.insert(pod.id).inserted {
                let old = before?[pod.id]
                var told = WatchMemory.PodMemory(id: pod.id, name: pod.name, status: pod.status,
                                                 idleTold: old?.idleTold ?? false, diskTold: old?.diskTold ?? false)
                if before != nil, old?.status != pod.status {
                    // A status told before: a change. A pod never told: it appeared.
                    statusEvent(pod, was: old?.status, emit: emit)
                }
                if pod.idle == true, !told.idleTold {
                    let cost = pod.pricePerHour.map { " ($\(Format.price($0))/h)" } ?? ""
                    emit(.idle, pod.ref, "\(pod.ref.label): its GPUs have been idle for \(Format.age(pod.idleSeconds ?? look.idleSeconds))\(cost)")
                }
                if let idle = pod.idle { told.idleTold = idle }
                if pod.diskFull == true, !told.diskTold {
                    let share = pod.diskShare.map { " \(Format.percent($0 * 100))" } ?? ""
                    emit(.diskFull, pod.ref, "\(pod.ref.label): disk\(share) full")
                }
                if let full = pod.diskFull { told.diskTold = full }
                kept.append(told)
            }
            if let old = memory.pods {
                for gone in old where !present.contains(gone.id) {
                    let ref = WatchEvent.PodRef(id: gone.id, name: gone.name, status: gone.status)
                    emit(.gone, ref, "\(ref.label) is gone (was \(gone.status))")
                }
            }
            after.pods = kept
            // The budget, judged only with a reply to judge it by.
            if let budget = look.budgetPerHour {
                let wasOver = memory.overBudget ?? false
                if look.overBudget != wasOver {
                    if look.overBudget {
                        emit(.overBudget, nil, "Over budget: $\(Format.price(look.burnPerHour))/h of $\(Format.price(budget))/h")
                    } else {
                        emit(.underBudget, nil, "Back under budget: $\(Format.price(look.burnPerHour))/h of $\(Format.price(budget))/h")
                    }
                }
                after.overBudget = look.overBudget
            } else {
                after.overBudget = nil
            }
        }
        if let timers = look.finishedTimers {
            if let told = memory.toldTimers {
                let toldSet = Set(told)
                let status = Dictionary((look.pods ?? []).map { ($0.id, $0.status) }, uniquingKeysWith: { a, _ in a })
                for timer in timers where !toldSet.contains(timer.id) {
                    let ref = WatchEvent.PodRef(id: timer.podID, name: timer.name, status: status[timer.podID] ?? "UNKNOWN")
                    emit(.timerFired, ref, "Timer for \(ref.label): \(timer.result)")
                }
            }
            // Only ids still in the file are kept: the file forgets finished timers after a day.
            after.toldTimers = timers.map(\.id)
        }
        return (events, after)
    }

    /// A pod's status changed, or (`was` nil) a pod appeared since the fleet was last seen.
    private static func statusEvent(_ pod: WatchLook.PodSeen, was: String?, emit: (WatchEventKind, WatchEvent.PodRef?, String) -> Void) {
        let from = was.map { " (was \($0))" } ?? " (new)"
        switch pod.status {
        case "RUNNING":
            let price = pod.pricePerHour.map { ", $\(Format.price($0))/h" } ?? ""
            emit(.running, pod.ref, "\(pod.ref.label) is RUNNING\(from)\(price)")
        case "FAILED":
            emit(.failed, pod.ref, "\(pod.ref.label) FAILED\(from)")
        default:
            guard was != nil else { return }   // a new pod that is not running: nothing to tell yet
            emit(.statusChanged, pod.ref, "\(pod.ref.label) is \(pod.status)\(from)")
        }
    }
}
