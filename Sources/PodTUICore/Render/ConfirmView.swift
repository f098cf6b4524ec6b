import PodAPI

/// The delete confirmation: names the pod; Cancel is focused, so Enter alone cancels.
enum ConfirmView {
    static func draw(_ state: AppState, podID: Int64, name: String, deleteFocused: Bool, into screen: inout Screen) {
        draw(title: "Delete pod?", name: name, detail: "id \(podID)", warning: "This cannot be undone.", deleteFocused: deleteFocused, into: &screen)
    }

    /// The same box for a volume or a registry credential.
    static func draw(_ state: AppState, target: StorageTarget, name: String, deleteFocused: Bool, into screen: inout Screen) {
        switch target {
        case .volume(let id):
            let detail = state.catalog.volume(id).map { VolumeText.summary($0) + " · id \(id)" } ?? "id \(id)"
            draw(title: "Delete volume?", name: name, detail: detail, warning: "Its data is lost. This cannot be undone.",
                 deleteFocused: deleteFocused, into: &screen)
        case .credential(let id):
            draw(title: "Delete registry credential?", name: name, detail: "id \(id)",
                 warning: "Pods that pull with it can no longer start. This cannot be undone.", deleteFocused: deleteFocused, into: &screen)
        }
    }

    static func draw(title: String, name: String, detail: String, warning: String, deleteFocused: Bool, into screen: inout Screen) {
        let inner = Box.draw(title: title, width: 60, height: 8, into: &screen, style: Style(color: .bad))
        var x = screen.put("Delete ", row: inner.row, col: inner.col, maxWidth: inner.width)
        x = screen.put(TextSafety.clean(name), row: inner.row, col: x, style: Style(bold: true), maxWidth: max(0, inner.col + inner.width - x))
        screen.put(TextSafety.clean(detail), row: inner.row + 1, col: inner.col, style: Style(color: .muted), maxWidth: inner.width)
        screen.put(warning, row: inner.row + 2, col: inner.col, style: Style(color: .bad), maxWidth: inner.width)
        let cancel = "[ Cancel ]", delete = "[ Delete ]"
        let row = inner.row + inner.height - 1
        let cx = screen.put(cancel, row: row, col: inner.col, style: Style(color: .accent, bold: !deleteFocused, reverse: !deleteFocused), maxWidth: inner.width)
        screen.put(delete, row: row, col: cx + 2, style: Style(color: .bad, bold: deleteFocused, reverse: deleteFocused),
                   maxWidth: max(0, inner.col + inner.width - cx - 2))
    }
}
