import FoundationEssentials
import PodAPI

/// The top line: endpoint, counts, cost, freshness.
enum HeaderView {
    static func draw(_ state: AppState, into screen: inout Screen) {
        let w = screen.size.width
        let bar = Style(color: .headerBar, reverse: true)
        screen.fill(row: 0, col: 0, width: w, style: bar)
        let counts = state.fleet.summary.counts
        let order: [PodStatus] = [.running, .initializing, .pausing, .paused, .terminating, .failed, .terminated]
        let parts = order.compactMap { s in counts[s].map { "\($0) \(shortName(s))" } }
        let unknown = counts.filter { if case .unknown = $0.key { true } else { false } }.values.reduce(0, +)
        // How many of the GPUs seen sit under the idle threshold: the probes' count when they
        // see any (finer), else the metrics API's.
        var gpus = ""
        let probed = state.settings.probe.enabled ? state.probe.idleGPUs(under: state.settings.probe.idlePercent) : (idle: 0, total: 0)
        if probed.total > 0 {
            gpus = ", \(probed.idle)/\(probed.total) GPUs idle"
        } else if state.metricsOn, state.metrics.seenGPUs > 0 {
            gpus = ", \(state.metrics.idleGPUs)/\(state.metrics.seenGPUs) GPUs idle"
        }
        let countText = "\(state.fleet.allPods.count) pods" + (parts.isEmpty ? "" : ": " + (parts + (unknown > 0 ? ["\(unknown) other"] : [])).joined(separator: ", ")) + gpus
        // The burn rate (against the budget, when one is set), then what today cost so far.
        var cost = "$" + Format.price(state.runningCostPerHour) + "/h"
        if let budget = state.settings.budgetPerHour { cost += " of $" + Format.price(budget) + "/h" + (state.overBudget ? " over budget" : "") }
        if state.spend.loaded || !state.spend.lines.isEmpty {
            // A full ledger stopped recording: today's figure is a floor from then on.
            cost += " · today " + (state.spend.fullSince == nil ? "$" : "≥ $") + Format.price(state.spend.todaysSpend(at: state.now))
        }
        let fresh = freshness(state)
        let right = w >= 60 ? "  ?:help " : ""
        let freshStyle = state.isStale
            || state.connection.lastSuccess == nil && (state.connection.lastError != nil || state.connection.overdueFor(now: state.now, interval: state.settings.interval) != nil)
            ? Style(color: .bad, bold: true, reverse: true) : bar
        // Freshness and cost matter most; the status breakdown shortens first, then goes.
        let running = counts[.running] ?? 0
        let shortCounts = "\(state.fleet.allPods.count) pods (\(running) running\(gpus))"
        let fixed = DisplayWidth.of(" podtui") + DisplayWidth.of(fresh) + DisplayWidth.of(right) + 3
        let endpoint = TextSafety.clean(state.settings.endpoint)
        // A `podtui watch` of this profile runs: timers and events do not depend on this screen.
        let watched = state.timers.watcher.map { ["watched since " + Format.time($0.since, in: state.settings.timeZone)] } ?? []
        let watchedShort = watched.isEmpty ? [] : ["watched"]
        var segments: [String] = []
        for candidate in [[endpoint, countText, cost] + watched, [endpoint, shortCounts, cost] + watched, [endpoint, shortCounts, cost] + watchedShort,
                          [shortCounts, cost] + watchedShort, [cost] + watchedShort, [cost], []] {
            let width = candidate.reduce(0) { $0 + DisplayWidth.of($1) + 3 }
            if fixed + width <= w { segments = candidate; break }
        }
        var x = screen.put(" podtui", row: 0, col: 0, style: Style(color: .headerBar, bold: true, reverse: true))
        for segment in segments {
            let style = state.overBudget && segment == cost ? Style(color: .warn, bold: true, reverse: true) : bar
            x = screen.put(" · ", row: 0, col: x, style: bar)
            x = screen.put(segment, row: 0, col: x, style: style)
        }
        x = screen.put(" · ", row: 0, col: x, style: bar, maxWidth: max(0, w - x))
        screen.put(fresh, row: 0, col: x, style: freshStyle, maxWidth: max(0, w - x - DisplayWidth.of(right)))
        if !right.isEmpty { screen.put(right, row: 0, col: w - DisplayWidth.of(right), style: bar) }
    }

    static func shortName(_ s: PodStatus) -> String {
        switch s {
        case .initializing: "init"
        default: s.wireName.lowercased()
        }
    }

    /// "updated 2s ago", "loading…", or "stale: retrying in 8s (HTTP 503)".
    static func freshness(_ state: AppState) -> String {
        let c = state.connection
        if let waited = c.overdueFor(now: state.now, interval: state.settings.interval) {
            return "\(c.lastSuccess == nil ? "no data" : "stale"): no reply for \(Int(saturating: waited.rounded()))s"
        }
        if let error = c.lastError {
            let wait = max(0, Int(saturating: (c.nextPoll?.timeIntervalSince(state.now) ?? 0).rounded(.up)))
            let retry = c.fetching ? "retrying now" : "retrying in \(wait)s"
            let prefix = c.lastSuccess == nil ? "no data" : "stale"
            return "\(prefix): \(retry) (\(state.settings.redactor.redact(error.shortReason)))"
        }
        guard let last = c.lastSuccess else { return "loading…" }
        return "updated \(Format.age(max(0, state.now.timeIntervalSince(last)))) ago"
    }
}
