import Foundation
import PodAPI

/// `render(state, size)`: the pure view. Same state and size, same screen.
public enum Render {
    public static func render(_ state: AppState, size: Size) -> Screen {
        var screen = Screen(size: size)
        guard size.width > 0, size.height > 0 else { return screen }
        if size.width < 20 || size.height < 5 {
            screen.put("podtui: enlarge the terminal", row: 0, col: 0, maxWidth: size.width)
            return screen
        }
        HeaderView.draw(state, into: &screen)
        let bodyTop = 1
        let bodyBottom = size.height - 2   // exclusive: message line, footer
        if let form = state.form {
            FormView.draw(state, form, into: &screen, top: bodyTop, bottom: bodyBottom)
        } else if state.view == .gpus {
            GPUsView.draw(state, into: &screen, top: bodyTop, bottom: bodyBottom)
        } else if state.view == .events {
            EventsView.draw(state, into: &screen, top: bodyTop, bottom: bodyBottom)
        } else {
            switch state.focus {
            case .list: ListView.draw(state, into: &screen, top: bodyTop, bottom: bodyBottom)
            case .detail: DetailView.draw(state, into: &screen, top: bodyTop, bottom: bodyBottom)
            }
        }
        if let input = state.input {
            InputView.draw(state, input, into: &screen, row: size.height - 2)
        } else {
            MessageView.draw(state, into: &screen, row: size.height - 2)
        }
        FooterView.draw(state, into: &screen, row: size.height - 1)
        switch state.overlay {
        case .help?: HelpView.draw(state, into: &screen)
        case .confirmDelete(let id, let name, let deleteFocused)?:
            ConfirmView.draw(state, podID: id, name: name, deleteFocused: deleteFocused, into: &screen)
        case .confirmBulk(let action)?:
            BulkConfirmView.draw(state, action: action, into: &screen)
        case nil: break
        }
        return screen
    }

    /// The number of list rows `render` shows at `size` (for paging).
    public static func listRows(for state: AppState, size: Size) -> Int {
        max(1, ListView.layout(state, height: size.height - 3, width: size.width).rows)
    }
}

/// The top line: endpoint, counts, cost, freshness.
enum HeaderView {
    static func draw(_ state: AppState, into screen: inout Screen) {
        let w = screen.size.width
        let bar = Style(color: .headerBar, reverse: true)
        screen.fill(row: 0, col: 0, width: w, style: bar)
        let counts = state.summary.counts
        let order: [PodStatus] = [.running, .initializing, .pausing, .paused, .terminating, .failed, .terminated]
        let parts = order.compactMap { s in counts[s].map { "\($0) \(shortName(s))" } }
        let unknown = counts.filter { if case .unknown = $0.key { true } else { false } }.values.reduce(0, +)
        let countText = "\(state.allPods.count) pods" + (parts.isEmpty ? "" : ": " + (parts + (unknown > 0 ? ["\(unknown) other"] : [])).joined(separator: ", "))
        let cost = "$" + Format.price(state.runningCostPerHour) + "/h"
        let fresh = freshness(state)
        let right = w >= 60 ? "  ?:help " : ""
        let freshStyle = state.isStale
            || state.connection.lastSuccess == nil && (state.connection.lastError != nil || state.connection.overdueFor(now: state.now, interval: state.interval) != nil)
            ? Style(color: .bad, bold: true, reverse: true) : bar
        // Freshness and cost matter most; the status breakdown shortens first, then goes.
        let running = counts[.running] ?? 0
        let shortCounts = "\(state.allPods.count) pods (\(running) running)"
        let fixed = DisplayWidth.of(" podtui") + DisplayWidth.of(fresh) + DisplayWidth.of(right) + 3
        let endpoint = TextSafety.clean(state.endpoint)
        var segments: [String] = []
        for candidate in [[endpoint, countText, cost], [endpoint, shortCounts, cost], [shortCounts, cost], [cost], []] {
            let width = candidate.reduce(0) { $0 + DisplayWidth.of($1) + 3 }
            if fixed + width <= w { segments = candidate; break }
        }
        var x = screen.put(" podtui", row: 0, col: 0, style: Style(color: .headerBar, bold: true, reverse: true))
        for segment in segments { x = screen.put(" · " + segment, row: 0, col: x, style: bar) }
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
        if let waited = c.overdueFor(now: state.now, interval: state.interval) {
            return "\(c.lastSuccess == nil ? "no data" : "stale"): no reply for \(Int(waited.rounded()))s"
        }
        if let error = c.lastError {
            let wait = max(0, Int((c.nextPoll?.timeIntervalSince(state.now) ?? 0).rounded(.up)))
            let retry = c.fetching ? "retrying now" : "retrying in \(wait)s"
            let prefix = c.lastSuccess == nil ? "no data" : "stale"
            return "\(prefix): \(retry) (\(error.shortReason))"
        }
        guard let last = c.lastSuccess else { return "loading…" }
        return "updated \(Format.age(max(0, state.now.timeIntervalSince(last)))) ago"
    }
}

