import FoundationEssentials
import Testing
@testable import PodWatch

/// Events once per occurrence: what a look at the fleet tells against what was told before.
@Suite("Watch: event detection")
struct EventDetectorTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    func pod(_ id: Int64, _ status: String, idle: Bool? = false, disk: Bool? = false, name: String? = nil) -> WatchLook.PodSeen {
        WatchLook.PodSeen(id: id, name: name ?? "p\(id)", status: status, pricePerHour: 2, idle: idle, idleSeconds: 2400,
                          diskFull: disk, diskShare: disk == true ? 0.93 : 0.5)
    }

    func run(_ looks: [WatchLook], memory: WatchMemory = WatchMemory()) -> ([WatchEvent], WatchMemory) {
        var memory = memory, all: [WatchEvent] = [], seq: Int64 = 1
        for (i, look) in looks.enumerated() {
            let (events, after) = EventDetector.detect(look, memory: memory, nextSeq: seq, now: t0.addingTimeInterval(Double(i)))
            all += events; memory = after; seq += Int64(events.count)
        }
        return (all, memory)
    }

    @Test("the first look tells no pod that simply exists, but tells idle pods, full disks and a budget crossed")
    func firstLook() {
        let look = WatchLook(pods: [pod(1, "RUNNING", idle: true), pod(2, "FAILED"), pod(3, "RUNNING", disk: true)],
                             budgetPerHour: 1, burnPerHour: 4, overBudget: true, finishedTimers: [.init(id: "a", podID: 1, name: nil, result: "paused", firedBy: nil)])
        let (events, memory) = run([look])
        #expect(events.map(\.kind) == [.idle, .diskFull, .overBudget])
        #expect(events.map(\.seq) == [1, 2, 3])
        #expect(events[0].text.contains("idle for 40m"))
        #expect(events[1].text.contains("93%"))
        #expect(events[2].pod == nil)
        #expect(memory.toldTimers == ["a"])   // finished before any watcher: not told
    }

    @Test("status changes: RUNNING, FAILED, others, a new pod, a gone one; each once")
    func statuses() {
        let a = WatchLook(pods: [pod(1, "PAUSED"), pod(2, "RUNNING"), pod(3, "RUNNING")])
        let b = WatchLook(pods: [pod(1, "INITIALIZE"), pod(2, "FAILED"), pod(4, "RUNNING"), pod(5, "INITIALIZE")])
        let c = WatchLook(pods: [pod(1, "RUNNING"), pod(2, "FAILED"), pod(4, "RUNNING"), pod(5, "INITIALIZE")])
        let (events, _) = run([a, b, c, c])
        #expect(events.map(\.kind) == [.statusChanged, .failed, .running, .gone, .running])
        #expect(events.map { $0.pod?.id } == [1, 2, 4, 3, 1])
        #expect(events[0].text == "p1 (1) is INITIALIZE (was PAUSED)")
        #expect(events[2].text.contains("(new)"))
        #expect(events[3].text == "p3 (3) is gone (was RUNNING)")
        #expect(events[3].pod?.status == "RUNNING")
    }

    @Test("a look without a reply tells nothing about pods (no reply is not every pod gone)")
    func noReply() {
        let a = WatchLook(pods: [pod(1, "RUNNING")])
        let (events, memory) = run([a, WatchLook(pods: nil), a])
        #expect(events.isEmpty)
        #expect(memory.pods?.count == 1)
    }

    @Test("idle once per stretch; not known yet is not busy; busy re-arms it")
    func idleStretch() {
        let idle = WatchLook(pods: [pod(1, "RUNNING", idle: true)])
        let unknown = WatchLook(pods: [pod(1, "RUNNING", idle: nil)])
        let busy = WatchLook(pods: [pod(1, "RUNNING", idle: false)])
        let (events, _) = run([idle, idle, unknown, idle, busy, idle])
        #expect(events.map(\.kind) == [.idle, .idle])
        #expect(events.map(\.seq) == [1, 2])
    }

    @Test("a restart with the journal's memory repeats nothing")
    func restart() {
        let look = WatchLook(pods: [pod(1, "RUNNING", idle: true), pod(2, "RUNNING", disk: true)], budgetPerHour: 1, burnPerHour: 4, overBudget: true)
        let (first, memory) = run([look])
        #expect(first.count == 3)
        // Encoded and decoded as the journal does, then the fleet as a restarted store first sees it.
        let saved = try? JSONDecoder().decode(WatchMemory.self, from: JSONEncoder().encode(memory))
        let restarted = WatchLook(pods: [pod(1, "RUNNING", idle: nil, disk: nil), pod(2, "RUNNING", idle: nil, disk: nil)],
                                  budgetPerHour: 1, burnPerHour: 4, overBudget: true)
        let (again, _) = run([restarted, look], memory: saved ?? WatchMemory())
        #expect(again.isEmpty)
    }

    @Test("disk full once until it clears; the budget both ways")
    func diskAndBudget() {
        let full = WatchLook(pods: [pod(1, "RUNNING", disk: true)], budgetPerHour: 10, burnPerHour: 12, overBudget: true)
        let clear = WatchLook(pods: [pod(1, "RUNNING", disk: false)], budgetPerHour: 10, burnPerHour: 8, overBudget: false)
        let (events, _) = run([clear, full, full, clear, full])
        #expect(events.map(\.kind) == [.diskFull, .overBudget, .underBudget, .diskFull, .overBudget])
        #expect(events[2].text == "Back under budget: $8.00/h of $10.00/h")
    }

    @Test("a timer that finishes is told once, with its result, whoever fired it")
    func timers() {
        let none = WatchLook(pods: [pod(1, "RUNNING")], finishedTimers: [])
        let fired = WatchLook(pods: [pod(1, "PAUSED")], finishedTimers: [.init(id: "t1", podID: 1, name: "p1", result: "paused p1, as its timer asked", firedBy: "99@other")])
        let (events, memory) = run([none, fired, fired])
        #expect(events.map(\.kind) == [.statusChanged, .timerFired])
        #expect(events[1].text == "Timer for p1 (1): paused p1, as its timer asked")
        #expect(events[1].pod?.status == "PAUSED")
        #expect(memory.toldTimers == ["t1"])
    }

    @Test("a pod listed twice in one reply is one pod")
    func duplicates() {
        let (events, memory) = run([WatchLook(pods: [pod(1, "RUNNING"), pod(1, "PAUSED")]), WatchLook(pods: [pod(1, "RUNNING")])])
        #expect(events.isEmpty)
        #expect(memory.pods?.count == 1)
    }
}
