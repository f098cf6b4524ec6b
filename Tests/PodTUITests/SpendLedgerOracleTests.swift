import Foundation
import Testing
@testable import PodLocal
import PodSim

/// `SpendLedger.compute` reads the lines once, sorted, for several windows at a time. This
/// holds it to the plain reading it replaced (kept here as the oracle: dictionaries of arrays,
/// each window computed on its own) over random ledgers: several sessions, a live one or
/// none, spans, heartbeats, every status, odd prices, and a window that clips.
@Suite("Spend ledger against its oracle")
struct SpendLedgerOracleTests {
    @Test("one sorted pass gives what the plain reading gives, for every window")
    func matchesOracle() {
        var rng = SeededRandom(seed: 0x5BE4D)
        let t0: Int64 = 1_800_000_000_000
        for round in 0..<600 {
            // Every time is distinct, so neither reading depends on how it breaks ties.
            var times = (0..<240).map { t0 + Int64($0) * 7_919 }
            times.shuffle(using: &rng)
            var next = 0
            func time() -> Int64 { defer { next += 1 }; return times[next] }
            let sessions = (0..<Int.random(in: 1...4, using: &rng)).map { "s\($0)" }
            let statuses = ["INITIALIZE", "RUNNING", "RUNNING", "PAUSED", "PAUSING", LedgerLine.gone, "odd"]
            let prices: [Double?] = [nil, 0, 1.5, 6, 2.25, .nan, .infinity]
            var lines: [LedgerLine] = []
            for _ in 0..<Int.random(in: 0...60, using: &rng) {
                let id = Int64.random(in: 1...6, using: &rng)
                let name = Bool.random(using: &rng) ? nil : "p\(id)-\(Int.random(in: 0...3, using: &rng))"
                switch Int.random(in: 0..<10, using: &rng) {
                case 0:
                    lines.append(.alive(session: sessions.randomElement(using: &rng) ?? "s0", at: time()))
                case 1:
                    let a = time(), b = time()
                    lines.append(.span(id: id, name: name, from: min(a, b), to: max(a, b), price: prices.randomElement(using: &rng) ?? nil,
                                       first: time(), complete: Bool.random(using: &rng)))
                default:
                    let created: Int64? = Int.random(in: 0..<3, using: &rng) == 0 ? time() : nil
                    lines.append(.edge(session: sessions.randomElement(using: &rng) ?? "s0", id: id, name: name,
                                       status: statuses.randomElement(using: &rng) ?? "RUNNING", at: time(),
                                       price: prices.randomElement(using: &rng) ?? nil, created: created))
                }
            }
            let live: String? = [nil, "s0", "s1", "elsewhere"].randomElement(using: &rng) ?? nil
            let now = Date(timeIntervalSince1970: Double(t0 + Int64.random(in: 0...(240 * 7_919), using: &rng)) / 1000)
            let since = Date(timeIntervalSince1970: Double(t0 + Int64.random(in: 0...(240 * 7_919), using: &rng)) / 1000)
            let windows = SpendLedger.compute(lines, live: live, now: now, windows: [nil, since])
            #expect(windows[0] == Oracle.compute(lines, live: live, now: now), "round \(round): all time")
            #expect(windows[1] == Oracle.compute(lines, live: live, now: now, since: since), "round \(round): since")
            #expect(SpendLedger.compute(lines, live: live, now: now, since: since) == windows[1], "round \(round): one window")
        }
    }

    @Test("no lines, no windows: nothing, and nothing traps")
    func empty() {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(SpendLedger.compute([], live: "s", now: now, windows: [nil, now]) == [[:], [:]])
        #expect(SpendLedger.compute([.alive(session: "s", at: 0)], live: "s", now: now, windows: []).isEmpty)
    }

    /// The reading `compute` had before it was one sorted pass (sessions taken in the order
    /// the lines first name them, so that, like `compute`, it breaks no tie by chance).
    enum Oracle {
        struct Segment { var from: Int64; var to: Int64; var price: Double }
        struct Watch { var start: Int64; var end: Int64; var firstStatus: String; var lastStatus: String }

