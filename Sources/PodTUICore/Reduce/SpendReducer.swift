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

    /// New pods (first seen in this session, unknown to the ledger, after the first reply)
    /// written at once: a burst, refilled at `newPerHour`. Past it a new pod is held back
    /// and written only if a reply at least `probation` later still shows it (a pod that
    /// lives one poll is not worth a line); at most `maxProvisional` wait at once.
    static let newBurst = SpendState.newBurst
    static let newPerHour = 600.0
    static let probation = 60.0
    static let maxProvisional = 50_000
    /// The ledger's hard bound as this process counts it: the file's bytes (a little under
    /// `SpendLedger.maxFileBytes`, which refuses appends, so other writers and rounding fit) and
    /// the lines kept in memory. Reached, nothing more is recorded until a restart compacts
    /// the file; the spend shown is then a lower bound.
    static let maxBytes = Int(SpendLedger.maxFileBytes / 8 * 7)
    static let maxLines = 250_000
    /// A name or status longer than this is cut in the ledger: a huge one from a hostile
    /// API must not fill it in a few lines.
    static let nameLimit = 128

    /// Recomputing the totals reads every line. Past `bigLedger` lines it happens at most
    /// once per `recomputeGap` (a second per 2,000 lines, at most a minute): the time spent
    /// on it stays a small share however many lines a flood brings; until then new edges
    /// wait, while open RUNNING intervals keep counting.
    static let bigLedger = 20_000
    static func recomputeGap(lines: Int) -> Double { min(60, Double(lines) / 2_000) }

    /// Totals after new edges: now, or for a big ledger once its gap has passed.
    static func refresh(_ state: inout AppState, now: Date) {
        if state.spend.lines.count >= bigLedger, let last = state.spend.computedAt,
           now.timeIntervalSince(last) < recomputeGap(lines: state.spend.lines.count) {
            state.spend.stale = true
            return
        }
        recompute(&state, now: now)
    }

    /// A string as the ledger keeps it: at most `nameLimit` scalars.
    static func clip(_ text: String) -> String {
        text.unicodeScalars.count <= nameLimit ? text : String(String.UnicodeScalarView(text.unicodeScalars.prefix(nameLimit)))
    }

    /// A pod's status as an edge records it.
    static func status(_ pod: Pod) -> String {
        let name = pod.status.wireName
        if name.isEmpty { return "UNKNOWN" }
        return name.utf8.count <= nameLimit ? name : clip(name)   // no more scalars than bytes
    }

    /// A pod's status and facts as an edge would record them.
    static func edge(_ pod: Pod) -> SpendState.HeldEdge {
        let status = status(pod)
        // A NaN or infinite price is unknown; an absurd createdAt is unknown: the edge stays.
        return SpendState.HeldEdge(status: status, name: pod.name.map(clip), price: LedgerLine.finite(pod.pricePerHour),
                                   created: pod.createdAt.flatMap(LedgerLine.checkedMS))
    }

    /// Epoch milliseconds, clamped to what a ledger line holds (never a trap).
    static func ms(_ date: Date) -> Int64 { LedgerLine.ms(date) }

    /// New observations from a list reply: a line per pod whose status this session has not
    /// recorded yet (or that changed), and `GONE` for pods an unfiltered reply no longer has.
    static func observe(_ state: inout AppState, _ pods: [Pod], now: Date, complete: Bool) -> [Effect] {
        guard !state.spend.session.isEmpty, state.spend.fullSince == nil else { return [] }
        refill(&state, now: now)
        let first = !state.spend.replied
        state.spend.replied = true
        var lines: [LedgerLine] = []
        var waiting: [Int64: SpendState.Provisional] = [:]
        if first {
            // The first reply writes the fleet: room for it at once, not a rehash per doubling.
            state.spend.lastStatus.reserveCapacity(pods.count)
            state.spend.edgeCount.reserveCapacity(pods.count)
            state.spend.lastEdgeAt.reserveCapacity(pods.count)
            lines.reserveCapacity(pods.count)
        }
        for pod in pods {
            // Most pods are recorded already with the status they still have: their edge
            // (names and prices clipped) is made only when it may be written.
            let last = state.spend.lastStatus[pod.id]
            if let last, last == status(pod), state.spend.held[pod.id] == nil { continue }
            let seen = Self.edge(pod)
            if last == nil,
               !admit(&state, id: pod.id, seen, first: first, now: now, waiting: &waiting, into: &lines) { continue }
            guard state.spend.lastStatus[pod.id] != seen.status || state.spend.held[pod.id] != nil else { continue }
            record(&state, id: pod.id, seen, now: now, into: &lines)
        }
        // Held-back new pods this reply no longer shows are forgotten, never written.
        state.spend.provisional = waiting
        if complete {
            let live = Set(pods.map(\.id))
            for (id, status) in state.spend.lastStatus where !live.contains(id) && status != LedgerLine.gone {
                record(&state, id: id, SpendState.HeldEdge(status: LedgerLine.gone, name: state.fleet.names[id].map(clip), price: nil, created: nil), now: now, into: &lines)
            }
        }
        guard !lines.isEmpty else { return [] }
        return commit(&state, lines, now: now)
    }

    /// Whether pod `id`, which this session has not recorded yet, is written now. The first
    /// reply's pods and pods the ledger knows are; a new one takes one of the allowance, or
    /// waits in `provisional` (and, still there after `probation`, takes one then, written
    /// from when it was first seen).
    static func admit(_ state: inout AppState, id: Int64, _ edge: SpendState.HeldEdge, first: Bool, now: Date,
                      waiting: inout [Int64: SpendState.Provisional], into lines: inout [LedgerLine]) -> Bool {
        if first || state.spend.total[id] != nil { return true }
        if let held = state.spend.provisional[id] {
            guard now.timeIntervalSince(held.firstSeen) >= probation, state.spend.allowance >= 1 else {
                waiting[id] = held
                return false
            }
            state.spend.allowance -= 1
            // Its first sighting, back-dated: the time it ran while held back counts.
            state.spend.lastStatus[id] = held.first.status
            state.spend.edgeCount[id] = 1
            state.spend.lastEdgeAt[id] = held.firstSeen
            lines.append(.edge(session: state.spend.session, id: id, name: held.first.name, status: held.first.status,
                               at: ms(held.firstSeen), price: held.first.price, created: held.first.created))
            return true
        }
        if state.spend.allowance >= 1 {
            state.spend.allowance -= 1
            return true
        }
        if waiting.count < maxProvisional { waiting[id] = SpendState.Provisional(firstSeen: now, first: edge) }
        return false
    }

    /// The allowance for new pods grows with the time since it was last looked at.
    static func refill(_ state: inout AppState, now: Date) {
        if let last = state.spend.allowanceAt {
            let since = now.timeIntervalSince(last)
            if since.isFinite, since > 0 {
                state.spend.allowance = min(Double(newBurst), state.spend.allowance + since * newPerHour / 3600)
            }
        }
        state.spend.allowanceAt = now
    }

    /// Hands `lines` to the file and their edges to the totals, or, when they would take the
    /// ledger past its bound, stops recording (`fill`).
    static func commit(_ state: inout AppState, _ lines: [LedgerLine], now: Date) -> [Effect] {
        let edges = lines.filter { if case .edge = $0 { return true } else { return false } }
        let size = lines.reduce(0) { $0 + $1.estimatedSize + 1 }
        if state.spend.bytes + size > maxBytes || state.spend.lines.count + edges.count > maxLines {
            return fill(&state, now: now)
        }
        state.spend.bytes += size
        if !edges.isEmpty {
            state.spend.lines += edges
            refresh(&state, now: now)
        }
        return [.ledgerAppend(lines)]
    }

    /// The ledger reached its bound: said once, nothing recorded from now on, every spend a
    /// lower bound as of now. The session's last line says it watched until now.
    static func fill(_ state: inout AppState, now: Date) -> [Effect] {
        state.spend.fullSince = now
        state.spend.held = [:]
        state.spend.provisional = [:]
        let size = NumberText.fixed(Double(state.spend.bytes) / 1_048_576, 1)
        let text = "Spend ledger full (\(size) MB, \(state.spend.lines.count) lines): nothing more is recorded until podtui restarts and compacts it; spend shows ≥ what was recorded"
        Reducer.record(&state, nil, text, .bad)
        state.message = Message(text, kind: .error, at: now)
        recompute(&state, now: now)
        return [.ledgerAppend([.alive(session: state.spend.session, at: ms(now))])]
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
        if state.spend.fullSince != nil {
            if let start = state.spend.dayStart, now.timeIntervalSince(start) >= 86_400 { recompute(&state, now: now) }
            return []
        }
        if let last = state.spend.lastAlive, now.timeIntervalSince(last) > SpendLedger.sessionTimeout {
            if state.spend.sessionBase.isEmpty { state.spend.sessionBase = state.spend.session }
            state.spend.restarts += 1
            state.spend.session = state.spend.sessionBase + "-r\(state.spend.restarts)"
            state.spend.lastStatus = [:]
            state.spend.edgeCount = [:]
            state.spend.lastEdgeAt = [:]
            state.spend.held = [:]
            for pod in state.fleet.allPods { record(&state, id: pod.id, Self.edge(pod), now: now, into: &lines) }
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
        for (id, status) in state.spend.lastStatus where beat && status == LedgerLine.gone
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
        if !lines.isEmpty { effects = commit(&state, lines, now: now) }
        if let start = state.spend.dayStart, now.timeIntervalSince(start) >= 86_400 { recompute(&state, now: now) }
        if state.spend.stale { refresh(&state, now: now) }
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
            let read = history.filter { line in !(line.session.map(own.contains) ?? false) }
            state.spend.lines = read + state.spend.lines
            state.spend.bytes += read.reduce(0) { $0 + $1.estimatedSize + 1 }
            state.spend.loaded = true
            state.spend.problem = nil
            if state.spend.fullSince == nil, state.spend.bytes > maxBytes || state.spend.lines.count > maxLines {
                _ = fill(&state, now: state.now)   // its heartbeat went out half a minute ago at most
            }
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
        state.spend.computedAt = now
        state.spend.stale = false
        let start = localMidnight(now, zone: state.settings.timeZone)
        state.spend.dayStart = start
        if let full = state.spend.fullSince {
            // Nothing is recorded after `full`: the session ends there, and what any pod
            // spent is at least what was recorded.
            let lines = state.spend.lines + [.alive(session: state.spend.session, at: ms(full))]
            let spends = SpendLedger.compute(lines, live: nil, now: now, windows: [nil, start])
                .map { $0.mapValues { var s = $0; s.complete = false; return s } }
            state.spend.total = spends[0]
            state.spend.today = spends[1]
        } else {
            let spends = SpendLedger.compute(state.spend.lines, live: state.spend.session, now: now, windows: [nil, start])
            state.spend.total = spends[0]
            state.spend.today = spends[1]
        }
        state.spend.foldToday()
    }

    /// The start of `date`'s day in `zone`.
    static func localMidnight(_ date: Date, zone: ZoneOffsets) -> Date {
        let offset = Double(zone.offset(at: date))
        let local = date.timeIntervalSince1970 + offset
        return Date(timeIntervalSince1970: (local / 86_400).rounded(.down) * 86_400 - offset)
    }
}
