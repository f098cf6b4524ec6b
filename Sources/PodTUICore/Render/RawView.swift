import PodAPI

/// `y`: one pod's JSON as the API sent it, indented, every field (also those podtui does not
/// use), with env values and secret-looking fields masked until `e`.
enum RawView {
    static func draw(_ state: AppState, into screen: inout Screen, top: Int, bottom: Int) {
        guard let raw = state.raw else { return }
        let title = "Raw JSON of \(TextSafety.clean(raw.label)), as the API sent it" + (state.nav.revealEnv ? "" : " (secrets masked: e shows them)")
        let lines: [(String, Style)]
        if let json = raw.json {
            lines = json.lines(mask: !state.nav.revealEnv).map { (state.settings.redactor.redact($0), Style()) }
        } else if let error = raw.error {
            lines = [("Cannot show it: " + state.settings.redactor.redact(error), Style(color: .bad, bold: true))]
        } else {
            lines = [("Loading…", Style(color: .muted))]
        }
        ScrollText.draw(title: title, lines, scroll: state.nav.detailScroll, into: &screen, top: top, bottom: bottom)
    }
}
