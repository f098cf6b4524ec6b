import Foundation
import PodAPI

/// The pod list: a column header, one row per pod, and a short preview of the selected pod
/// when there is room. Columns drop in priority order as the terminal narrows.
enum ListView {
    struct Column: Sendable {
        let title: String
        let width: Int
        let alignRight: Bool
        /// Dropped first when the terminal is narrow (higher drops earlier).
        let dropOrder: Int
        let value: @Sendable (Pod, AppState) -> String
    }

    static let nameMin = 18
    static let columns: [Column] = [
        Column(title: "STATUS", width: 13, alignRight: false, dropOrder: 0) { pod, state in
            state.pending[pod.id].map { "… \($0.rawValue.uppercased())" } ?? StatusStyle.label(pod.status)
        },
        Column(title: "GPU", width: 13, alignRight: false, dropOrder: 4) { pod, _ in pod.gpuName },
        Column(title: "×", width: 2, alignRight: true, dropOrder: 3) { pod, _ in pod.gpuCount.map(String.init) ?? "-" },
        Column(title: "REGION", width: 14, alignRight: false, dropOrder: 5) { pod, _ in pod.region ?? "-" },
        Column(title: "AGE", width: 6, alignRight: true, dropOrder: 1) { pod, state in Format.age(of: pod, now: state.now) },
        Column(title: "$/H", width: 7, alignRight: true, dropOrder: 2) { pod, _ in Format.price(pod.pricePerHour) },
        Column(title: "COST", width: 8, alignRight: true, dropOrder: 6) { pod, state in
            Cost.sinceStart(pod, now: state.now).map { "$" + Format.price($0) } ?? "-"
        },
        Column(title: "ID", width: 18, alignRight: false, dropOrder: 7) { pod, _ in String(pod.id) },
    ]

    /// Titles of every column, NAME first (for the `columns` setting).
    public static let allTitles = ["NAME"] + columns.map(\.title)

    /// The columns the settings ask for, in their order; the default set when none.
    static func configured(_ state: AppState) -> [Column] {
        guard !state.columns.isEmpty else { return columns }
        return state.columns.compactMap { title in columns.first { $0.title == title } }
    }

    /// The sort column under screen column `x` of the title row.
    static func column(atX x: Int, state: AppState) -> SortColumn? {
        let layout = layout(state, height: state.screenSize.height - 3, width: state.screenSize.width)
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
        chosen = chosen.map { $0.title == "ID" ? Column(title: "ID", width: idCut, alignRight: false, dropOrder: $0.dropOrder, value: { pod, _ in
            let full = String(pod.id)
            return full.count <= idCut ? full : "…" + full.suffix(idCut - 1)
        }) : $0 }
        while total(chosen) > width, let drop = chosen.max(by: { $0.dropOrder < $1.dropOrder }), chosen.count > 1 {
            chosen.removeAll { $0.title == drop.title }
        }
        let used = chosen.reduce(0) { $0 + $1.width + 1 }
        let nameWidth = max(4, width - 1 - used)
        let preview = height >= 16 && state.selectedPod != nil
        let rows = max(1, height - 1 - (preview ? 4 : 0))
        return Layout(columns: chosen, nameWidth: nameWidth, idWidth: idWidth, rows: rows, preview: preview)
    }

