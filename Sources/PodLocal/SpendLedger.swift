import FoundationEssentials

/// What podtui observed a pod spend, as of the ledger's lines. Billing is counted only over
/// RUNNING time podtui saw; `complete` is false when the pod may have run unseen (it was
/// already RUNNING when first seen, or RUNNING on both sides of a time no podtui watched).
public struct PodSpend: Sendable, Equatable {
    public var id: Int64
    public var name: String?
    /// RUNNING seconds in finished intervals.
    public var closedSeconds: Double
    /// Their cost: seconds × the price seen with them.
    public var closedCost: Double
    /// The RUNNING interval still open in this process's session: since when, at what $/h.
    public var openSince: Date?
    public var openPrice: Double?
    /// When a podtui first saw the pod.
    public var firstSeen: Date
    public var complete: Bool

    /// Seconds RUNNING as of `now`.
    public func runningSeconds(at now: Date) -> Double {
        closedSeconds + (openSince.map { max(0, now.timeIntervalSince($0)) } ?? 0)
    }

    /// Dollars spent as of `now`.
    public func cost(at now: Date) -> Double {
        closedCost + (openSince.map { max(0, now.timeIntervalSince($0)) * (openPrice ?? 0) / 3600 } ?? 0)
    }
}

/// The ledger's arithmetic: RUNNING intervals per pod from every session's edges, unioned so
/// that two podtui processes watching at once count the time once. Pure: tests feed it lines.
public enum SpendLedger {
    /// A pod may have been created up to this long before a poll first saw it and still be
    /// "seen from the start" (one poll interval, generously).
    public static let firstSightSlack: Int64 = 120_000

    /// Sessions quiet this long are over (a live one writes every 30 s): the file's
    /// compaction and the UI's "a new session" rule read the same number.
    public static let sessionTimeout: Double = 600
    /// Pods not seen for this long are dropped.
    public static let expiry: Double = 30 * 86_400
    /// The hard bound on a ledger file: an append that would take it past this compacts it
    /// first (ended sessions become spans, pods gone 30 days are dropped), and if it is still
    /// too big, is refused. podtui's UI stops writing a little before (its own count).
    public static let maxFileBytes: Int64 = 32 << 20

    struct Segment { var from: Int64; var to: Int64; var price: Double }

    /// Per-pod spend from `lines`. `live` is this process's session (its RUNNING pods stay
    /// open at `now`); other sessions end at their last line. `since` clips every interval.
    public static func compute(_ lines: [LedgerLine], live: String?, now: Date, since: Date? = nil) -> [Int64: PodSpend] {
        compute(lines, live: live, now: now, windows: [since])[0]
    }

