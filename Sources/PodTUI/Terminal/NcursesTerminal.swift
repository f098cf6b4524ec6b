import PodTUICore
import CNcurses
import FoundationEssentials
import Libc
import TermGuard

/// The only file that talks to curses. It draws `Screen`s with `erase()` + runs of cells +
/// `refresh()` (ncurses then sends only what changed), and turns `get_wch` input into `Key`s.
/// Every call happens on the thread that runs the UI loop.
final class NcursesTerminal {
    enum ColorMode { case none, eight, sixteen, extended }

    private let screenPointer: OpaquePointer
    private let colorMode: ColorMode
    private var isShutDown = false
    private var pairs: [ColorRole: Int16] = [:]
    /// Each role's look in the current theme (attributes; colours are in `pairs`).
    private var looks: [ColorRole: ThemeColors.Look] = [:]
    /// The background the colours are chosen for; a late answer to the query changes it.
    private(set) var background: ThemeColors.Background
    /// The frame curses holds now; nil after a clear.
    private var lastFrame: Screen?

    /// Starts curses on the process's terminal.
    /// - Throws: `TUIError.noTerminal` when stdin/stdout is not a usable terminal.
    private let highContrast: Bool
    /// The descriptor keys are read from (a non-blocking one of the terminal, or stdin).
    private let inputFD: Int32

    init(noColor: Bool, mouse: Bool = false, highContrast: Bool = false, background: ThemeColors.Background = .dark) throws {
        self.highContrast = highContrast
        self.background = background
        setlocale(LC_ALL, "")
        let termName = Self.termName
        tg_begin()
        // Input comes through a second, non-blocking descriptor of the terminal: ncurses reads
        // the rest of a mouse report with plain read() calls, and a report cut short (a
        // dropped packet, hostile input) would otherwise block the UI loop until the next
        // key and swallow it. Its own file description, so stdout stays blocking.
        var inputFD = open("/dev/tty", O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        var term = inputFD >= 0 ? cn_newterm_input(inputFD) : nil
        if term == nil {   // cn_newterm_input closed the descriptor
            inputFD = STDIN_FILENO
            term = cn_newterm_stdio()
        }
        self.inputFD = inputFD
        guard let term else { throw TUIError.noTerminal("the terminal type \(termName) is not known to ncurses") }
        screenPointer = term
        _ = set_term(term)
        tg_arm_crash()
        _ = raw()
        _ = noecho()
        _ = nonl()
        _ = keypad(cn_stdscr(), true)
        _ = set_escdelay(25)
        _ = curs_set(0)
        timeout(0)
        if !noColor && has_colors() {
            _ = start_color()
            _ = use_default_colors()
            let colors = cn_colors()
            colorMode = colors >= 256 ? .extended : colors >= 16 ? .sixteen : .eight
        } else {
            colorMode = .none
        }
        setUpPairs()
        if mouse { _ = cn_mouse(1) }
        // Focus reports: curses is taught their sequences (so they come whole, as keys, and
        // never as typed text), then the terminal is asked for them. A terminal that does not
        // know mode 1004 ignores the request and podtui stays "focused".
        for (bytes, code) in KeyDecoder.definedSequences { _ = define_key(bytes, Int32(code)) }
        setFocusReports(true)
    }

    /// Mode 1004 on or off. Off whenever the terminal is handed back (quit, Ctrl-Z, ssh):
    /// a shell would otherwise get `^[[I` / `^[[O` typed into it on every window switch.
    /// TermGuard also turns it off on a crash and around a SIGTSTP from outside.
    private func setFocusReports(_ on: Bool) {
        tg_focus_reports(on ? 1 : 0)
    }

    deinit { shutdown() }

    private static var termName: String { getenv("TERM").map { String(cString: $0) } ?? "(unset)" }

    /// Refuses a terminal curses cannot draw on, before anything is written to it (the
    /// background query included): one that cannot move the cursor (TERM=dumb, a terminfo
    /// entry without `cup`) would get a screen of garbage, an unknown one nothing at all.
    /// - Throws: `TUIError.noTerminal` saying which.
    static func refuseUnusable() throws {
        switch tg_term_addressable() {
        case 0: throw TUIError.noTerminal("the terminal type \(termName) cannot move the cursor")
        case -1: throw TUIError.noTerminal("the terminal type \(termName) is not known to ncurses")
        default: break
        }
    }

    /// Leaves curses: the terminal is as it was before start.
    func shutdown() {
        guard !isShutDown else { return }
        isShutDown = true
        setFocusReports(false)
        _ = cn_mouse(0)
        _ = curs_set(1)
        _ = endwin()
        delscreen(screenPointer)
    }

    /// Suspends for Ctrl-Z: restores the terminal, stops the process, and redraws on `fg`.
    func suspend() {
        setFocusReports(false)
        _ = endwin()
        tg_stop_self()   // returns after SIGCONT (fg)
        setFocusReports(true)
        _ = refresh()
        lastFrame = nil
        _ = clear()
    }

    /// Hands the real terminal to a program (ssh) and takes it back when it exits: curses
    /// is left as on quit, the child gets a cooked terminal, then the screen is redrawn
    /// in full. The child's environment has no YOTTA_* variables (the API key stays here).
    func runExternal(_ arguments: [String], environment: [String: String] = [:]) -> Result<Int32, ExternalFailure> {
        _ = def_prog_mode()
        setFocusReports(false)
        _ = endwin()
        defer {
            _ = reset_prog_mode()
            setFocusReports(true)
            lastFrame = nil
            _ = clear()
            _ = refresh()
        }
        return ExternalProcess.run(arguments, environment: environment)
    }

    /// Writes bytes straight to the terminal, outside curses (bell, OSC sequences). Only
    /// between frames, so they never land inside a curses update.
    func writeRaw(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBufferPointer { write(STDOUT_FILENO, $0.baseAddress, $0.count) }
            if n <= 0 { if errno == EINTR { continue }; return }
            offset += n
        }
    }