/// The message line: the last message, or the list's position.
enum MessageView {
    static func draw(_ state: AppState, into screen: inout Screen, row: Int) {
        let w = screen.size.width
        if let message = state.message {
            let style: Style
            switch message.kind {
            case .error: style = Style(color: .bad, bold: true)
            case .success: style = Style(color: .good)
            case .info: style = Style(color: .accent)
            }
            screen.put(" " + Secrets.redact(message.text), row: row, col: 0, style: style, maxWidth: w)
        } else if state.skippedCount > 0 {
            screen.put(" \(state.skippedCount) pod(s) in the last reply could not be read (see log)", row: row, col: 0, style: Style(color: .warn), maxWidth: w)
        }
    }
}

/// The footer: keys that work here and now, from the bindings table.
enum FooterView {
    static func draw(_ state: AppState, into screen: inout Screen, row: Int) {
        let w = screen.size.width
        var x = 0
        let items: [(String, String, Bool)]
        switch state.overlay {
        case .confirmDelete?:
            items = [("y", "delete", true), ("n/Esc", "cancel", true), ("Tab", "switch button", true), ("↵", "choose", true)]
        case .confirmBulk?:
            items = [("y", "go ahead", true), ("n/Esc/↵", "cancel", true)]
        case nil where state.input?.kind == .filter:
            items = [("↵", "keep filter", true), ("Esc", "clear", true), ("↑↓", "move", true), ("status:/region:/gpu:/image:/id:", "fields", true), ("!", "not", true)]
        case nil where state.input?.kind == .command:
            items = [("↵", "run", true), ("Tab", "complete", true), ("Esc", "cancel", true)]
        case nil where state.form == nil && state.view != .pods:
            items = [("Esc", "back to pods", true), ("↑↓", "scroll", true), (":", "command", true), ("q", "back", true)]
        case .help?:
            items = [("any key", "close help", true)]
        case nil where state.form != nil:
            items = FormKeys.footer(state.form ?? CreateFormState())
        case nil:
            items = KeyBindings.table(remapped: state.keymap).filter { $0.inFooter && $0.focus.contains(state.focus) }.map {
                ($0.keyLabel, $0.label, KeyBindings.unavailableReason($0.command, state: state) == nil)
            }
        }
        // Too long: drop from just before the last two (help and quit matter most).
        var shown = items
        func width(_ list: [(String, String, Bool)]) -> Int { list.reduce(0) { $0 + DisplayWidth.of($1.0) + DisplayWidth.of($1.1) + 3 } }
        while width(shown) > w, shown.count > 3 { shown.remove(at: shown.count - 3) }
        for (key, label, enabled) in shown {
            guard x < w else { break }
            let keyStyle = enabled ? Style(color: .accent, bold: true) : Style(color: .muted, dim: true)
            let labelStyle = enabled ? Style.plain : Style(color: .muted, dim: true)
            x = screen.put(" " + key, row: row, col: x, style: keyStyle, maxWidth: w - x)
            x = screen.put(" " + label + " ", row: row, col: x, style: labelStyle, maxWidth: w - x)
        }
    }
}
