import PodTUICore

/// Where `podtui watch --listen` serves its `/metrics` page: a numeric IP address (or
/// `localhost`) and a port. Read by `ListenAddress.parse`, never resolved through DNS: the
/// address bound is exactly the one the user wrote, so "loopback" means loopback.
///
/// Accepted: `127.0.0.1:9465`, `[::1]:9465`, `localhost:9465` (= 127.0.0.1), `0.0.0.0:9465`,
/// `[::]:9465`, `:9465` (= 127.0.0.1) and a bare port `9465` (= 127.0.0.1).
public struct ListenAddress: Sendable, Hashable, CustomStringConvertible {
    /// The address family and its bytes, so loopback is decided on numbers, not spellings.
    public enum Host: Sendable, Hashable {
        case ipv4(UInt8, UInt8, UInt8, UInt8)
        /// Eight 16-bit groups, most significant first.
        case ipv6([UInt16])
    }

    /// The port the watcher listens on when `--listen` names none.
    public static let defaultPort = 9465
    /// The longest `--listen` value read; anything longer is refused, not scanned.
    public static let maxLength = 64

    public let host: Host
    /// 1-65535 from `parse`; 0 ("any free port") only through `loopback(port:)`, for tests.
    public let port: Int

    /// The default: 127.0.0.1 on the default port.
    public static let standard = ListenAddress(host: .ipv4(127, 0, 0, 1), port: defaultPort)

    /// 127.0.0.1 on `port`; 0 lets the system choose a free port (the listener reports it).
    public static func loopback(port: Int) -> ListenAddress {
        ListenAddress(host: .ipv4(127, 0, 0, 1), port: min(max(port, 0), 65_535))
    }

    init(host: Host, port: Int) {
        self.host = host
        self.port = port
    }

    /// The address as a numeric string a socket call takes (`127.0.0.1`, `::1`).
    public var hostText: String {
        switch host {
        case let .ipv4(a, b, c, d):
            return "\(a).\(b).\(c).\(d)"
        case let .ipv6(groups):
            return Self.ipv6Text(groups)
        }
    }

    /// `127.0.0.1:9465`, `[::1]:9465`: the form `parse` reads back.
    public var description: String {
        switch host {
        case .ipv4: return "\(hostText):\(port)"
        case .ipv6: return "[\(hostText)]:\(port)"
        }
    }

    /// True when only this machine can connect: 127.0.0.0/8, `::1`, or an IPv4-mapped
    /// 127.x address. `0.0.0.0` and `::` (every interface) are not loopback.
    public var isLoopback: Bool {
        switch host {
        case let .ipv4(a, _, _, _):
            return a == 127
        case let .ipv6(g):
            guard g.count == 8 else { return false }
            if g[0..<7].allSatisfy({ $0 == 0 }) && g[7] == 1 { return true }
            // ::ffff:127.x.y.z, the v4-mapped form of a loopback address.
            return g[0..<5].allSatisfy({ $0 == 0 }) && g[5] == 0xFFFF && (g[6] >> 8) == 127
        }
    }

    /// Refuses an address other machines could reach unless the user asked for it with
    /// `--listen-public`: the page shows the fleet's names, statuses and spend.
    public func check(allowPublic: Bool) throws(ListenAddressError) {
        guard !isLoopback && !allowPublic else { return }
        throw ListenAddressError(
            "--listen \(description) is not a loopback address: anyone who can reach this host could read "
                + "the fleet's names, statuses and spend; add --listen-public to serve it there anyway")
    }

