import FoundationEssentials

extension Reducer {
    /// Clicks select rows (a double click opens the detail pane), a click on a column title
    /// sorts by it (again: reverses), the wheel moves the selection or scrolls.
    static func reduceMouse(_ state: inout AppState, _ event: MouseEvent) -> [Effect] {
        // The footer row: a click on an item presses its key (a dimmed one too: the key then
        // says why it cannot run). Not while a box is open, which may cover the footer: a
        // click must never confirm anything.
        if event.kind == .click, event.row == state.nav.screenSize.height - 1, state.nav.overlay == nil {
            let placed = FooterLayout.place(KeyBindings.footerItems(state), width: state.nav.screenSize.width)
            if let hit = placed.first(where: { $0.columns.contains(event.col) }), let key = hit.item.press {
                return reduceKey(&state, key)
            }
            return []
        }
        guard state.nav.overlay == nil, state.form == nil, state.nav.input == nil else { return [] }
        switch event.kind {
        case .wheelUp, .wheelDown:
            let command: Command = event.kind == .wheelUp ? .moveUp : .moveDown
            if state.nav.view != .pods {
                state.nav.detailScroll = state.nav.detailScroll.moved(by: event.kind == .wheelUp ? -3 : 3)
            } else {
                for _ in 0..<3 { _ = perform(&state, command) }
            }
            return []
        case .click, .doubleClick:
            guard state.nav.view == .pods, state.nav.focus == .list else { return [] }
            let headerRow = 1
            if event.row == headerRow {
                if let column = ListLayout.column(atX: event.col, state: state) { sortBy(&state, column, ascending: nil) }
                return []
            }
            let index = state.nav.scrollTop + event.row - headerRow - 1
            guard event.row > headerRow, index >= 0, index < state.fleet.pods.count,
                  event.row - headerRow - 1 < state.nav.pageSize else { return [] }
            state.nav.selectedID = state.fleet.pods[index].id
            clampScroll(&state)
            if event.kind == .doubleClick { return perform(&state, .openDetail) }
            return []
        }
    }
}
