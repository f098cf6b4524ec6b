import FoundationEssentials
import PodAPI
import PodLocal

/// `:timers`: each pending pause timer with its pod, when it fires and how long until then.
enum TimersView {
    static func draw(_ state: AppState, into screen: inout Screen, top: Int, bottom: Int) {
        let w = screen.size.width
        let active = state.timers.active
        let who = state.timers.watcher.map { "podtui watch (pid \($0.pid)) runs since \(Format.time($0.since, in: state.settings.timeZone)) and fires them" }
            ?? "they act while some podtui runs (the TUI, podtui watch or timers run)"
        screen.put(" Pause timers (\(active.count)) · " + who, row: top, col: 0, style: Style(color: .accent, bold: true), maxWidth: w)
        if let problem = state.timers.problem {
            screen.put(" " + TextSafety.clean(problem), row: top + 1, col: 0, style: Style(color: .bad), maxWidth: w)
        }
        guard !active.isEmpty else {
            screen.put(" No pause timers. On a RUNNING pod, t sets one.", row: top + 2, col: 0, style: Style(color: .muted), maxWidth: w)
            return
        }
        let zone = state.settings.timeZone
        let rows = max(1, bottom - top - 2)
        let first = max(0, min(state.timers.selected - rows + 1, active.count - rows))
        for (offset, timer) in active.dropFirst(first).prefix(rows).enumerated() {
            let index = first + offset
            let row = top + 2 + offset
            let selected = index == state.timers.selected
            let style = selected ? Style(color: .selection, reverse: true) : .plain
            screen.fill(row: row, col: 0, width: w, style: style)
            let when: String
            switch (timer.state, timer.trigger) {
            case (.firing, _):
                when = "pausing now…"
            case (_, .whenIdle(let minutes)):
                let idle = state.idleClock(timer.podID)?.idleFor ?? 0
                when = "when idle for \(Format.age(minutes * 60))" + (idle > 0 ? "  idle now \(Format.age(idle))" : "")
                    + (state.settings.probe.enabled || state.metricsOn ? "" : "  (metrics and GPU probes are off: :metrics on)")
            case (_, .at(let due)):
                when = "at \(Format.dateTime(due, in: zone))  in \(Format.age(max(0, due.timeIntervalSince(state.now))))"
            }
            let by = timer.state == .firing ? "" : "  · by " + state.timers.firer(of: timer)
            let text = (selected ? "▸" : " ") + DisplayWidth.pad(DisplayWidth.truncate(TextSafety.clean(timer.label), to: 32), to: 33) + "⏲ " + when + by
            screen.put(text, row: row, col: 0, style: style, maxWidth: w)
        }
    }
}