    /// Reads a `--listen` value (see the type's documentation for the forms).
    public static func parse(_ text: String) throws(ListenAddressError) -> ListenAddress {
        guard text.utf8.count <= maxLength else {
            throw ListenAddressError("--listen: the value is longer than \(maxLength) characters")
        }
        let value = text.trimmingSpaces
        guard !value.isEmpty else { throw usage(text) }
        // A bare port.
        if value.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) {
            return ListenAddress(host: .ipv4(127, 0, 0, 1), port: try port(value, whole: text))
        }
        let hostPart: Substring
        let portPart: Substring
        if value.hasPrefix("[") {
            guard let close = value.firstIndex(of: "]") else { throw usage(text) }
            hostPart = value[value.index(after: value.startIndex)..<close]
            let rest = value[value.index(after: close)...]
            guard rest.hasPrefix(":") else { throw usage(text) }
            portPart = rest.dropFirst()
            guard let groups = ipv6(hostPart) else {
                throw ListenAddressError("--listen: \"\(shown(String(hostPart)))\" is not an IPv6 address")
            }
            return ListenAddress(host: .ipv6(groups), port: try port(portPart, whole: text))
        }
        guard let colon = value.lastIndex(of: ":") else { throw usage(text) }
        hostPart = value[..<colon]
        portPart = value[value.index(after: colon)...]
        if hostPart.contains(":") {
            throw ListenAddressError("--listen: write an IPv6 address in brackets, like [::1]:\(defaultPort)")
        }
        let portNumber = try port(portPart, whole: text)
        if hostPart.isEmpty || hostPart.lowercased() == "localhost" {
            return ListenAddress(host: .ipv4(127, 0, 0, 1), port: portNumber)
        }
        guard let (a, b, c, d) = ipv4(hostPart) else {
            throw ListenAddressError(
                "--listen: \"\(shown(String(hostPart)))\" is not an IPv4 address or localhost "
                    + "(host names are not looked up: write the address)")
        }
        return ListenAddress(host: .ipv4(a, b, c, d), port: portNumber)
    }

    // MARK: - Parts

    private static func usage(_ text: String) -> ListenAddressError {
        ListenAddressError(
            "--listen: expected ADDRESS:PORT, [IPv6]:PORT, :PORT or PORT (like 127.0.0.1:\(defaultPort)), got \"\(shown(text))\"")
    }

    /// The user's text as an error may quote it: no control or bidi characters, bounded.
    private static func shown(_ text: String) -> String {
        let clean = TextSafety.clean(text)
        return clean.count > maxLength ? String(clean.prefix(maxLength)) + "…" : clean
    }

    private static func port(_ text: Substring, whole: String) throws(ListenAddressError) -> Int {
        guard !text.isEmpty, text.utf8.count <= 5,
            text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
            let number = Int(text), (1...65_535).contains(number)
        else {
            throw ListenAddressError("--listen: the port must be a number from 1 to 65535, got \"\(shown(String(text)))\" in \"\(shown(whole))\"")
        }
        return number
    }

    /// Four decimal octets 0-255; a leading zero is refused (some tools read it as octal).
    static func ipv4(_ text: Substring) -> (UInt8, UInt8, UInt8, UInt8)? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var octets: [UInt8] = []
        for part in parts {
            guard !part.isEmpty, part.utf8.count <= 3,
                part.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
                !(part.utf8.count > 1 && part.hasPrefix("0")),
                let value = UInt8(part)
            else { return nil }
            octets.append(value)
        }
        return (octets[0], octets[1], octets[2], octets[3])
    }

    /// RFC 4291 text: up to eight groups of 1-4 hex digits, one `::`, an optional dotted IPv4
    /// tail. Zone ids (`%eth0`) are refused: a listen address names no interface.
    static func ipv6(_ text: Substring) -> [UInt16]? {
        guard !text.isEmpty, text.utf8.count <= 45 else { return nil }
        let halves = text.components(separatedByDoubleColon: ())
        guard halves.count <= 2 else { return nil }
        func groups(_ part: Substring, allowV4Tail: Bool) -> [UInt16]? {
            if part.isEmpty { return [] }
            var out: [UInt16] = []
            let fields = part.split(separator: ":", omittingEmptySubsequences: false)
            for (i, field) in fields.enumerated() {
                if allowV4Tail && i == fields.count - 1 && field.contains(".") {
                    guard let (a, b, c, d) = ipv4(field) else { return nil }
                    out.append(UInt16(a) << 8 | UInt16(b))
                    out.append(UInt16(c) << 8 | UInt16(d))
                    continue
                }
                guard !field.isEmpty, field.utf8.count <= 4, let value = UInt16(field, radix: 16),
                    field.utf8.allSatisfy({ isHexDigit($0) })
                else { return nil }
                out.append(value)
            }
            return out
        }
        if halves.count == 1 {
            guard let all = groups(halves[0], allowV4Tail: true), all.count == 8 else { return nil }
            return all
        }
        guard let head = groups(halves[0], allowV4Tail: false), let tail = groups(halves[1], allowV4Tail: true),
            head.count + tail.count <= 7
        else { return nil }
        return head + Array(repeating: 0, count: 8 - head.count - tail.count) + tail
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
            || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(byte)
    }

    /// RFC 5952's short form: lower case, the longest run (2 or more) of zero groups as `::`.
    static func ipv6Text(_ groups: [UInt16]) -> String {
        var bestStart = -1
        var bestLength = 0
        var i = 0
        while i < groups.count {
            guard groups[i] == 0 else { i += 1; continue }
            var j = i
            while j < groups.count && groups[j] == 0 { j += 1 }
            if j - i > bestLength { bestStart = i; bestLength = j - i }
            i = j
        }
        let hex = groups.map { String($0, radix: 16) }
        guard bestLength >= 2 else { return hex.joined(separator: ":") }
        let head = hex[0..<bestStart].joined(separator: ":")
        let tail = hex[(bestStart + bestLength)...].joined(separator: ":")
        return head + "::" + tail
    }
}

/// Why a `--listen` value was refused, as one line for the terminal.
public struct ListenAddressError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

extension Substring {
    /// Split at the first `::` only (a second `::` makes a third piece, which the caller refuses).
    fileprivate func components(separatedByDoubleColon _: Void) -> [Substring] {
        var pieces: [Substring] = []
        var start = startIndex
        var i = startIndex
        while i < endIndex {
            let next = index(after: i)
            if self[i] == ":" && next < endIndex && self[next] == ":" {
                pieces.append(self[start..<i])
                start = index(after: next)
                i = start
                continue
            }
            i = next
        }
        pieces.append(self[start..<endIndex])
        return pieces
    }
}

extension String {
    /// The text without leading or trailing spaces and tabs (FoundationEssentials has no
    /// `trimmingCharacters`).
    fileprivate var trimmingSpaces: Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return self[first...last]
    }
}
