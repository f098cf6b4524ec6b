import FoundationEssentials
import PodAPI

/// `:volumes` and `:credentials`: a title line, a column header and one row per item.
/// Columns after the name drop from the right as the terminal narrows; the name shrinks last.
enum StorageView {
    struct Column {
        var title: String
        var width: Int
        var alignRight = false
    }

    static func draw(_ state: AppState, into screen: inout Screen, top: Int, bottom: Int) {
        let w = screen.size.width
        let isVolumes = state.nav.view == .volumes
        let rows: [[String]]
        var columns: [Column]
        let loadState: String?
        if isVolumes {
            columns = [Column(title: "NAME", width: 4), Column(title: "TYPE", width: 6), Column(title: "REGION", width: 6),
                       Column(title: "SIZE", width: 9, alignRight: true), Column(title: "STATUS", width: 8),
                       Column(title: "MOUNTS", width: 6, alignRight: true), Column(title: "COST", width: 8, alignRight: true),
                       Column(title: "AGE", width: 6, alignRight: true), Column(title: "ID", width: 2)]
            let volumes = state.catalog.volumes.value ?? []
            rows = volumes.map { v in
                [v.name.map { $0.isEmpty ? "(unnamed)" : $0 } ?? "(unnamed)", v.storageType ?? "-", v.region ?? "-", VolumeText.size(v),
                 v.status ?? "-", v.mountCount.map(String.init) ?? "-", VolumeText.cost(v),
                 v.createdAt.map { Format.age(state.now.timeIntervalSince($0)) } ?? "-", String(v.id)]
            }
            loadState = describe(state.catalog.volumes, what: "volumes", count: volumes.count)
        } else {
            columns = [Column(title: "NAME", width: 4), Column(title: "TYPE", width: 10), Column(title: "CREATED", width: 16), Column(title: "ID", width: 2)]
            let credentials = state.catalog.credentials.value ?? []
            rows = credentials.map { c in
                [c.name.isEmpty ? "(unnamed)" : c.name, c.type ?? "-", Format.dateTime(c.createdAt, in: state.settings.timeZone), String(c.id)]
            }
            loadState = describe(state.catalog.credentials, what: "registry credentials", count: credentials.count)
        }
        let title = isVolumes ? "Volumes" : "Registry credentials"
        let busy = state.storage.inFlight.map { " · \($0.summary)…" } ?? ""
        screen.put(" \(title) (\(rows.count))\(busy)", row: top, col: 0, style: Style(color: .accent, bold: true), maxWidth: w)
        if let loadState, rows.isEmpty {
            screen.put(" " + state.settings.redactor.redact(loadState), row: top + 2, col: 0, style: Style(color: loadState.hasPrefix("Could not") ? .bad : .muted), maxWidth: w)
            return
        }
        // Widths from the content, then fit: drop columns from the right, then shrink the name.
        let cells = rows.map { $0.map(TextSafety.clean) }
        for i in columns.indices {
            columns[i].width = max(columns[i].width, DisplayWidth.of(columns[i].title), cells.map { DisplayWidth.of($0[i]) }.max() ?? 0)
        }
        columns[0].width = min(columns[0].width, 32)
        func total() -> Int { 1 + columns.map(\.width).reduce(0, +) + max(0, columns.count - 1) }
        while total() > w && columns.count > 2 { columns.removeLast() }
        if total() > w { columns[0].width = max(4, columns[0].width - (total() - w)) }
        let head = Style(color: .muted, bold: true)
        var x = 1
        for column in columns {
            x = screen.put(DisplayWidth.pad(column.title, to: column.width, alignRight: column.alignRight) + " ", row: top + 1, col: x, style: head, maxWidth: max(0, w - x))
        }
        let problems = isVolumes ? state.catalog.volumeProblems : []
        let listRows = max(1, bottom - top - 2 - (problems.isEmpty ? 0 : 1))
        let selected = state.storage.selectedIndex(in: state.nav.view, catalog: state.catalog)
        let scroll = max(0, min(state.storage.scrollTop, max(0, cells.count - listRows)))
        for (offset, index) in (scroll..<min(cells.count, scroll + listRows)).enumerated() {
            let row = top + 2 + offset
            let isSelected = index == selected
            let base = isSelected ? Style(color: .selection, reverse: true) : .plain
            screen.fill(row: row, col: 0, width: w, style: base)
            var x = screen.put(isSelected ? "▸" : " ", row: row, col: 0, style: base)
            for (i, column) in columns.enumerated() {
                var style = base
                if !isSelected, isVolumes {
                    if column.title == "STATUS" { style = Style(color: statusColor(cells[index][i])) }
                    if column.title == "MOUNTS", cells[index][i] != "0", cells[index][i] != "-" { style = Style(color: .accent, bold: true) }
                }
                let text = DisplayWidth.truncate(cells[index][i], to: column.width)
                x = screen.put(DisplayWidth.pad(text, to: column.width, alignRight: column.alignRight), row: row, col: x, style: style, maxWidth: max(0, w - x))
                x = screen.put(" ", row: row, col: x, style: base, maxWidth: max(0, w - x))
            }
        }
        if !problems.isEmpty {
            let text = "\(problems.count) item\(problems.count == 1 ? "" : "s") could not be read: " + problems.joined(separator: "; ")
            screen.put(" " + TextSafety.clean(text), row: bottom - 1, col: 0, style: Style(color: .warn), maxWidth: w)
        }
    }

    /// Loading and failure, in words; nil once loaded.
    private static func describe<T>(_ value: Loadable<[T]>, what: String, count: Int) -> String? {
        switch value {
        case .notLoaded, .loading: return "Loading \(what)…"
        case .failed(let why): return "Could not load \(what): \(why) (F5 tries again)"
        case .loaded: return count == 0 ? "No \(what) yet. Press n to create one." : nil
        }
    }

    private static func statusColor(_ status: String) -> ColorRole {
        switch status.lowercased() {
        case "active": .good
        case "creating", "resizing", "deleting": .busy
        case "error": .bad
        default: .normal
        }
    }
}