    static func draw(_ state: AppState, into screen: inout Screen, top: Int, bottom: Int) {
        let w = screen.size.width
        let layout = layout(state, height: bottom - top, width: w)
        // Column header.
        let headStyle = Style(color: .muted, bold: true)
        let arrow = state.sort.ascending ? "▲" : "▼"
        func title(_ t: String) -> String { state.sort.column.title == t ? t + arrow : t }
        var x = screen.put(" " + DisplayWidth.pad(title("NAME"), to: layout.nameWidth), row: top, col: 0, style: headStyle)
        for column in layout.columns {
            x = screen.put(" " + DisplayWidth.pad(title(column.title), to: column.width, alignRight: column.alignRight), row: top, col: x, style: headStyle)
        }
        if state.pods.isEmpty {
            let text: String
            if state.connection.lastSuccess == nil {
                text = state.connection.lastError.map { "Cannot load pods: \($0.message)" } ?? "Loading pods…"
            } else if !state.filter.isEmpty {
                text = "No pods match \"\(TextSafety.clean(state.filter.text))\" (\(state.allPods.count) in all) · Esc clears the filter"
            } else {
                text = "No pods yet. Press n to create one."
            }
            screen.put(" " + text, row: top + 2, col: 0, style: Style(color: .muted), maxWidth: w)
            return
        }
        let selected = state.selectedIndex
        let end = min(state.pods.count, state.scrollTop + layout.rows)
        for (offset, index) in (state.scrollTop..<max(state.scrollTop, end)).enumerated() {
            let pod = state.pods[index]
            let row = top + 1 + offset
            let isSelected = index == selected
            let base = isSelected ? Style(color: .selection, reverse: true) : (state.isStale ? Style(color: .muted, dim: true) : .plain)
            screen.fill(row: row, col: 0, width: w, style: base)
            let marked = state.marks.contains(pod.id)
            var x = screen.put(marked ? "✓" : isSelected ? "▸" : " ", row: row, col: 0,
                               style: marked ? Style(color: .accent, bold: true, reverse: isSelected) : base)
            if pod.isUnnamed {
                // No name from the API: say so, dimmed, and give the id so the row is still
                // a pod a person can tell apart and act on.
                var dim = base
                if !isSelected { dim.color = .muted; dim.dim = true }
                x = screen.put(DisplayWidth.pad(TextSafety.clean(Self.unnamedLabel(pod)), to: layout.nameWidth), row: row, col: x, style: dim)
            } else {
                x = screen.put(DisplayWidth.pad(TextSafety.clean(pod.nameOrEmpty), to: layout.nameWidth), row: row, col: x, style: base)
            }
            for column in layout.columns {
                x = screen.put(" ", row: row, col: x, style: base)
                var style = base
                if column.title == "STATUS" && !isSelected && !state.isStale {
                    style = state.pending[pod.id] != nil ? Style(color: .busy, bold: true) : Style(color: StatusStyle.color(pod.status), bold: pod.status == .failed)
                    // Changed in the last refresh: stand out for a moment, as htop does.
                    if let at = state.changedAt[pod.id], state.now.timeIntervalSince(at) < Reducer.highlightSeconds { style.reverse = true }
                }
                x = screen.put(DisplayWidth.pad(TextSafety.clean(column.value(pod, state)), to: column.width, alignRight: column.alignRight),
                               row: row, col: x, style: style)
            }
        }
        // Filter, marks and position ("4/12") go after the column titles, only where they do
        // not cover one; the position first, as it matters most when scrolling.
        var parts: [String] = []
        if !state.filter.isEmpty { parts.append("/" + TextSafety.clean(state.filter.text) + " (\(state.pods.count) of \(state.allPods.count))") }
        if !state.marks.isEmpty { parts.append("\(state.marks.count) marked") }
        if state.pods.count > layout.rows { parts.append("\(min(state.pods.count, (selected ?? 0) + 1))/\(state.pods.count)") }
        while !parts.isEmpty {
            let info = " " + parts.joined(separator: " · ") + " "
            if x + DisplayWidth.of(info) <= w {
                screen.put(info, row: top, col: w - DisplayWidth.of(info), style: headStyle)
                break
            }
            parts.removeFirst()
        }
        if layout.preview, let pod = state.selectedPod {
            drawPreview(pod, state: state, into: &screen, row: bottom - 4)
        }
    }

    /// The NAME cell of a pod without a name: `(unnamed) 3627…2272`.
    static func unnamedLabel(_ pod: Pod) -> String { "(unnamed) " + PodID.short(pod.id) }

    /// Two lines about the selected pod between rules.
    static func drawPreview(_ pod: Pod, state: AppState, into screen: inout Screen, row: Int) {
        let w = screen.size.width
        let rule = String(repeating: "─", count: w)
        screen.put(rule, row: row, col: 0, style: Style(color: .muted))
        let since = state.history[pod.id]?.last(where: { $0.status == pod.status })
        let statusFor = since.map { " for " + Format.age(state.now.timeIntervalSince($0.at)) } ?? ""
        var x = screen.put(" " + TextSafety.clean(pod.isUnnamed ? "(unnamed)" : pod.nameOrEmpty), row: row + 1, col: 0,
                           style: pod.isUnnamed ? Style(color: .muted, dim: true) : Style(bold: true), maxWidth: w)
        x = screen.put(" (\(pod.id))  ", row: row + 1, col: x, style: Style(color: .muted), maxWidth: w - x)
        x = screen.put(StatusStyle.label(pod.status) + statusFor, row: row + 1, col: x, style: Style(color: StatusStyle.color(pod.status)), maxWidth: w - x)
        if let ssh = pod.sshCmd { screen.put("  · " + ssh, row: row + 1, col: x, maxWidth: w - x) }
        let ports = (pod.expose ?? []).map { p in
            "\(p.port)/\(p.protocol.uppercased())" + (p.proxyPort.map { "→\($0)" } ?? "") + (p.healthy == true ? " ✓" : p.healthy == false ? " ✗" : "")
        }
        let second = " image \(pod.image ?? "-")   ports \(ports.isEmpty ? "-" : ports.joined(separator: "  "))   env \((pod.envVars ?? []).count) vars"
        screen.put(second, row: row + 2, col: 0, style: .plain, maxWidth: w)
        screen.put(rule, row: row + 3, col: 0, style: Style(color: .muted))
    }
}