    /// `compute` for each of `windows` (a `since` each; nil is everything) from one reading of
    /// `lines`: the UI's total and today's spend share the grouping, the sort and the
    /// completeness rules, and only the clipping is done per window.
    ///
    /// The lines are not grouped through dictionaries of arrays (a first reply of 10,000 pods
    /// writes 10,000 edges, and that cost 20 % of podtui's first list): one entry per span and
    /// edge, sorted by pod, session (spans first), time and line, and each pod's run is read
    /// with buffers reused from pod to pod. Ties keep the lines' order.
    public static func compute(_ lines: [LedgerLine], live: String?, now: Date, windows: [Date?]) -> [[Int64: PodSpend]] {
        let nowMS = LedgerLine.ms(now)
        let sinceMS = windows.map { $0.map(LedgerLine.ms) ?? Int64.min }
        var out = [[Int64: PodSpend]](repeating: [:], count: windows.count)

        // Sessions as small numbers, each with its last line's time.
        var sessionIndex: [String: Int] = [:]
        var sessionEnd: [Int64] = []
        var lastSession: (name: String, index: Int)?
        func session(_ name: String, at: Int64) -> Int {
            let index: Int
            if let last = lastSession, last.name == name {
                index = last.index
            } else if let known = sessionIndex[name] {
                index = known
            } else {
                index = sessionEnd.count
                sessionIndex[name] = index
                sessionEnd.append(at)
            }
            lastSession = (name, index)
            sessionEnd[index] = max(sessionEnd[index], at)
            return index
        }
        var entries: [Entry] = []
        entries.reserveCapacity(lines.count)
        for (n, line) in lines.enumerated() {
            switch line {
            case .span(let id, _, _, _, _, _, _):
                // Spans keep the lines' order (their time is not what orders them).
                entries.append(Entry(id: id, session: -1, at: 0, line: n))
            case .alive(let s, let at):
                _ = session(s, at: at)
            case .edge(let s, let id, _, _, let at, _, _):
                entries.append(Entry(id: id, session: session(s, at: at), at: at, line: n))
            }
        }
        let liveIndex = live.flatMap { sessionIndex[$0] }
        entries.sort { ($0.id, $0.session, $0.at, $0.line) < ($1.id, $1.session, $1.at, $1.line) }
        var pods = 0
        for (n, entry) in entries.enumerated() where n == 0 || entries[n - 1].id != entry.id { pods += 1 }
        for w in out.indices { out[w].reserveCapacity(pods) }

        var closed: [Segment] = []
        var clipped: [Segment] = []
        var watches: [Watch] = []
        var i = 0
        while i < entries.count {
            let id = entries[i].id
            closed.removeAll(keepingCapacity: true)
            watches.removeAll(keepingCapacity: true)
            var open: Segment?
            var first = Int64.max
            var incomplete = false
            // The name and creation time of the pod's last line that has one.
            var name: (line: Int, text: String)?
            var created: (line: Int, at: Int64)?
            while i < entries.count, entries[i].id == id, entries[i].session < 0 {
                if case .span(_, let text, let from, let to, let price, let f, let complete) = lines[entries[i].line] {
                    closed.append(Segment(from: from, to: to, price: LedgerLine.finite(price) ?? 0))
                    if let text, entries[i].line > name?.line ?? -1 { name = (entries[i].line, text) }
                    first = min(first, f)
                    if !complete { incomplete = true }
                }
                i += 1
            }
            while i < entries.count, entries[i].id == id {
                let s = entries[i].session
                var end = i
                while end < entries.count, entries[end].id == id, entries[end].session == s { end += 1 }
                let isLive = s == liveIndex
                let sessionStop = isLive ? nowMS : sessionEnd[s]
                var firstStatus = "", lastStatus = ""
                for e in i..<end {
                    guard case .edge(_, _, let text, let status, let at, let price, let c) = lines[entries[e].line] else { continue }
                    if e == i { firstStatus = status; first = min(first, at) }
                    if e == end - 1 { lastStatus = status }
                    if let text, entries[e].line > name?.line ?? -1 { name = (entries[e].line, text) }
                    if let c, entries[e].line > created?.line ?? -1 { created = (entries[e].line, c) }
                    guard status == "RUNNING" else { continue }
                    let rate = LedgerLine.finite(price) ?? 0
                    if e + 1 < end {
                        closed.append(Segment(from: at, to: entries[e + 1].at, price: rate))
                    } else if isLive {
                        open = Segment(from: at, to: nowMS, price: rate)
                    } else {
                        closed.append(Segment(from: at, to: sessionStop, price: rate))
                    }
                }
                watches.append(Watch(start: entries[i].at, end: sessionStop, firstStatus: firstStatus, lastStatus: lastStatus))
                i = end
            }
            if !incomplete { incomplete = ranUnseen(watches, created: created?.at) }
            let firstSeen = Date(timeIntervalSince1970: Double(first == Int64.max ? nowMS : first) / 1000)
            for (w, since) in sinceMS.enumerated() {
                clipped.removeAll(keepingCapacity: true)
                for s in closed {
                    let from = max(s.from, since), to = min(s.to, nowMS)
                    if to > from { clipped.append(Segment(from: from, to: to, price: s.price)) }
                }
                // Overlapping intervals counted once; where two overlap, the earlier one's
                // price holds (the sort is stable).
                clipped.sort { $0.from < $1.from }
                var spend = PodSpend(id: id, name: name?.text, closedSeconds: 0, closedCost: 0, openSince: nil, openPrice: nil,
                                     firstSeen: firstSeen, complete: !incomplete)
                var reach: Int64?
                for s in clipped {
                    let from = reach.map { max($0, s.from) } ?? s.from
                    guard s.to > from else { continue }
                    let seconds = Double(s.to - from) / 1000
                    spend.closedSeconds += seconds
                    spend.closedCost += seconds * s.price / 3600
                    reach = s.to
                }
                if let o = open {
                    // Only what no finished interval already counts (another process watching too).
                    let start = max(o.from, reach ?? Int64.min, since)
                    spend.openSince = Date(timeIntervalSince1970: Double(start) / 1000)
                    spend.openPrice = o.price
                }
                out[w][id] = spend
            }
        }
        return out
    }

    /// Overlapping intervals merged; where two overlap, the earlier one's price holds
    /// (`compute` does the same in place; compaction writes the merged spans).
    static func union(_ segments: [Segment]) -> [Segment] {
        var out: [Segment] = []
        for s in segments.sorted(by: { $0.from < $1.from }) {
            if let last = out.last, s.from <= last.to {
                if s.to > last.to { out.append(Segment(from: last.to, to: s.to, price: s.price)) }
            } else {
                out.append(s)
            }
        }
        return out
    }

    /// A span or an edge of pod `id`, for the sort that groups them (`session` -1 and `at` 0
    /// for a span).
    struct Entry {
        var id: Int64
        var session: Int
        var at: Int64
        var line: Int
    }

    /// One session's look at a pod: from its first edge to the session's end.
    struct Watch { var start: Int64; var end: Int64; var firstStatus: String; var lastStatus: String }

