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
        let nowMS = LedgerLine.ms(now)
        let sinceMS = since.map(LedgerLine.ms) ?? Int64.min
        var closed: [Int64: [Segment]] = [:]
        var open: [Int64: Segment] = [:]
        var names: [Int64: String] = [:]
        var first: [Int64: Int64] = [:]
        var incomplete: Set<Int64> = []
        // Per pod, per session: edges in time order, the session's first status and its end.
        struct Watch { var start: Int64; var end: Int64; var firstStatus: String; var lastStatus: String }
        var watches: [Int64: [Watch]] = [:]
        var created: [Int64: Int64] = [:]

        var sessionEnd: [String: Int64] = [:]
        var edges: [String: [Int64: [(at: Int64, status: String, price: Double)]]] = [:]
        for line in lines {
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
        for (session, pods) in edges {
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
        // Ran before anyone saw it, or RUNNING across a time nobody watched.
        for (id, list) in watches {
            let ordered = list.sorted { $0.start < $1.start }
            // Created before a podtui first saw it (or when, unknown): it may have run unseen.
            if let earliest = ordered.first, earliest.firstStatus != "INITIALIZE" || earliest.firstStatus == "RUNNING",
               created[id].map({ $0 < earliest.start - firstSightSlack }) ?? true {
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
            let merged = union((closed[id] ?? []).map { Segment(from: max($0.from, sinceMS), to: min($0.to, nowMS), price: $0.price) }
                .filter { $0.to > $0.from })
            var spend = PodSpend(id: id, name: names[id], closedSeconds: 0, closedCost: 0, openSince: nil, openPrice: nil,
                                 firstSeen: Date(timeIntervalSince1970: Double(first[id] ?? nowMS) / 1000), complete: !incomplete.contains(id))
            for s in merged {
                let seconds = Double(s.to - s.from) / 1000
                spend.closedSeconds += seconds
                spend.closedCost += seconds * s.price / 3600
            }
            if let o = open[id] {
                // Only what no finished interval already counts (another process watching too).
                let start = max(o.from, merged.last.map(\.to) ?? Int64.min, sinceMS)
                spend.openSince = Date(timeIntervalSince1970: Double(start) / 1000)
                spend.openPrice = o.price
            }
            out[id] = spend
        }
        return out
    }

    /// Overlapping intervals merged; where two overlap, the earlier one's price holds.
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
