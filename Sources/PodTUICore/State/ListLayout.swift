/// Which list columns there are, which fit the terminal, and where each one is: shared by
/// the list view (drawing) and the reducer (a click on a title sorts by that column), so
/// neither reaches into the other.
enum ListLayout {
    struct Column: Sendable, Equatable {
        let title: String
        let width: Int
        let alignRight: Bool
        /// Dropped first when the terminal is narrow (higher drops earlier).
        let dropOrder: Int
    }

    static let nameMin = 18
    /// The name width the id shortens itself for.
    static let nameComfort = 24
    static let columns: [Column] = [
        Column(title: "STATUS", width: 13, alignRight: false, dropOrder: 0),
        Column(title: "GPU", width: 13, alignRight: false, dropOrder: 5),
        Column(title: "×", width: 2, alignRight: true, dropOrder: 4),
        Column(title: "GPU%", width: 4, alignRight: true, dropOrder: 2),
        Column(title: "VRAM", width: 8, alignRight: true, dropOrder: 6),
        Column(title: "REGION", width: 14, alignRight: false, dropOrder: 7),
        Column(title: "AGE", width: 6, alignRight: true, dropOrder: 1),
        Column(title: "$/H", width: 7, alignRight: true, dropOrder: 3),
        Column(title: "COST", width: 8, alignRight: true, dropOrder: 8),
        Column(title: "ID", width: 18, alignRight: false, dropOrder: 9),
        // From the metrics API only, when the `columns` setting names them.
        Column(title: "CPU%", width: 4, alignRight: true, dropOrder: 10),
        Column(title: "MEM", width: 8, alignRight: true, dropOrder: 11),
        Column(title: "DISK", width: 4, alignRight: true, dropOrder: 12),
    ]

    /// The columns only GPU figures fill: shown by default while probes or API metrics are on.
    static let probeTitles: Set<String> = ["GPU%", "VRAM"]

    /// The columns shown only when the `columns` setting asks for them.
    static let optionalTitles: Set<String> = ["CPU%", "MEM", "DISK"]

    /// Titles of every column, NAME first (for the `columns` setting).
    static let allTitles = ["NAME"] + columns.map(\.title)

    /// The columns the settings ask for, in their order; the default set when none (with
    /// GPU% and VRAM while probes or API metrics are on).
    static func configured(_ state: AppState) -> [Column] {
        guard !state.settings.columns.isEmpty else {
            let figures = state.settings.probe.enabled || state.metricsOn
            return columns.filter { !optionalTitles.contains($0.title) && (figures || !probeTitles.contains($0.title)) }
        }
        return state.settings.columns.compactMap { title in columns.first { $0.title == title } }
    }

    /// The sort column under screen column `x` of the title row.
    static func column(atX x: Int, state: AppState) -> SortColumn? {
        let layout = layout(state, height: state.nav.screenSize.height - 3, width: state.nav.screenSize.width)
        if x <= layout.nameWidth { return .name }
        var start = 1 + layout.nameWidth
        for column in layout.columns {
            if x >= start && x <= start + column.width { return SortColumn.allCases.first { $0.title == column.title } }
            start += column.width + 1
        }
        return nil
    }

    struct Layout {
        var columns: [Column]
        var nameWidth: Int
        /// Width of the ID column (ids are cut from the left to fit).
        var idWidth: Int
        var rows: Int
        var preview: Bool
    }

    /// Which columns fit and how many rows the list gets in `height` lines of body.
    static func layout(_ state: AppState, height: Int, width: Int) -> Layout {
        var chosen = configured(state)
        func total(_ cols: [Column]) -> Int { 1 + nameMin + cols.reduce(0) { $0 + $1.width + 1 } }
        // Shorten the id before dropping anything else.
        var idWidth = 18
        let hasID = chosen.contains { $0.title == "ID" }
        while hasID, total(chosen) - 18 + idWidth > width, idWidth > 9 { idWidth -= 1 }
        let idCut = idWidth
        chosen = chosen.map { $0.title == "ID" ? Column(title: "ID", width: idCut, alignRight: false, dropOrder: $0.dropOrder) : $0 }
        while total(chosen) > width, let drop = chosen.max(by: { $0.dropOrder < $1.dropOrder }), chosen.count > 1 {
            chosen.removeAll { $0.title == drop.title }
        }
        let used = chosen.reduce(0) { $0 + $1.width + 1 }
        var nameWidth = max(4, width - 1 - used)
        // A name with its badges (`idle 59m`, `disk 93%`, a timer) matters more than the
        // whole id (the detail pane has it): the id gives up to 6 columns to a short name.
        if hasID, nameWidth < nameComfort, let at = chosen.firstIndex(where: { $0.title == "ID" }) {
            let give = min(chosen[at].width - 12, nameComfort - nameWidth)
            if give > 0 {
                chosen[at] = Column(title: "ID", width: chosen[at].width - give, alignRight: false, dropOrder: chosen[at].dropOrder)
                nameWidth += give
            }
        }
        let finalID = chosen.first { $0.title == "ID" }?.width ?? idCut
        let preview = height >= 16 && state.selectedPod != nil
        let rows = max(1, height - 1 - (preview ? 4 : 0))
        return Layout(columns: chosen, nameWidth: nameWidth, idWidth: finalID, rows: rows, preview: preview)
    }
}
