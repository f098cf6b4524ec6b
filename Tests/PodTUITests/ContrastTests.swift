import Foundation
import Testing
import PodAPI
@testable import PodTUICore

/// The colours podtui draws, checked for contrast (WCAG 2) on the common terminal palettes
/// in `docs/palettes.json`, each on its own default background, in the theme variant for
/// that background: every text pair at least 4.5:1, dimmed placeholders at least 3:1.
@Suite("Contrast on every common palette")
struct ContrastTests {
    struct Palette: Decodable {
        var name: String
        var background: String
        var source: String
        var fg: String
        var bg: String
        var ansi: [String]
    }
    struct File: Decodable { var palettes: [Palette] }

    static let palettes: [Palette] = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/palettes.json")
        guard let data = try? Data(contentsOf: url), let file = try? JSONDecoder().decode(File.self, from: data) else { return [] }
        return file.palettes
    }()

    typealias RGB = (Double, Double, Double)

    static func rgb(_ hex: String) -> RGB {
        let v = Int(hex.dropFirst(), radix: 16) ?? 0
        return (Double((v >> 16) & 255) / 255, Double((v >> 8) & 255) / 255, Double(v & 255) / 255)
    }

    /// The xterm 256-colour cube and grey ramp (indices 16-255).
    static func cube(_ n: Int) -> RGB {
        if n >= 232 { let v = Double(8 + 10 * (n - 232)) / 255; return (v, v, v) }
        let levels = [0, 95, 135, 175, 215, 255].map { Double($0) / 255 }
        let i = n - 16
        return (levels[i / 36], levels[(i / 6) % 6], levels[i % 6])
    }

    static func resolve(_ color: ThemeColors.Color, _ palette: Palette, defaultHex: String) -> RGB {
        switch color {
        case .default: return rgb(defaultHex)
        case .index(let i) where i < 16: return rgb(palette.ansi[i])
        case .index(let i): return cube(i)
        }
    }

    static func ratio(_ a: RGB, _ b: RGB) -> Double {
        Contrast.ratio(Contrast.luminance(a.0, a.1, a.2), Contrast.luminance(b.0, b.1, b.2))
    }

    /// Problems with drawing `style` on `palette` at `depth`, or nil when it is fine.
    static func problem(_ style: Style, _ palette: Palette, _ depth: ThemeColors.Depth, highContrast: Bool) -> String? {
        let background = ThemeColors.Background(rawValue: palette.background) ?? .dark
        let look = ThemeColors.look(style.color, on: background, depth: depth, highContrast: highContrast)
        for case .index(let i) in [look.fg, look.bg] {
            if depth == .eight && i > 7 || depth == .sixteen && i > 15 { return "index \(i) at \(depth)" }
        }
        if look.bg == .default, case .index(let i) = look.fg, [0, 7, 8, 15].contains(i) {
            return "text in ANSI \(i) (black/white) on the default background"
        }
        // Both defaults, or reverse video of both: the user's own colours, not podtui's choice.
        if look.fg == .default && look.bg == .default { return nil }
        var fg = resolve(look.fg, palette, defaultHex: palette.fg), bg = resolve(look.bg, palette, defaultHex: palette.bg)
        // curses ORs A_REVERSE: the role's reverse and the style's are one.
        if look.reverse || style.reverse { swap(&fg, &bg) }
        let needed = look.dim || style.dim || style.color == .muted ? 3.0 : 4.5
        let r = ratio(fg, bg)
        return r + 0.005 >= needed ? nil : String(format: "%.2f:1, needs %.1f:1", r, needed)
    }

    @Test("the palettes are there, with their sources, light and dark")
    func palettesLoaded() {
        #expect(Self.palettes.count >= 9)
        #expect(Set(Self.palettes.map(\.background)) == ["dark", "light"])
        #expect(Self.palettes.allSatisfy { $0.ansi.count == 16 && !$0.source.isEmpty })
    }

    @Test("every role, alone and under reverse video, on every palette, depth and theme")
    func everyRole() {
        var problems: [String] = []
        for palette in Self.palettes {
            for depth in ThemeColors.Depth.allCases {
                for highContrast in [false, true] {
                    for role in ColorRole.allCases {
                        for style in [Style(color: role), Style(color: role, bold: true), Style(color: role, reverse: true)] {
                            if let p = Self.problem(style, palette, depth, highContrast: highContrast) {
                                problems.append("\(palette.name) \(depth) \(highContrast ? "high-contrast " : "")\(role)\(style.reverse ? " reversed" : ""): \(p)")
                            }
                        }
                    }
                }
            }
        }
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }

    @Test("every style a real screen draws: list, detail, form with errors, picker, help, confirmations, events")
    func everyDrawnStyle() {
        var styles = Set<Style>()
        func collect(_ state: AppState) {
            let screen = Render.render(state, size: Size(width: 120, height: 40))
            for row in 0..<screen.size.height {
                for col in 0..<screen.size.width where !screen[row, col].text.trimmingCharacters(in: .whitespaces).isEmpty {
                    styles.insert(screen[row, col].style)
                }
            }
        }
        func keys(_ state: inout AppState, _ keys: [Key]) { for k in keys { _ = Reducer.reduce(&state, .key(k, Fixtures.now)) } }
        var state = Fixtures.loaded()
        state.fleet.marks = [Fixtures.pods[1].id]
        state.fleet.changedAt[Fixtures.pods[0].id] = Fixtures.now
        collect(state)
        var detail = state; keys(&detail, [.enter]); collect(detail)
        var help = state; keys(&help, [.char("?")]); collect(help)
        var confirm = Fixtures.loaded(); keys(&confirm, [.char("d")]); collect(confirm)
        var form = Fixtures.loaded(); keys(&form, [.char("n")] + Array("x y".map(Key.char)) + [.ctrl("s")]); collect(form)
        var picker = form; keys(&picker, [.tab, .tab, .enter]); collect(picker)
        var events = Fixtures.loaded(); _ = InputReducer.run(&events, "events"); collect(events)
        var stale = Fixtures.loaded()
        _ = Reducer.reduce(&stale, .podsFailed(generation: stale.connection.generation, .http(status: 503, body: ""), Fixtures.now))
        collect(stale)
        #expect(styles.count > 8)
        var problems: [String] = []
        for palette in Self.palettes {
            for depth in ThemeColors.Depth.allCases {
                for style in styles {
                    if let p = Self.problem(style, palette, depth, highContrast: false) { problems.append("\(palette.name) \(depth) \(style): \(p)") }
                }
            }
        }
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }

    @Test("the background from an OSC 11 reply and from COLORFGBG")
    func backgroundDetection() {
        #expect(ThemeColors.background(fromOSC11Reply: "\u{1B}]11;rgb:ffff/ffff/ffff\u{07}") == .light)
        #expect(ThemeColors.background(fromOSC11Reply: "\u{1B}]11;rgb:0000/0000/0000\u{1B}\\") == .dark)
        #expect(ThemeColors.background(fromOSC11Reply: "\u{1B}]11;rgb:fd/f6/e3\u{07}") == .light)        // Solarized light
        #expect(ThemeColors.background(fromOSC11Reply: "\u{1B}]11;rgb:0000/2b2b/3636\u{07}") == .dark)  // Solarized dark
        #expect(ThemeColors.background(fromOSC11Reply: "garbage") == nil)
        #expect(ThemeColors.background(fromCOLORFGBG: "15;0") == .dark)
        #expect(ThemeColors.background(fromCOLORFGBG: "0;default;15") == .light)
        #expect(ThemeColors.background(fromCOLORFGBG: "0;7") == .light)
        #expect(ThemeColors.background(fromCOLORFGBG: "default") == nil)
    }
}
