import FoundationEssentials
import PodAPI

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
            screen.put(" " + state.settings.redactor.redact(message.text), row: row, col: 0, style: style, maxWidth: w)
        } else if state.fleet.skippedCount > 0 {
            screen.put(" \(state.fleet.skippedCount) pod(s) in the last reply could not be read (see log)", row: row, col: 0, style: Style(color: .warn), maxWidth: w)
        }
    }
}
