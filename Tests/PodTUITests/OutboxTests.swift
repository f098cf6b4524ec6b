import FoundationEssentials
import Testing
@testable import PodWatch

/// Deliveries owed per target: in order, filtered, retried with backoff, given up, bounded.
@Suite("Watch: outbox")
struct OutboxTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)
    let hook = WatchTarget(kind: .webhook(url: "https://hooks.example/services/SECRET"))
    let idleOnly = WatchTarget(kind: .exec(arguments: ["/bin/true"], timeout: 5), events: [.idle])

    func event(_ seq: Int64, _ kind: WatchEventKind = .running) -> WatchEvent {
        WatchEvent(seq: seq, kind: kind, pod: nil, text: "e\(seq)", time: t0)
    }

    @Test("each target gets what it wants, in order; the next waits for the one before")
    func order() {
        var box = Outbox()
        box.add([event(1), event(2, .idle), event(3)], targets: [hook, idleOnly])
        #expect(box.owedCount(for: hook.id) == 3)
        #expect(box.owedCount(for: idleOnly.id) == 1)
        #expect(box.next(for: hook.id, now: t0)?.1.seq == 1)
        let retry = box.record(target: hook, seq: 1, error: "HTTP 500", now: t0)
        #expect(retry == .retry(at: t0.addingTimeInterval(2)))
        #expect(box.next(for: hook.id, now: t0.addingTimeInterval(1)) == nil)   // not before its retry, and 2 not before 1
        #expect(box.next(for: idleOnly.id, now: t0)?.1.seq == 2)               // another target is not held up
        #expect(box.record(target: hook, seq: 1, error: nil, now: t0.addingTimeInterval(2)) == .delivered)
        #expect(box.next(for: hook.id, now: t0.addingTimeInterval(2))?.1.seq == 2)
    }

    @Test("backoff doubles to five minutes; a webhook is given up after a day, a program after five tries")
    func giveUp() {
        #expect((1...10).map(Outbox.backoff) == [2, 4, 8, 16, 32, 64, 128, 256, 300, 300])
        var box = Outbox()
        box.add([event(1)], targets: [hook])
        var now = t0
        var outcome = Outbox.Outcome.delivered
        for _ in 0..<400 {
            outcome = box.record(target: hook, seq: 1, error: "connection refused", now: now)
            if case .gaveUp = outcome { break }
            now = now.addingTimeInterval(300)
        }
        guard case .gaveUp(let why) = outcome else { Issue.record("never given up"); return }
        #expect(why.contains("connection refused"))
        #expect(now.timeIntervalSince(t0) >= Outbox.giveUpAfter)
        #expect(box.count == 0 && box.events.isEmpty)

        var exec = Outbox()
        exec.add([event(1, .idle)], targets: [idleOnly])
        let outcomes = (0..<5).map { _ in exec.record(target: idleOnly, seq: 1, error: "exited with status 1", now: t0) }
        #expect(outcomes.dropLast().allSatisfy { if case .retry = $0 { true } else { false } })
        #expect({ if case .gaveUp = outcomes.last { true } else { false } }())
    }

    @Test("a clock that jumps back does not hold a retry for the jump's length")
    func clockJump() {
        var box = Outbox()
        box.add([event(1)], targets: [hook])
        _ = box.record(target: hook, seq: 1, error: "HTTP 503", now: t0)
        let back = t0.addingTimeInterval(-3600)
        #expect(box.next(for: hook.id, now: back)?.1.seq == 1)
        #expect(box.nextTry(for: hook.id, now: back) == back)
        #expect(box.next(for: hook.id, now: t0.addingTimeInterval(1)) == nil)   // an ordinary wait is kept
    }

    @Test("a journal's absurd first-failure time (a hand edit, a clock gone wild) never traps")
    func absurdTimes() throws {
        var box = Outbox()
        box.add([event(1)], targets: [hook])
        _ = box.record(target: hook, seq: 1, error: "HTTP 503", now: t0)
        // As a journal could hold it: the first failure 1e300 s before the reference date.
        let text = String(decoding: try JSONEncoder().encode(box), as: UTF8.self)
        let key = try #require(text.range(of: "\"firstFailure\":"))
        let valueEnd = text[key.upperBound...].firstIndex { $0 == "," || $0 == "}" } ?? text.endIndex
        let edited = String(text[..<key.upperBound]) + "-1e300" + String(text[valueEnd...])
        var far = try JSONDecoder().decode(Outbox.self, from: Data(edited.utf8))
        #expect(far.owed.first?.firstFailure?.timeIntervalSinceReferenceDate == -1e300)
        guard case .gaveUp(let why) = far.record(target: hook, seq: 1, error: "HTTP 503", now: t0) else {
            Issue.record("failing since forever is past a day"); return
        }
        #expect(why.contains("HTTP 503"))
    }

    @Test("a refusal that cannot change is given up at once; forgotten targets drop their deliveries")
    func permanentAndForget() {
        var box = Outbox()
        box.add([event(1), event(2)], targets: [hook, idleOnly])
        #expect(box.record(target: hook, seq: 1, error: "HTTP 404", permanent: true, now: t0) == .gaveUp("HTTP 404"))
        #expect(box.next(for: hook.id, now: t0)?.1.seq == 2)
        #expect(box.forget(targetsNotIn: [idleOnly.id]) == 1)
        #expect(box.count == 0 && box.events.isEmpty)
    }

    @Test("at most maxEvents wait: the oldest go first")
    func bounded() {
        var box = Outbox()
        let many = (1...Int64(Outbox.maxEvents + 5)).map { event($0) }
        #expect(box.add(many, targets: [hook]) == 5)
        #expect(box.events.count == Outbox.maxEvents)
        #expect(box.next(for: hook.id, now: t0)?.1.seq == 6)
    }

    @Test("a target's id never holds its URL and is the same whatever the order")
    func ids() {
        #expect(!hook.id.contains("SECRET") && !hook.display.contains("SECRET") && !hook.display.contains("services"))
        #expect(hook.id == WatchTarget(kind: .webhook(url: "https://hooks.example/services/SECRET"), events: [.idle]).id)
        #expect(hook.id != WatchTarget(kind: .webhook(url: "https://hooks.example/services/OTHER")).id)
    }

    @Test("the webhook body: event, pod or null, text, time; valid JSON for any text")
    func body() throws {
        let withPod = WatchEvent(seq: 1, kind: .idle, pod: .init(id: 7, name: "a\"b\u{1b}", status: "RUNNING"), text: "line \"quoted\"\n", time: t0)
        let object = try #require(try JSONSerializationLite.object(withPod.webhookBody()))
        #expect(object["event"] as? String == "idle")
        #expect((object["pod"] as? [String: Any])?["id"] as? Int == 7)
        #expect(object["time"] as? String == "2027-01-15T08:00:00Z")
        let fleet = WatchEvent(seq: 2, kind: .overBudget, pod: nil, text: "x", time: t0)
        #expect(String(decoding: fleet.webhookBody(), as: UTF8.self).contains("\"pod\":null"))
        let unnamed = WatchEvent(seq: 3, kind: .gone, pod: .init(id: 1, name: nil, status: "PAUSED"), text: "x", time: t0)
        #expect(String(decoding: unnamed.webhookBody(), as: UTF8.self).contains("\"name\":null"))
        #expect(withPod.hookEnvironment["POD_NAME"] == "a\"b\u{1b}")
        #expect(fleet.hookEnvironment["POD_ID"] == "")
    }
}

/// Just enough JSON reading for the body test (FoundationEssentials has no JSONSerialization).
enum JSONSerializationLite {
    struct AnyDecodable: Decodable {
        let value: Any
        init(from decoder: any Decoder) throws {
            let c = try decoder.singleValueContainer()
            if c.decodeNil() { value = NSNullLite() }
            else if let v = try? c.decode(Int.self) { value = v }
            else if let v = try? c.decode(Double.self) { value = v }
            else if let v = try? c.decode(String.self) { value = v }
            else if let v = try? c.decode([String: AnyDecodable].self) { value = v.mapValues(\.value) }
            else { value = try c.decode([AnyDecodable].self).map(\.value) }
        }
    }
    struct NSNullLite {}
    static func object(_ bytes: [UInt8]) throws -> [String: Any]? {
        try JSONDecoder().decode(AnyDecodable.self, from: Data(bytes)).value as? [String: Any]
    }
}
