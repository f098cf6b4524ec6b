import FoundationEssentials
import PodAPI
import PodLocal

/// The spend ledger in the UI: records what this process sees (an edge per status change,
/// a heartbeat every half minute) and keeps the per-pod totals the list, detail pane and
/// header show.
enum SpendReducer {
    static let heartbeat = 30.0
    /// Edges a pod may get before they are coalesced. The count drops by one every
    /// `creditEvery` seconds, so only a pod changing faster than that builds it up.
    static let burst = 8
    static let creditEvery = 120.0
    /// Past the burst, at most one edge per pod this often, doubling after each further
    /// burst up to 4× (2 minutes, where the count's credit holds it): the latest status
    /// wins, and the RUNNING time counted is off by at most the gap per change. A pod that
    /// flaps every second gets 26 edges in its first 1,000 s, 48 in its first hour and 30
    /// an hour after that (instead of 3,600); one that changes every few minutes (a pause
    /// and a resume every ten) never waits.
    static let minEdgeGap = 30.0

    /// The gap a pod with `count` edges waits between edges.
    static func gap(afterEdges count: Int) -> Double {
        guard count >= burst else { return 0 }
        return minEdgeGap * Double(1 << min((count - burst) / burst, 2))
    }

    /// GONE pods' bookkeeping is dropped this long after their last edge.
    static let forgetGone = 600.0

    /// Epoch milliseconds, clamped to what a ledger line holds (never a trap).
    static func ms(_ date: Date) -> Int64 { LedgerLine.ms(date) }

    /// New observations from a list reply: a line per pod whose status this session has not
    /// recorded yet (or that changed), and `GONE` for pods an unfiltered reply no longer has.
    static func observe(_ state: inout AppState, _ pods: [Pod], now: Date, complete: Bool) -> [Effect] {
        guard !state.spend.session.isEmpty else { return [] }
        var lines: [LedgerLine] = []
        for pod in pods {
            let status = pod.status.wireName.isEmpty ? "UNKNOWN" : pod.status.wireName
            guard state.spend.lastStatus[pod.id] != status || state.spend.held[pod.id] != nil else { continue }
            // A NaN or infinite price is unknown; an absurd createdAt is unknown: the edge stays.
            let edge = SpendState.HeldEdge(status: status, name: pod.name, price: LedgerLine.finite(pod.pricePerHour),
                                           created: pod.createdAt.flatMap(LedgerLine.checkedMS))
            record(&state, id: pod.id, edge, now: now, into: &lines)
        }
        if complete {
            let live = Set(pods.map(\.id))
            for (id, status) in state.spend.lastStatus where !live.contains(id) && status != "GONE" {
                record(&state, id: id, SpendState.HeldEdge(status: "GONE", name: state.fleet.names[id], price: nil, created: nil), now: now, into: &lines)
            }
        }
        guard !lines.isEmpty else { return [] }
        state.spend.lines += lines
        recompute(&state, now: now)
        return [.ledgerAppend(lines)]
    }

    /// Writes `edge` for pod `id`, or holds it back when the pod has had its burst and its
    /// last edge is recent.
    static func record(_ state: inout AppState, id: Int64, _ edge: SpendState.HeldEdge, now: Date, into lines: inout [LedgerLine]) {
        if state.spend.lastStatus[id] == edge.status {
            state.spend.held[id] = nil   // it flapped back before anything was written
            return
        }
        if let last = state.spend.lastEdgeAt[id] {
            let since = now.timeIntervalSince(last)
            // Checked: a clock jump must not trap the conversion.
            let credit = since.isFinite ? Int(saturating: min(max(since / creditEvery, 0), 1e6)) : 1_000_000
            state.spend.edgeCount[id] = max(0, (state.spend.edgeCount[id] ?? 0) - credit)
            if since < gap(afterEdges: state.spend.edgeCount[id] ?? 0) {
                state.spend.held[id] = edge
                return
            }
        }
        state.spend.held[id] = nil
        state.spend.lastStatus[id] = edge.status
        state.spend.edgeCount[id, default: 0] += 1
        state.spend.lastEdgeAt[id] = now
        lines.append(.edge(session: state.spend.session, id: id, name: edge.name, status: edge.status, at: ms(now),
                           price: edge.price, created: edge.created))
    }