        static func compute(_ lines: [LedgerLine], live: String?, now: Date, since: Date? = nil) -> [Int64: PodSpend] {
            let nowMS = LedgerLine.ms(now)
            let sinceMS = since.map(LedgerLine.ms) ?? Int64.min
            var closed: [Int64: [Segment]] = [:]
            var open: [Int64: Segment] = [:]
            var names: [Int64: String] = [:]
            var first: [Int64: Int64] = [:]
            var incomplete: Set<Int64> = []
            var watches: [Int64: [Watch]] = [:]
            var created: [Int64: Int64] = [:]
            var sessionEnd: [String: Int64] = [:]
            var order: [String] = []
            var edges: [String: [Int64: [(at: Int64, status: String, price: Double)]]] = [:]
            for line in lines {
                if let s = line.session, sessionEnd[s] == nil { order.append(s) }
                switch line {
                case .span(let id, let name, let from, let to, let price, let f, let complete):
                    closed[id, default: []].append(Segment(from: from, to: to, price: LedgerLine.finite(price) ?? 0))
                    if let name { names[id] = name }
                    first[id] = min(first[id] ?? f, f)
                    if !complete { incomplete.insert(id) }
                case .alive(let s, let at):
                    sessionEnd[s] = max(sessionEnd[s] ?? at, at)
                case .edge(let s, let id, let name, let status, let at, let price, let c):
                    sessionEnd[s] = max(sessionEnd[s] ?? at, at)
                    edges[s, default: [:]][id, default: []].append((at, status, LedgerLine.finite(price) ?? 0))
                    if let name { names[id] = name }
                    if let c { created[id] = c }
                }
            }
            for session in order {
                guard let pods = edges[session] else { continue }
                let isLive = session == live
                let end = isLive ? nowMS : (sessionEnd[session] ?? 0)
                for (id, list) in pods {
                    let sorted = list.sorted { $0.at < $1.at }
                    guard let head = sorted.first, let tail = sorted.last else { continue }
                    first[id] = min(first[id] ?? head.at, head.at)
                    watches[id, default: []].append(Watch(start: head.at, end: end, firstStatus: head.status, lastStatus: tail.status))
                    for (i, edge) in sorted.enumerated() where edge.status == "RUNNING" {
                        let next = i + 1 < sorted.count ? sorted[i + 1].at : nil
                        if next == nil && isLive {
                            open[id] = Segment(from: edge.at, to: nowMS, price: edge.price)
                        } else {
                            closed[id, default: []].append(Segment(from: edge.at, to: next ?? end, price: edge.price))
                        }
                    }
                }
            }
            for (id, list) in watches {
                let ordered = list.sorted { $0.start < $1.start }
                if let earliest = ordered.first, earliest.firstStatus != "INITIALIZE",
                   created[id].map({ $0 < earliest.start - SpendLedger.firstSightSlack }) ?? true {
                    incomplete.insert(id)
                }
                var reach = Int64.min
                var statusAtReach = ""
                for watch in ordered {
                    if reach != Int64.min, watch.start > reach, statusAtReach == "RUNNING", watch.firstStatus == "RUNNING" { incomplete.insert(id) }
                    if watch.end > reach { reach = watch.end; statusAtReach = watch.lastStatus }
                }
            }
            var out: [Int64: PodSpend] = [:]
            for id in Set(closed.keys).union(open.keys).union(first.keys) {
                // `SpendLedger.union` (compaction's, unchanged) on the oracle's own segments.
                let merged = SpendLedger.union((closed[id] ?? []).map { SpendLedger.Segment(from: max($0.from, sinceMS), to: min($0.to, nowMS), price: $0.price) }
                    .filter { $0.to > $0.from })
                var spend = PodSpend(id: id, name: names[id], closedSeconds: 0, closedCost: 0, openSince: nil, openPrice: nil,
                                     firstSeen: Date(timeIntervalSince1970: Double(first[id] ?? nowMS) / 1000), complete: !incomplete.contains(id))
                for s in merged {
                    let seconds = Double(s.to - s.from) / 1000
                    spend.closedSeconds += seconds
                    spend.closedCost += seconds * s.price / 3600
                }
                if let o = open[id] {
                    let start = max(o.from, merged.last.map(\.to) ?? Int64.min, sinceMS)
                    spend.openSince = Date(timeIntervalSince1970: Double(start) / 1000)
                    spend.openPrice = o.price
                }
                out[id] = spend
            }
            return out
        }
    }
}
