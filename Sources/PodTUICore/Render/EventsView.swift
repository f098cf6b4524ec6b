import FoundationEssentials
import PodAPI

/// `:events`: status changes seen and action results, oldest first, newest at the bottom.
enum EventsView {
    static func draw(_ state: AppState, into screen: inout Screen, top: Int, bottom: Int) {
        let lines: [(String, Style)] = state.events.isEmpty
            ? [("Nothing yet: status changes and action results appear here.", Style(color: .muted))]
            : state.events.map { event in
                let style: Style = event.kind == .bad ? Style(color: .bad, bold: true) : event.kind == .good ? Style(color: .good) : .plain
                return (Format.time(event.at, in: state.settings.timeZone) + "  " + state.settings.redactor.redact(event.text), style)
            }
        ScrollText.draw(title: "Events (\(state.events.count))", lines, scroll: state.nav.detailScroll, into: &screen, top: top, bottom: bottom)
    }
}
