import FoundationEssentials
import Libc
import PodProbe

/// Local ports for `podtui forward`: whether one can be listened on, tried before ssh starts
/// so a taken port is refused with its reason instead of an ssh error after the login.
public enum LocalPort {
    /// Binds 127.0.0.1:`port` and lets go at once; nil when it could be bound, else why
    /// not ("Address already in use", "Permission denied"). `SO_REUSEADDR` as ssh sets it
    /// on its own listener, so a port in TIME_WAIT counts as free, as it is for ssh.
    public static func problem(_ port: Int) -> String? {
        guard (0...65_535).contains(port) else { return "not a port" }
        switch bound(port) {
        case .success(let (fd, _)): close(fd); return nil
        case .failure(let why): return why.reason
        }
    }

    /// A free loopback port the system picks (bind to port 0), or nil.
    public static func anyFree() -> Int? {
        guard case .success(let (fd, port)) = bound(0) else { return nil }
        close(fd)
        return port
    }

    /// The first of `candidates` that is free, else one the system picks; with the reason
    /// each taken one was refused (the first reason is what a user who named the port sees).
    public static func choose(_ ports: ForwardPorts) -> Result<Int, ProbeFailure> {
        var firstProblem: String?
        for port in ports.candidates {
            guard let problem = problem(port) else { return .success(port) }
            if firstProblem == nil { firstProblem = problem }
            if ports.localGiven { break }
        }
        let why = "local port \(ports.local) cannot be used: \(firstProblem ?? "unknown")"
        if ports.localGiven { return .failure(ProbeFailure(.other, why + " (name another: REMOTE:LOCAL)")) }
        if let any = anyFree() { return .success(any) }
        return .failure(ProbeFailure(.other, why + ", and no other local port is free"))
    }

    private static func bound(_ port: Int) -> Result<(Int32, Int), ProbeFailure> {
        #if os(Linux)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { return .failure(ProbeFailure(.other, String(cString: strerror(errno)))) }
        var one: Int32 = 1
        _ = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(truncatingIfNeeded: port)).bigEndian
        address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        let rc = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard rc == 0 else {
            let why = String(cString: strerror(errno))
            close(fd)
            return .failure(ProbeFailure(.other, why))
        }
        var actual = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return .success((fd, Int(UInt16(bigEndian: actual.sin_port))))
    }
}

/// Programs on PATH, looked up the way posix_spawnp will run them.
public enum ProgramPath {
    /// True when `name` (a bare name) is an executable file in one of PATH's directories,
    /// or (with a `/`) is one itself.
    public static func exists(_ name: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        if name.contains("/") { return access(name, X_OK) == 0 }
        let path = environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        return path.split(separator: ":").contains { dir in
            let candidate = (dir.isEmpty ? "." : String(dir)) + "/" + name
            var info = stat()
            return stat(candidate, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG && access(candidate, X_OK) == 0
        }
    }
}
