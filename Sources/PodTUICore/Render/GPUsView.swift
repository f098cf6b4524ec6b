import FoundationEssentials
import PodAPI

/// `:gpus`: every GPU type with VRAM, price where known, and each region's availability.
enum GPUsView {
    static func lines(_ state: AppState) -> [(String, Style)] {
        switch state.catalog.gpuTypes {
        case .notLoaded, .loading: return [("Loading GPU types…", Style(color: .muted))]
        case .failed(let why): return [("GPU types unavailable (\(state.settings.redactor.redact(why))). :gpus tries again.", Style(color: .bad, bold: true))]
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
        ScrollText.draw(title: "GPU types · regions · availability right now", lines(state), scroll: state.nav.detailScroll,
                        into: &screen, top: top, bottom: bottom)
    }
}