    var size: Size { Size(width: Int(getmaxx(cn_stdscr())), height: Int(getmaxy(cn_stdscr()))) }

    /// After a resize: the next refresh repaints everything.
    func invalidate() {
        lastFrame = nil
        _ = clear()
    }

    /// Puts bytes read before curses started (typed during the background query) back into
    /// curses' input, so no key is lost.
    func pushBack(_ bytes: [UInt8]) {
        for byte in bytes.reversed() { _ = ungetch(Int32(byte)) }
    }

    /// Uses the colours for another background (the terminal answered the query late).
    func retheme(_ background: ThemeColors.Background) {
        guard background != self.background else { return }
        self.background = background
        setUpPairs()
        invalidate()
    }

    /// One colour pair per role, from `Theme` (the contrast-tested table).
    private func setUpPairs() {
        guard colorMode != .none else { return }
        let depth: ThemeColors.Depth = colorMode == .extended ? .extended : colorMode == .sixteen ? .sixteen : .eight
        func curses(_ color: ThemeColors.Color) -> Int16 {
            if case .index(let i) = color { return Int16(i) }
            return -1
        }
        for (index, role) in ColorRole.allCases.enumerated() {
            let look = ThemeColors.look(role, on: background, depth: depth, highContrast: highContrast)
            looks[role] = look
            let pair = Int16(index + 1)
            _ = init_pair(pair, curses(look.fg), curses(look.bg))
            pairs[role] = pair
        }
    }

    private func attributes(_ style: Style) -> (attr_t, Int16) {
        var attrs = cn_a_normal()
        let look = looks[style.color] ?? ThemeColors.Look()
        if style.bold || look.bold { attrs |= cn_a_bold() }
        if style.reverse || look.reverse { attrs |= cn_a_reverse() }
        if style.underline || look.underline { attrs |= cn_a_underline() }
        if ((style.dim || look.dim) && !highContrast) || (colorMode == .none && style.color == .muted) { attrs |= cn_a_dim() }
        return (attrs, pairs[style.color] ?? 0)
    }