    /// Whether a pod may have run while no podtui saw it: it was created (or when, unknown)
    /// before a podtui first saw it and was not starting then, or it was RUNNING on both sides
    /// of a time nobody watched.
    static func ranUnseen(_ watches: [Watch], created: Int64?) -> Bool {
        let ordered = watches.sorted { $0.start < $1.start }
        if let earliest = ordered.first, earliest.firstStatus != "INITIALIZE",
           created.map({ $0 < earliest.start - firstSightSlack }) ?? true {
            return true
        }
        var reach = Int64.min
        var statusAtReach = ""
        for watch in ordered {
            if reach != Int64.min, watch.start > reach, statusAtReach == "RUNNING", watch.firstStatus == "RUNNING" { return true }
            if watch.end > reach { reach = watch.end; statusAtReach = watch.lastStatus }
        }
        return false
    }


    /// The lines that replace sessions ended before `cutoff`: each pod's RUNNING intervals in
    /// them as spans (with first sighting and completeness), and nothing for pods whose last
    /// line is older than `expiry` (gone for 30 days). Lines of sessions still going are kept.
    public static func compact(_ lines: [LedgerLine], live: Set<String>, cutoff: Date, expiry: Date) -> [LedgerLine] {
        let cutoffMS = LedgerLine.ms(cutoff), expiryMS = LedgerLine.ms(expiry)
        var sessionEnd: [String: Int64] = [:]
        for line in lines { if let s = line.session { sessionEnd[s] = max(sessionEnd[s] ?? line.latest, line.latest) } }
        let ended = Set(sessionEnd.filter { !live.contains($0.key) && $0.value < cutoffMS }.keys)
        let toCompact = lines.filter { line in line.session.map(ended.contains) ?? true }
        let kept = lines.filter { line in line.session.map { !ended.contains($0) } ?? false }
        // Spend of the compacted part alone, per pod, as spans.
        var lastSeen: [Int64: Int64] = [:]
        for line in lines {
            switch line {
            case .edge(_, let id, _, _, let at, _, _): lastSeen[id] = max(lastSeen[id] ?? at, at)
            case .span(let id, _, _, let to, _, _, _): lastSeen[id] = max(lastSeen[id] ?? to, to)
            case .alive: break
            }
        }
        var spans: [LedgerLine] = []
        let spends = compute(toCompact, live: nil, now: cutoff.addingTimeInterval(365 * 86_400 * 100))
        // Re-derive the intervals themselves (compute returns sums): walk the pods' segments.
        var segments: [Int64: [Segment]] = [:]
        var names: [Int64: String] = [:]
        var bySession: [String: [Int64: [(Int64, String, Double)]]] = [:]
        for line in toCompact {
            switch line {
            case .span(let id, let name, let from, let to, let price, _, _):
                segments[id, default: []].append(Segment(from: from, to: to, price: LedgerLine.finite(price) ?? 0))
                if let name { names[id] = name }
            case .edge(let s, let id, let name, let status, let at, let price, _):
                bySession[s, default: [:]][id, default: []].append((at, status, LedgerLine.finite(price) ?? 0))
                if let name { names[id] = name }
            case .alive: break
            }
        }
        for (session, pods) in bySession {
            let end = sessionEnd[session] ?? 0
            for (id, list) in pods {
                let sorted = list.sorted { $0.0 < $1.0 }
                for (i, edge) in sorted.enumerated() where edge.1 == "RUNNING" {
                    segments[id, default: []].append(Segment(from: edge.0, to: i + 1 < sorted.count ? sorted[i + 1].0 : end, price: edge.2))
                }
            }
        }
        for (id, spend) in spends where (lastSeen[id] ?? 0) >= expiryMS {
            let first = LedgerLine.ms(spend.firstSeen)
            let merged = union(segments[id] ?? [])
            if merged.isEmpty {
                // Seen but never RUNNING: keep the sighting (a zero-length span), so a later
                // session knows it was watched from the start.
                spans.append(.span(id: id, name: names[id], from: first, to: first, price: nil, first: first, complete: spend.complete))
            }
            for s in merged where s.to >= s.from {
                spans.append(.span(id: id, name: names[id], from: s.from, to: s.to, price: s.price, first: first, complete: spend.complete))
            }
        }
        let keptLive = kept.filter { line in
            if case .edge(_, let id, _, _, _, _, _) = line { return (lastSeen[id] ?? 0) >= expiryMS }
            return true
        }
        // A fixed order (time, then pod), so compacting a compacted file changes nothing.
        func key(_ line: LedgerLine) -> (Int64, Int64, Int64) {
            if case .span(let id, _, let from, let to, _, _, _) = line { return (to, id, from) }
            return (line.latest, 0, 0)
        }
        return spans.sorted { key($0) < key($1) } + keptLive
    }
}