    /// The heartbeat, held-back edges whose time has come, and a new day's totals. A
    /// heartbeat gap longer than the ledger's session timeout (the process was stopped,
    /// the machine slept) starts a new session, since another podtui may have compacted the
    /// old one as ended: its edges are written again under the new id.
    static func tick(_ state: inout AppState) -> [Effect] {
        guard !state.spend.session.isEmpty else { return [] }
        var lines: [LedgerLine] = []
        let now = state.now
        if let last = state.spend.lastAlive, now.timeIntervalSince(last) > LedgerFile.sessionTimeout {
            if state.spend.sessionBase.isEmpty { state.spend.sessionBase = state.spend.session }
            state.spend.restarts += 1
            state.spend.session = state.spend.sessionBase + "-r\(state.spend.restarts)"
            state.spend.lastStatus = [:]
            state.spend.edgeCount = [:]
            state.spend.lastEdgeAt = [:]
            state.spend.held = [:]
            for pod in state.fleet.allPods {
                let status = pod.status.wireName.isEmpty ? "UNKNOWN" : pod.status.wireName
                record(&state, id: pod.id, SpendState.HeldEdge(status: status, name: pod.name, price: LedgerLine.finite(pod.pricePerHour),
                                                               created: pod.createdAt.flatMap(LedgerLine.checkedMS)), now: now, into: &lines)
            }
            state.spend.lastAlive = nil
        }
        // Held-back edges go out with the next reply that still shows them (`observe`), or
        // here with the heartbeat when no reply came: one recompute per half minute at most.
        let beat = state.spend.lastAlive.map { now.timeIntervalSince($0) >= heartbeat } ?? true
        if beat {
            for (id, edge) in state.spend.held
            where state.spend.lastEdgeAt[id].map({ now.timeIntervalSince($0) >= gap(afterEdges: state.spend.edgeCount[id] ?? 0) }) ?? true {
                record(&state, id: id, edge, now: now, into: &lines)
            }
        }
        // Forget pods gone for a while (a reply that invents new ids every poll must not
        // grow these maps); one that comes back gets a new edge, as a new pod would.
        for (id, status) in state.spend.lastStatus where beat && status == "GONE"
            && (state.spend.lastEdgeAt[id].map { now.timeIntervalSince($0) > forgetGone } ?? true) {
            state.spend.lastStatus[id] = nil
            state.spend.edgeCount[id] = nil
            state.spend.lastEdgeAt[id] = nil
        }
        var effects: [Effect] = []
        if beat {
            state.spend.lastAlive = now
            lines.append(.alive(session: state.spend.session, at: ms(now)))
        }
        if !lines.isEmpty {
            let edges = lines.filter { if case .edge = $0 { return true } else { return false } }
            if !edges.isEmpty {
                state.spend.lines += edges
                recompute(&state, now: now)
            }
            effects.append(.ledgerAppend(lines))
        }
        if let start = state.spend.dayStart, now.timeIntervalSince(start) >= 86_400 { recompute(&state, now: now) }
        return effects
    }

    /// The file's history arrived (before or after this session's first lines).
    static func loaded(_ state: inout AppState, _ result: Result<[LedgerLine], ExternalFailure>) {
        switch result {
        case .success(let history):
            // This process's own lines (of the sessions it has in memory) are already here.
            // Its sessions from before a `:profile` switch away and back are history now.
            var own: Set<String> = [state.spend.session]
            for line in state.spend.lines { if let s = line.session { own.insert(s) } }
            state.spend.lines = history.filter { line in !(line.session.map(own.contains) ?? false) } + state.spend.lines
            state.spend.loaded = true
            state.spend.problem = nil
        case .failure(let failure):
            state.spend.problem = failure.reason
            Reducer.record(&state, nil, "spend ledger not read: \(failure.reason) (costs count from now)", .bad)
        }
        recompute(&state, now: state.now)
    }

    /// `:profile` switched to another endpoint (or account): its spend is its own ledger's.
    /// Everything in memory was the old endpoint's; the session goes on under a new id
    /// (`base-rN`, as after a long sleep) so that switching back later never makes one
    /// session span the time this process watched another endpoint; and its ledger is read.
    static func endpointChanged(_ state: inout AppState) -> [Effect] {
        guard !state.spend.session.isEmpty else { return [] }
        let base = state.spend.sessionBase.isEmpty ? state.spend.session : state.spend.sessionBase
        let restarts = state.spend.restarts + 1
        state.spend = SpendState()
        state.spend.sessionBase = base
        state.spend.restarts = restarts
        state.spend.session = base + "-r\(restarts)"
        recompute(&state, now: state.now)
        return [.loadLedger]
    }

    static func recompute(_ state: inout AppState, now: Date) {
        let start = localMidnight(now, zone: state.settings.timeZone)
        state.spend.dayStart = start
        state.spend.total = SpendLedger.compute(state.spend.lines, live: state.spend.session, now: now)
        state.spend.today = SpendLedger.compute(state.spend.lines, live: state.spend.session, now: now, since: start)
        state.spend.foldToday()
    }

    /// The start of `date`'s day in `zone`.
    static func localMidnight(_ date: Date, zone: ZoneOffsets) -> Date {
        let offset = Double(zone.offset(at: date))
        let local = date.timeIntervalSince1970 + offset
        return Date(timeIntervalSince1970: (local / 86_400).rounded(.down) * 86_400 - offset)
    }
}
