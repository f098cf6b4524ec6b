import PodAPI

/// Bulk confirmation: lists the marked pods, which ones the action applies to and the $/h it saves.
enum BulkConfirmView {
    static func draw(_ state: AppState, action: PodAction, into screen: inout Screen) {
        let plan = BulkPlan(action: action, state: state)
        let listed = plan.applicable.map { ($0, Optional<String>.none) } + plan.skipped.map { ($0.pod, Optional($0.reason)) }
        let height = min(screen.size.height, listed.count + 5)
        let danger = action == .delete
        let inner = Box.draw(title: "\(action.rawValue.firstUppercased) \(plan.applicable.count) marked pod\(plan.applicable.count == 1 ? "" : "s")?",
                             width: 72, height: height, into: &screen, style: Style(color: danger ? .bad : .warn))
        let participle = action == .pause ? "paused" : action == .resume ? "resumed" : "deleted"
        var summary = "\(plan.applicable.count) will be \(participle)"
        if !plan.skipped.isEmpty { summary += ", \(plan.skipped.count) skipped" }
        if plan.savingsPerHour > 0 { summary += " · saves $\(Format.price(plan.savingsPerHour))/h" }
        if danger { summary += " · cannot be undone" }
        screen.put(summary, row: inner.row, col: inner.col, style: Style(bold: true), maxWidth: inner.width)
        let rows = max(0, inner.height - 3)
        for (i, (pod, reason)) in listed.prefix(rows).enumerated() {
            let r = inner.row + 1 + i
            let mark = reason == nil ? "✓ " : "– "
            var x = screen.put(mark + DisplayWidth.pad(TextSafety.clean(pod.label), to: 24), row: r, col: inner.col,
                               style: reason == nil ? .plain : Style(color: .muted), maxWidth: inner.width)
            x = screen.put(" " + StatusLabel.of(pod.status), row: r, col: x, style: Style(color: StatusStyle.color(pod.status)),
                           maxWidth: max(0, inner.col + inner.width - x))
            let tail = reason.map { "  skipped: \($0)" } ?? (pod.pricePerHour.map { "  $\(Format.price($0))/h" } ?? "")
            screen.put(tail, row: r, col: x, style: Style(color: .muted), maxWidth: max(0, inner.col + inner.width - x))
        }
        if listed.count > rows {
            screen.put("… and \(listed.count - rows) more", row: inner.row + 1 + rows, col: inner.col, style: Style(color: .muted), maxWidth: inner.width)
        }
        let keys = state.settings.keymap
        screen.put("\(KeyBindings.key(.confirm, in: .confirmBulk, keymap: keys)) \(action.rawValue)s them · "
                   + "\(KeyBindings.bindings(in: .confirmBulk, keymap: keys).first { $0.command == .cancel }?.keyLabel ?? "n") cancels", row: inner.row + inner.height - 1, col: inner.col,
                   style: Style(color: .muted), maxWidth: inner.width)
    }
}
