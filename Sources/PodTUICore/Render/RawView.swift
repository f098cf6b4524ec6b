import PodAPI

/// `y`: one pod's JSON as the API sent it, indented, every field (also those podtui does not
/// use), with env values and secret-looking fields masked until `e`.
enum RawView {
    static func draw(_ state: AppState, into screen: inout Screen, top: Int, bottom: Int) {
        guard let raw = state.raw else { return }
        let title = "Raw JSON of \(TextSafety.clean(raw.label)), as the API sent it" + (raw.masked ? " (secrets masked: e shows them)" : "")
        let lines: [(String, Style)]
        if raw.json != nil {
            // Made once per reply and per `e` (RawPodState), not per frame.
            lines = raw.lines.map { ($0, Style()) }
                + (raw.omitted > 0 ? [("… \(raw.omitted) more lines (the raw view keeps \(RawPodState.maxLines))", Style(color: .muted))] : [])
        } else if let error = raw.error {
            lines = [("Cannot show it: " + state.settings.redactor.redact(error), Style(color: .bad, bold: true))]
        } else {
            lines = [("Loading…", Style(color: .muted))]
        }
        ScrollText.draw(title: title, lines, scroll: state.nav.detailScroll, into: &screen, top: top, bottom: bottom)
    }
}
