import Foundation
import Testing
import PodAPI
@testable import PodLocal
@testable import PodLocalFiles
@testable import PodTUICore

/// Issue 25: a timer's trigger is an enum with an id (no year-9999 date read as "when idle"),
/// files of earlier versions still read, and the timer and idle files are one locked JSON file.
@Suite("Timer triggers, ids and the locked JSON file", .serialized)
struct TimerTriggerTests {
    func tempDir() -> String {
        let dir = NSTemporaryDirectory() + "podtui-trigger-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        return dir
    }

    /// A `timers.json` as podtui wrote it before timers had triggers and ids: a clock timer's
    /// `due`, and a "when idle" one's `idleMinutes` beside a `due` of 9999-12-31.
    static let oldFile = """
    {
      "timers" : [
        {
          "created" : 1764900000000,
          "due" : 253402214400000,
          "idleMinutes" : 30,
          "name" : "idle-one",
          "podID" : 2,
          "state" : "pending"
        },
        {
          "created" : 1764900000000,
          "due" : 1764903600000,
          "name" : "clock-one",
          "podID" : 1,
          "state" : "pending"
        }
      ]
    }
    """

    @Test("a timers.json of the old shape reads as triggers, with ids that stay the same until written")
    func oldFileMigrates() throws {
        let dir = tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Self.oldFile.write(toFile: dir + "/timers.json", atomically: true, encoding: .utf8)
        let file = TimerFile(directory: dir)
        let timers = try file.load()
        let byPod = Dictionary(uniqueKeysWithValues: timers.map { ($0.podID, $0) })
        #expect(byPod[1]?.trigger == .at(Date(timeIntervalSince1970: 1_764_903_600)))
        #expect(byPod[2]?.trigger == .whenIdle(minutes: 30))
        // Read again: the same ids (a claim made from one read is found in the next).
        #expect(try file.load().map(\.id) == timers.map(\.id))
        #expect(Set(timers.map(\.id)).count == 2)

        // The idle one is never due by the clock, however late it is.
        let late = Date(timeIntervalSince1970: 4_000_000_000)
        #expect(byPod[2].map { !$0.isDue(now: late, idle: [:]) } == true)
        #expect(byPod[2].map { $0.isDue(now: late, idle: [2: 30 * 60]) } == true)

        // A write keeps the ids, and the shape earlier versions read (`due` on every timer).
        try file.update { _ in }
        #expect(try file.load().map(\.id) == timers.map(\.id))
        let text = try String(contentsOfFile: dir + "/timers.json", encoding: .utf8)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let rows = try #require(json["timers"] as? [[String: Any]])
        #expect(rows.count == 2 && rows.allSatisfy { $0["due"] != nil && $0["id"] != nil })
    }

    @Test("a finished claim is recorded on its own timer, not on a newer one of the same pod and due time")
    func identityByID() throws {
        let dir = tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = TimerFile(directory: dir)
        let t0 = Date(timeIntervalSince1970: 1_764_900_000)
        let due = t0.addingTimeInterval(-1)
        try file.add([(id: 1, name: "a")], due: due, now: t0)
        let first = try file.claimDue(now: t0, by: "X")
        #expect(first.count == 1)
        // Set again meanwhile, for the same time: the claimed one is replaced by a new one,
        // which the same process claims on its next tick.
        try file.add([(id: 1, name: "a")], due: due, now: t0.addingTimeInterval(1))
        let second = try file.claimDue(now: t0.addingTimeInterval(2), by: "X")
        #expect(second.count == 1 && second.first?.id != first.first?.id)
        // The first firing ends: the second timer is still firing, not marked done by it.
        if let old = first.first { try file.finish(old, result: "paused a", now: t0.addingTimeInterval(3)) }
        let left = try file.load()
        #expect(left.count == 1 && left.first?.state == .firing && left.first?.id == second.first?.id)
    }