    /// Draws a whole screen. Cells of one style are written as one run.
    func draw(_ screen: Screen) {
        let size = screen.size
        let limitRows = min(size.height, Int(getmaxy(cn_stdscr())))
        let limitCols = min(size.width, Int(getmaxx(cn_stdscr())))
        // Only rows that changed since the last frame are handed to curses (it then sends
        // only the changed cells of those); after a resize or a clear, everything.
        let rows = screen.changedRows(from: lastFrame)
        if lastFrame == nil || lastFrame?.size != size { _ = erase() }
        lastFrame = screen
        guard !rows.isEmpty else { return }
        for row in rows where row < limitRows {
            var col = 0
            while col < limitCols {
                let style = screen[row, col].style
                var run = ""
                let start = col
                while col < limitCols, screen[row, col].style == style {
                    run += screen[row, col].text   // "" for the right half of a wide character
                    col += 1
                }
                let (attrs, pair) = attributes(style)
                // The bottom-right cell returns ERR though it is drawn; nothing to do about it.
                _ = run.withCString { cn_put(Int32(row), Int32(start), $0, Int32(strlen($0)), attrs, pair) }
            }
        }
        _ = attr_set(cn_a_normal(), 0, nil)
        _ = refresh()
        writeLinks(screen, rows: Set(rows))
    }

    /// OSC 8 hyperlinks over text curses has just drawn: the same characters again, written
    /// between the link's open and close sequences (underlined, as links are), with the cursor
    /// saved and restored around them so curses' idea of the screen stays right.
    private func writeLinks(_ screen: Screen, rows: Set<Int>) {
        var bytes: [UInt8] = []
        for link in screen.links where rows.contains(link.row) {
            var text = ""
            for col in link.col..<(link.col + link.width) { text += screen[link.row, col].text }
            bytes += Array("\u{1B}7\u{1B}[\(link.row + 1);\(link.col + 1)H\u{1B}]8;;\(link.url)\u{1B}\\\u{1B}[4m".utf8)
            bytes += Array(text.utf8)
            bytes += Array("\u{1B}[24m\u{1B}]8;;\u{1B}\\\u{1B}8".utf8)
        }
        if !bytes.isEmpty { writeRaw(bytes) }
    }

    /// Waits until input is ready, `wakeFD` is poked, a signal arrives, or the timeout ends.
    func wait(wakeFD: Int32, timeoutMs: Int32) {
        var fds = [pollfd(fd: inputFD, events: Int16(POLLIN), revents: 0),
                   pollfd(fd: wakeFD, events: Int16(POLLIN), revents: 0)]
        _ = poll(&fds, nfds_t(fds.count), timeoutMs)
    }

    /// Every key waiting in the input queue (non-blocking).
    func readKeys() -> [Key] {
        var keys: [Key] = []
        var wch: wint_t = 0
        while keys.count < 256 {
            let rc = get_wch(&wch)
            if rc == ERR { break }
            keys.append(rc == KEY_CODE_YES ? Self.functionKey(Int32(wch)) : Self.characterKey(UInt32(wch)))
        }
        return keys
    }

    static func functionKey(_ code: Int32) -> Key {
        switch code {
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_PPAGE: return .pageUp
        case KEY_NPAGE: return .pageDown
        case KEY_HOME: return .home
        case KEY_END: return .end
        case KEY_ENTER: return .enter
        case KEY_BACKSPACE: return .backspace
        case KEY_DC: return .delete
        case KEY_IC: return .insert
        case KEY_BTAB: return .backTab
        case KEY_RESIZE: return .resize
        case KEY_MOUSE:
            var y: Int32 = 0, x: Int32 = 0
            switch cn_getmouse(&y, &x) {
            case 1: return .mouse(MouseEvent(.click, row: Int(y), col: Int(x)))
            case 2: return .mouse(MouseEvent(.doubleClick, row: Int(y), col: Int(x)))
            case 3: return .mouse(MouseEvent(.wheelUp, row: Int(y), col: Int(x)))
            case 4: return .mouse(MouseEvent(.wheelDown, row: Int(y), col: Int(x)))
            default: return .unknown(Int(code))
            }
        case (KEY_F0 + 1)...(KEY_F0 + 24): return .function(Int(code - KEY_F0))
        default: return KeyDecoder.key(forDefinedCode: Int(code)) ?? .unknown(Int(code))
        }
    }

    static func characterKey(_ value: UInt32) -> Key {
        KeyDecoder.key(forScalar: value)
    }
}
