import FoundationEssentials
import PodAPI
import PodLocal

/// The spend ledger in the UI: records what this process sees (an edge per status change,
/// a heartbeat every half minute) and keeps the per-pod totals the list, detail pane and
/// header show.
enum SpendReducer {
    static let heartbeat = 30.0

    static func ms(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }

    /// New observations from a list reply: a line per pod whose status this session has not
    /// recorded yet (or that changed), and `GONE` for pods an unfiltered reply no longer has.
    static func observe(_ state: inout AppState, _ pods: [Pod], now: Date, complete: Bool) -> [Effect] {
        guard !state.spend.session.isEmpty else { return [] }
        var lines: [LedgerLine] = []
        for pod in pods {
            let status = pod.status.wireName.isEmpty ? "UNKNOWN" : pod.status.wireName
            guard state.spend.lastStatus[pod.id] != status else { continue }
            state.spend.lastStatus[pod.id] = status
            lines.append(.edge(session: state.spend.session, id: pod.id, name: pod.name, status: status, at: ms(now),
                               price: pod.pricePerHour, created: pod.createdAt.map(ms)))
        }
        if complete {
            let live = Set(pods.map(\.id))
            for (id, status) in state.spend.lastStatus where !live.contains(id) && status != "GONE" {
                state.spend.lastStatus[id] = "GONE"
                lines.append(.edge(session: state.spend.session, id: id, name: state.fleet.names[id], status: "GONE", at: ms(now), price: nil, created: nil))
            }
        }
        guard !lines.isEmpty else { return [] }
        state.spend.lines += lines
        recompute(&state, now: now)
        return [.ledgerAppend(lines)]
    }

    /// The heartbeat, and a new day's totals.
    static func tick(_ state: inout AppState) -> [Effect] {
        guard !state.spend.session.isEmpty else { return [] }
        var effects: [Effect] = []
        if state.spend.lastAlive.map({ state.now.timeIntervalSince($0) >= heartbeat }) ?? true {
            state.spend.lastAlive = state.now
            effects.append(.ledgerAppend([.alive(session: state.spend.session, at: ms(state.now))]))
        }
        if let start = state.spend.dayStart, state.now.timeIntervalSince(start) >= 86_400 { recompute(&state, now: state.now) }
        return effects
    }

    /// The file's history arrived (before or after this session's first lines).
    static func loaded(_ state: inout AppState, _ result: Result<[LedgerLine], ExternalFailure>) {
        switch result {
        case .success(let history):
            state.spend.lines = history.filter { $0.session != state.spend.session } + state.spend.lines
            state.spend.loaded = true
            state.spend.problem = nil
        case .failure(let failure):
            state.spend.problem = failure.reason
            Reducer.record(&state, nil, "spend ledger not read: \(failure.reason) (costs count from now)", .bad)
        }
        recompute(&state, now: state.now)
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
