import FoundationEssentials
import Libc
import PodAPI
import PodTUICore
import Synchronization
import TermGuard

/// `podtui --demo`'s backend: a `podtui-sim` child on an ephemeral loopback port, reached over
/// the same HTTP path as a real account. It cannot outlive podtui: its stdin is a pipe whose
/// only writer is podtui (close-on-exec, so ssh or a browser started later never holds it),
/// and the simulator exits when that pipe ends, however podtui ends (quit, signal, crash,
/// SIGKILL). It runs in its own process group with no terminal, so it never draws over
/// curses and a Ctrl-C or a hangup aimed at podtui's terminal does not reach it.
public final class DemoSimulator: Sendable {
    /// The simulator's address, read from its first line of output.
    public let baseURL: URL
    /// The child's pid.
    public let pid: pid_t
    /// The write end of the child's stdin (holding it open keeps the child alive).
    private let lifeline: Int32
    private let stopped = Mutex(false)

    private init(baseURL: URL, pid: pid_t, lifeline: Int32) {
        self.baseURL = baseURL
        self.pid = pid
        self.lifeline = lifeline
    }

    /// Starts the simulator and waits (at most `timeout` seconds) for its address.
    /// - Parameters:
    ///   - key: the API key the child will require; sent on its stdin, never in its arguments
    ///     or environment (both are readable by other users through /proc).
    ///   - errorLog: a file the child's stderr is appended to (nil: /dev/null).
    /// - Throws: `PodAPIError.configuration` when it cannot be found or does not start.
    public static func start(key: String, speed: Double, extraPods: Int?, errorLog: String?,
                             timeout: Double = 20) throws -> DemoSimulator {
        let program = try SimulatorBinary.locate()
        var arguments = [program, "--port", "0", "--api-key-stdin", "--speed", String(speed)]
        if let extraPods { arguments += ["--pods", String(extraPods)] }
        var input: [Int32] = [-1, -1], output: [Int32] = [-1, -1]
        guard tg_pipe_cloexec(&input) == 0 else { throw failure("pipe: \(String(cString: strerror(errno)))") }
        guard tg_pipe_cloexec(&output) == 0 else {
            close(input[0]); close(input[1])
            throw failure("pipe: \(String(cString: strerror(errno)))")
        }
        let errorFD = errorLog.map { open($0, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600) } ?? -1
        let stderrFD = errorFD >= 0 ? errorFD : open("/dev/null", O_WRONLY | O_CLOEXEC)
        let spawned = ExternalProcess.spawn(arguments, stdio: .descriptors(stdin: input[0], stdout: output[1], stderr: stderrFD),
                                            ownGroup: true)
        close(input[0]); close(output[1]); close(stderrFD)
        let pid: pid_t
        switch spawned {
        case .success(let child): pid = child
        case .failure(let why):
            close(input[1]); close(output[0])
            throw failure(why.reason)
        }
        let lifeline = input[1]
        let keyLine = Array((key + "\n").utf8)
        let wrote = keyLine.withUnsafeBytes { write(lifeline, $0.baseAddress, $0.count) }
        let line = wrote == keyLine.count ? readLine(output[0], timeout: timeout) : nil
        close(output[0])
        let prefix = "listening on "
        guard let line, let range = line.firstRange(of: prefix),
              let url = URL(string: String(line[range.upperBound...]).trimmed),
              url.host != nil else {
            close(lifeline)
            kill(pid, SIGKILL)
            let status = ExternalProcess.wait(pid)
            let how = if case .success(let code) = status { " (it exited with \(code))" } else { "" }
            throw failure("\(program) did not report its address\(how)")
        }
        return DemoSimulator(baseURL: url, pid: pid, lifeline: lifeline)
    }

    /// Ends the child and reaps it: closes its stdin (it stops by itself), then SIGTERM, and
    /// SIGKILL if it is still there after two seconds. Safe to call more than once.
    public func stop() {
        let already = stopped.withLock { was in defer { was = true }; return was }
        guard !already else { return }
        close(lifeline)
        kill(pid, SIGTERM)
        var status: Int32 = 0
        for _ in 0..<200 {
            let reaped = waitpid(pid, &status, WNOHANG)
            if reaped == pid || (reaped < 0 && errno != EINTR) { return }
            usleep(10_000)
        }
        kill(pid, SIGKILL)
        _ = ExternalProcess.wait(pid)
    }

    deinit { stop() }

    private static func failure(_ why: String) -> PodAPIError {
        .configuration("The demo simulator could not start: \(why)")
    }

    /// Reads up to the first newline from `fd`, waiting at most `timeout` seconds in all.
    private static func readLine(_ fd: Int32, timeout: Double) -> String? {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 256)
        let deadline = ContinuousClock.now + .seconds(timeout)
        while !bytes.contains(UInt8(ascii: "\n")) {
            let left = deadline - .now
            guard left > .zero else { return nil }
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&pfd, 1, Int32(clamping: Int64(saturating: min(max(left, .zero), .seconds(1)) / .milliseconds(1))))
            if ready < 0 && errno == EINTR { continue }
            guard ready >= 0 else { return nil }
            if ready == 0 { continue }
            let n = read(fd, &chunk, chunk.count)
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return nil }
            bytes += chunk[0..<n]
        }
        let end = bytes.firstIndex(of: UInt8(ascii: "\n")) ?? bytes.endIndex
        return String(decoding: bytes[..<end], as: UTF8.self)
    }
}
