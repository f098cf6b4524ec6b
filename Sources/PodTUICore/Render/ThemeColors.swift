import FoundationEssentials

/// How each colour role is drawn, for a light or a dark terminal background at each colour
/// depth. Chosen for contrast, not taste: `ContrastTests` computes the WCAG ratio of every
/// pair here against the palettes in `docs/palettes.json` (xterm, the Linux console, Tango,
/// Solarized, macOS Terminal, Windows Terminal, the xterm 256-colour cube) and fails below
/// 4.5:1 for text and 3:1 for dimmed placeholders.
///
/// The ANSI colours of 8- and 16-colour terminals differ so much between palettes that almost
/// none of them is readable on every dark or every light background (Solarized's bright
/// colours are greys, Tango's yellow on white is 1.7:1), so there emphasis is the default
/// colour with bold, underline or reverse video; the status symbols carry the meaning. The
/// 256-colour cube is the same everywhere, so 256-colour terminals get real colours. Text is
/// never drawn in white, bright white, black or bright black on the default background, and
/// the header bar and the selection are reverse video of the default colours.
public enum ThemeColors {
    /// The terminal's background, as far as podtui can tell.
    public enum Background: String, Sendable, Hashable, CaseIterable {
        case dark, light
    }

    /// How many colours the terminal has.
    public enum Depth: String, Sendable, Hashable, CaseIterable {
        case eight, sixteen, extended
    }

    /// A terminal colour: the terminal's own default, or a palette index (0-255).
    public enum Color: Sendable, Hashable {
        case `default`
        case index(Int)
    }

    /// What one role looks like.
    public struct Look: Sendable, Hashable {
        public var fg: Color = .default
        public var bg: Color = .default
        public var bold = false
        public var underline = false
        public var reverse = false
        /// Dimmed (the terminal's faint attribute), for placeholders and hints.
        public var dim = false

        public init(fg: Color = .default, bg: Color = .default, bold: Bool = false, underline: Bool = false,
                    reverse: Bool = false, dim: Bool = false) {
            self.fg = fg; self.bg = bg; self.bold = bold; self.underline = underline; self.reverse = reverse; self.dim = dim
        }
    }

    /// The look of `role` on `background` at `depth`; `highContrast` makes everything bold
    /// and nothing dim.
    public static func look(_ role: ColorRole, on background: Background, depth: Depth, highContrast: Bool = false) -> Look {
        var look = base(role, on: background, depth: depth)
        if highContrast {
            look.dim = false
            if role != .normal { look.bold = true }
        }
        return look
    }

    private static func base(_ role: ColorRole, on background: Background, depth: Depth) -> Look {
        switch role {
        case .normal: return Look()
        case .headerBar: return Look(bold: true, reverse: true)
        case .selection: return Look(reverse: true)
        case .muted:
            // Placeholders: a mid grey in 256 colours (3:1 or better), else the default colour dimmed.
            if depth == .extended { return Look(fg: .index(background == .dark ? 246 : 242)) }
            return Look(dim: true)
        default:
            break
        }
        if depth == .extended, let index = cube[background]?[role] { return Look(fg: .index(index)) }
        // 8 and 16 colours: bright cyan is the one ANSI colour readable on every dark palette.
        if depth == .sixteen, background == .dark, role == .accent { return Look(fg: .index(14)) }
        switch role {
        case .accent: return Look(bold: true)
        case .good: return Look()
        case .busy: return Look(bold: true)
        case .paused: return Look()
        case .bad: return Look(bold: true, underline: true)
        case .warn: return Look(underline: true)
        default: return Look()
        }
    }

    /// 256-colour indices per background, from the xterm cube (the same on every terminal).
    static let cube: [Background: [ColorRole: Int]] = [
        .dark: [.accent: 39, .good: 41, .busy: 178, .paused: 111, .bad: 210, .warn: 177],
        .light: [.accent: 25, .good: 22, .busy: 94, .paused: 61, .bad: 124, .warn: 127],
    ]

    /// The background a reply to the OSC 11 query (`rgb:RRRR/GGGG/BBBB`, 1-4 hex digits a
    /// channel, BEL or ST terminated) names: light when its relative luminance is above
    /// the middle grey's. Nil for anything else.
    public static func background(fromOSC11Reply reply: String) -> Background? {
        guard let rgb = reply.firstRange(of: "rgb:") else { return nil }
        let body = reply[rgb.upperBound...].prefix { $0.isHexDigit || $0 == "/" }
        let parts = body.split(separator: "/")
        guard parts.count == 3 else { return nil }
        var channels: [Double] = []
        for part in parts {
            guard (1...4).contains(part.count), let value = Int(part, radix: 16) else { return nil }
            let max = Double((1 << (4 * part.count)) - 1)
            channels.append(Double(value) / max)
        }
        return Contrast.luminance(channels[0], channels[1], channels[2]) > Contrast.luminance(0.5, 0.5, 0.5) ? .light : .dark
    }

    /// The background `COLORFGBG` (rxvt, Konsole, some others: `"15;0"`, `"0;default;15"`)
    /// names: its last field is the background colour index. Nil when it says nothing.
    public static func background(fromCOLORFGBG value: String) -> Background? {
        guard let last = value.split(separator: ";").last, let index = Int(last) else { return nil }
        switch index {
        case 0...6, 8: return .dark
        case 7, 9...15: return .light
        default: return nil
        }
    }
}
