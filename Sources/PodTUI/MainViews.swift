import Foundation
import PodAPI

/// `:gpus`: every GPU type with VRAM, price where known, and each region's availability.
enum GPUsView {
    static func lines(_ state: AppState) -> [(String, Style)] {
        switch state.catalog.gpuTypes {
        case .notLoaded, .loading: return [("Loading GPU types…", Style(color: .muted))]
        case .failed(let why): return [("GPU types unavailable (\(why)). :gpus tries again.", Style(color: .bad, bold: true))]
        case .loaded(let types):
            var out: [(String, Style)] = []
            let sorted = types.sorted { ($0.availableRegions.isEmpty ? 1 : 0, $0.displayName) < ($1.availableRegions.isEmpty ? 1 : 0, $1.displayName) }
            for type in sorted {
                let vram = type.vramGB.map { "\($0) GB" } ?? "?"
                let head = DisplayWidth.pad(TextSafety.clean(type.displayName), to: 16) + " " + DisplayWidth.pad(vram, to: 7) + " "
                    + DisplayWidth.pad(TextSafety.clean(type.gpuType), to: 26)
                out.append((head, type.availableRegions.isEmpty ? Style(color: .muted, dim: true) : Style(bold: true)))
                for region in type.regions {
                    let name = region.regionName.map { " (\(TextSafety.clean($0)))" } ?? ""
                    out.append(("    " + (region.available ? "● available  " : "○ sold out   ") + TextSafety.clean(region.region) + name,
                                Style(color: region.available ? .good : .muted)))
                }
            }
            return out.isEmpty ? [("The API lists no GPU types.", Style(color: .muted))] : out
        }
    }

    static func draw(_ state: AppState, into screen: inout Screen, top: Int, bottom: Int) {
        ScrollText.draw(title: "GPU types · regions · availability right now", lines(state), scroll: state.detailScroll,
                        into: &screen, top: top, bottom: bottom)
    }
}

/// `:events`: status changes seen and action results, oldest first, newest at the bottom.
enum EventsView {
    static func draw(_ state: AppState, into screen: inout Screen, top: Int, bottom: Int) {
        let lines: [(String, Style)] = state.events.isEmpty
            ? [("Nothing yet: status changes and action results appear here.", Style(color: .muted))]
            : state.events.map { event in
                let style: Style = event.kind == .bad ? Style(color: .bad, bold: true) : event.kind == .good ? Style(color: .good) : .plain
                return (Format.time(event.at) + "  " + event.text, style)
            }
        ScrollText.draw(title: "Events (\(state.events.count))", lines, scroll: state.detailScroll, into: &screen, top: top, bottom: bottom)
    }
}

/// A titled, scrollable block of lines (clamped at both ends).
enum ScrollText {
    static func draw(title: String, _ lines: [(String, Style)], scroll: Int, into screen: inout Screen, top: Int, bottom: Int) {
        let w = screen.size.width
        screen.put(" " + title, row: top, col: 0, style: Style(color: .accent, bold: true), maxWidth: w)
        let rows = max(0, bottom - top - 1)
        let first = max(0, min(scroll, lines.count - rows))
        for (i, line) in lines.dropFirst(first).prefix(rows).enumerated() {
            screen.put(" " + line.0, row: top + 1 + i, col: 0, style: line.1, maxWidth: w)
        }
        if first > 0 { screen.put("↑", row: top + 1, col: w - 1, style: Style(color: .accent, bold: true)) }
        if first + rows < lines.count { screen.put("↓", row: bottom - 1, col: w - 1, style: Style(color: .accent, bold: true)) }
    }
}

/// The `/` or `:` line being typed, with the cursor and, for `:`, what Tab can complete.
enum InputView {
    static func draw(_ state: AppState, _ input: InputLine, into screen: inout Screen, row: Int) {
        let w = screen.size.width
        let prompt = input.kind == .filter ? "/" : ":"
        var x = screen.put(prompt, row: row, col: 0, style: Style(color: .accent, bold: true))
        let view = input.editor.visible(width: max(2, w - x - 1))
        x = screen.put(TextSafety.clean(view.text), row: row, col: x, style: Style(bold: true))
        screen.restyle(row: row, col: 1 + view.cursorColumn, width: 1) { $0.reverse = true }
        var hint: String
        if input.kind == .filter {
            hint = "\(state.pods.count) of \(state.allPods.count)"
        } else {
            let first = input.editor.text.split(separator: " ").first.map { String($0).lowercased() } ?? ""
            let matches = InputReducer.commands.filter { first.isEmpty || $0.name.hasPrefix(first) || first.hasPrefix($0.name) }
            hint = matches.count == 1 ? matches[0].usage : matches.map(\.name).joined(separator: " ")
        }
        hint = "   " + hint
        if x + 2 < w { screen.put(hint, row: row, col: x + 1, style: Style(color: .muted), maxWidth: w - x - 1) }
    }
}
