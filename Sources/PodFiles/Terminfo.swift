import FoundationEssentials
import Libc
import PodAPI

/// A terminal type's compiled terminfo entry, found where ncurses looks for it, and the one
/// number `podtui doctor` reads from it: how many colours the terminal has. Read without
/// curses, so the check works (and explains) exactly when curses would fail to start.
public struct TerminfoEntry: Sendable, Equatable {
    /// The file the entry was read from.
    public var path: String
    /// `max_colors`; nil when the entry has none (a monochrome terminal) or it is cancelled.
    public var colors: Int?

    public init(path: String, colors: Int?) {
        self.path = path
        self.colors = colors
    }

    /// The folders ncurses searches, in its order: `$TERMINFO`, `~/.terminfo`, each of
    /// `$TERMINFO_DIRS` (an empty element is the system list), then the system list.
    public static func searchDirectories(environment: [String: String]) -> [String] {
        let system = ["/etc/terminfo", "/lib/terminfo", "/usr/share/terminfo", "/usr/lib/terminfo"]
        var dirs: [String] = []
        if let own = environment["TERMINFO"], !own.isEmpty { dirs.append(own) }
        dirs.append(HomeDirectory.path(environment: environment) + "/.terminfo")
        if let list = environment["TERMINFO_DIRS"], !list.isEmpty {
            for part in list.split(separator: ":", omittingEmptySubsequences: false) {
                if part.isEmpty { dirs += system } else { dirs.append(String(part)) }
            }
        }
        dirs += system
        var seen = Set<String>()
        return dirs.filter { seen.insert($0).inserted }
    }

    /// Why a TERM value cannot name an entry at all, or nil when it can: ncurses refuses a
    /// name with a slash (it would leave the terminfo folders) and one starting with a dot.
    public static func refusal(term: String) -> String? {
        if term.isEmpty { return "TERM is empty" }
        if term.contains("/") { return "TERM contains a slash" }
        if term.hasPrefix(".") { return "TERM starts with a dot" }
        if term.utf8.count > 255 { return "TERM is longer than 255 bytes" }
        return nil
    }

    /// The first entry for `term` in the search folders (Linux's `x/xterm` layout or the
    /// hexadecimal `78/xterm` one), or nil when none has it or `term` is refused.
    public static func find(term: String, environment: [String: String]) -> TerminfoEntry? {
        guard refusal(term: term) == nil, let first = term.utf8.first else { return nil }
        let letter = String(decoding: [first], as: UTF8.self)
        let hex = String(first, radix: 16)
        for dir in searchDirectories(environment: environment) {
            for sub in [letter, hex] {
                let path = dir + "/" + sub + "/" + term
                guard let bytes = readSmallFile(path) else { continue }
                return TerminfoEntry(path: path, colors: colors(inCompiled: bytes))
            }
        }
        return nil
    }

    /// `max_colors` (the 14th number) from a compiled entry: the legacy format (magic 0432,
    /// 16-bit numbers) or ncurses 6's (01036, 32-bit). Nil for anything that is not one, a
    /// number that is absent (-1) or cancelled (-2), or an entry too short to hold it.
    public static func colors(inCompiled bytes: [UInt8]) -> Int? {
        func short(_ at: Int) -> Int? {
            guard at >= 0, at + 1 < bytes.count else { return nil }
            return Int(Int16(bitPattern: UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8))
        }
        guard let magic = short(0), magic == 0o432 || magic == 0o1036,
              let namesSize = short(2), let boolCount = short(4), let numCount = short(6),
              namesSize >= 0, boolCount >= 0, numCount > 13 else { return nil }
        let width = magic == 0o1036 ? 4 : 2
        var offset = 12 + namesSize + boolCount
        if offset % 2 == 1 { offset += 1 }   // numbers start on an even byte
        let at = offset + 13 * width
        guard at + width <= bytes.count else { return nil }
        let value: Int
        if width == 2 {
            guard let v = short(at) else { return nil }
            value = v
        } else {
            let raw = UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24
            value = Int(Int32(bitPattern: raw))
        }
        return value > 0 ? value : nil
    }

    /// A regular file's bytes, up to 1 MiB (a terminfo entry is a few KiB); nil otherwise.
    static func readSmallFile(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_size <= 1 << 20 else { return nil }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while bytes.count <= 1 << 20 {
            let n = chunk.withUnsafeMutableBytes { Libc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { break }
            bytes += chunk[0..<n]
        }
        return bytes
    }
}
