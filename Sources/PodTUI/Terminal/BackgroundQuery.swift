import PodTUICore
import FoundationEssentials
import Libc

/// Asks the terminal for its background colour (OSC 11) before curses starts, waiting at
/// most `timeoutMs` so the first frame is never held up longer; a later answer is taken out
/// of the key stream by `OSCReplyFilter`. Bytes typed meanwhile are handed back.
enum BackgroundQuery {
    struct Outcome {
        /// The background the answer named, when one came in time.
        var background: ThemeColors.Background?
        /// The query was sent and no answer came yet: one may still arrive as "keys".
        var awaiting: Bool
        /// Bytes that were not part of the answer (typed ahead), for curses' input queue.
        var typedAhead: [UInt8]
    }

    /// Whether asking can work here: not on the Linux console or a dumb terminal, which do
    /// not answer (and might print the query).
    static func applies(environment env: [String: String]) -> Bool {
        let term = env["TERM"] ?? ""
        return !(term.isEmpty || term == "dumb" || term == "linux" || term.hasPrefix("vt"))
    }

    static func ask(timeoutMs: Int = 50) -> Outcome {
        let fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard fd >= 0 else { return Outcome(background: nil, awaiting: false, typedAhead: []) }
        defer { close(fd) }
        var saved = termios()
        guard tcgetattr(fd, &saved) == 0 else { return Outcome(background: nil, awaiting: false, typedAhead: []) }
        var raw = saved
        raw.c_lflag &= ~tcflag_t(ICANON | ECHO)
        _ = tcsetattr(fd, TCSANOW, &raw)
        defer { var restore = saved; _ = tcsetattr(fd, TCSANOW, &restore) }

        let query: [UInt8] = Array("\u{1B}]11;?\u{1B}\\".utf8)   // ST-terminated: no BEL is ever written
        guard query.withUnsafeBufferPointer({ write(fd, $0.baseAddress, $0.count) }) == query.count else {
            return Outcome(background: nil, awaiting: false, typedAhead: [])
        }
        var bytes: [UInt8] = []
        let deadline = ContinuousClock.now + .milliseconds(timeoutMs)
        while ContinuousClock.now < deadline {
            let left = deadline - ContinuousClock.now
            let ms = Int32(clamping: max(1, left.components.seconds &* 1000 &+ left.components.attoseconds / 1_000_000_000_000_000))
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&pfd, 1, ms) > 0 else { break }
            var buffer = [UInt8](repeating: 0, count: 256)
            let n = buffer.withUnsafeMutableBufferPointer { read(fd, $0.baseAddress, $0.count) }
            guard n > 0 else { break }
            bytes += buffer[0..<n]
            if let (answer, rest) = split(bytes) {
                return Outcome(background: ThemeColors.background(fromOSC11Reply: answer), awaiting: false, typedAhead: rest)
            }
        }
        return Outcome(background: nil, awaiting: true, typedAhead: bytes)
    }

    /// The answer `ESC ] 11 ; … (BEL | ESC \)` and the bytes around it, once it is complete.
    static func split(_ bytes: [UInt8]) -> (String, [UInt8])? {
        let start: [UInt8] = [0x1B, 0x5D, 0x31, 0x31, 0x3B]   // ESC ] 1 1 ;
        guard bytes.count >= start.count,
              let s = (0...(bytes.count - start.count)).first(where: { Array(bytes[$0..<($0 + start.count)]) == start }) else { return nil }
        var i = s + start.count
        while i < bytes.count {
            if bytes[i] == 0x07 { return (String(decoding: bytes[s...i], as: UTF8.self), Array(bytes[..<s] + bytes[(i + 1)...])) }
            if bytes[i] == 0x1B, i + 1 < bytes.count, bytes[i + 1] == 0x5C {
                return (String(decoding: bytes[s...(i + 1)], as: UTF8.self), Array(bytes[..<s] + bytes[(i + 2)...]))
            }
            i += 1
        }
        return nil
    }
}