    @Test("two old timers of one pod made at the same time get distinct ids; firing one leaves the other")
    func oldTwinsAreTwo() throws {
        let dir = tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let twins = """
        {"timers": [
          {"podID": 5, "name": "prod", "due": 1764899000000, "created": 1764890000000, "state": "pending"},
          {"podID": 5, "name": "staging", "due": 1764899000000, "created": 1764890000000, "state": "pending",
           "endpoint": "https://staging.example", "profile": "staging"}
        ]}
        """
        try twins.write(toFile: dir + "/timers.json", atomically: true, encoding: .utf8)
        let file = TimerFile(directory: dir)
        let ids = try file.load().map(\.id)
        let again = try file.load().map(\.id)
        #expect(Set(ids).count == 2 && ids == again)
        let now = Date(timeIntervalSince1970: 1_764_900_000)
        let claimed = try file.claimDue(now: now, by: "X", owner: .legacy)
        #expect(claimed.map(\.name) == ["prod"])
        if let timer = claimed.first { try file.finish(timer, result: "paused", now: now) }
        let after = try file.load()
        #expect(after.first { $0.name == "prod" }?.state == .done)
        #expect(after.first { $0.name == "staging" }?.state == .pending)
        #expect(after.map(\.id) == ids)
        #expect(ids.first == "5@1764890000000")
    }

    @Test("timers are listed clock ones soonest first, then the when-idle ones")
    func listedOrder() {
        let t0 = Date(timeIntervalSince1970: 1_764_900_000)
        var state = TimerState()
        state.timers = [
            PauseTimer(podID: 1, name: "idle-long", trigger: .whenIdle(minutes: 60), created: t0),
            PauseTimer(podID: 2, name: "late", trigger: .at(t0.addingTimeInterval(7200)), created: t0),
            PauseTimer(podID: 3, name: "idle-short", trigger: .whenIdle(minutes: 10), created: t0),
            PauseTimer(podID: 4, name: "soon", trigger: .at(t0.addingTimeInterval(60)), created: t0),
        ]
        #expect(state.active.map(\.podID) == [4, 2, 3, 1])
    }

    @Test("a when-idle timer set in the UI and in the file carries its minutes, with no clock time")
    func idleTimerHasNoDate() throws {
        let dir = tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = TimerFile(directory: dir)
        try file.add([(id: 7, name: "train")], trigger: .whenIdle(minutes: 45))
        let timer = try #require(try file.load().first)
        #expect(timer.trigger == .whenIdle(minutes: 45) && timer.trigger.date == nil)
        #expect(!timer.isLate(now: Date.distantFuture, margin: 5))
        #expect(UUID(uuidString: timer.id) != nil)
    }

    struct Counter: Codable, Sendable, Equatable { var count: Int }

    @Test("a locked JSON file: missing is empty, unreadable is an error and never written over, a failed change writes nothing")
    func lockedJSONFile() throws {
        let dir = tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = LockedJSONFile(directory: dir, name: "counter", empty: Counter(count: 0))
        #expect(try file.read() == Counter(count: 0))
        #expect(try file.update { $0.count += 1; return $0.count } == 1)
        #expect(try file.read() == Counter(count: 1))

        struct Refused: Error {}
        #expect(throws: Refused.self) { try file.update { doc -> Void in doc.count = 99; throw Refused() } }
        #expect(try file.read() == Counter(count: 1))

        let garbage = "{ not json"
        try garbage.write(toFile: file.path, atomically: true, encoding: .utf8)
        #expect(throws: LocalFileError.self) { try file.read() }
        #expect(throws: LocalFileError.self) { try file.update { $0.count = 5 } }
        #expect(try String(contentsOfFile: file.path, encoding: .utf8) == garbage)
    }

    @Test("the idle file goes through the same locked file: an unreadable one is an error and kept")
    func idleFileUnreadable() throws {
        let dir = tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let idle = IdleFile(directory: dir)
        let now = Date(timeIntervalSince1970: 1_764_900_000)
        try idle.save([3: IdleRecord(idleSince: now.addingTimeInterval(-600), lastIdleSample: now)], cleared: [], now: now)
        #expect(try idle.load()[3]?.idleSince == now.addingTimeInterval(-600))
        try "[1, 2".write(toFile: idle.path, atomically: true, encoding: .utf8)
        #expect(throws: LocalFileError.self) { try idle.save([:], cleared: [3], now: now) }
        #expect(try String(contentsOfFile: idle.path, encoding: .utf8) == "[1, 2")
    }
}
