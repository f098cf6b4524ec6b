import FoundationEssentials
import Libc

/// Asks an ssh agent how many keys it holds (SSH2_AGENTC_REQUEST_IDENTITIES), for `podtui
/// doctor`: an agent socket that exists but answers nothing is a common reason for ssh to ask
/// for a passphrase, or fail, in a probe. Reads only the reply's header; never a key.
enum SSHAgentProbe {
    enum Answer: Equatable {
        case keys(Int)
        case failed(String)
    }

    /// Connects to `socket`, asks, and reads the count, within 2 s each way.
    static func identities(socket path: String) -> Answer {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard bytes.count < capacity else { return .failed("the socket path is too long") }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        #if os(Linux)
        let fd = Libc.socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        #else
        let fd = Libc.socket(AF_UNIX, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { return .failed(String(cString: strerror(errno))) }
        defer { close(fd) }
        var limit = timeval(tv_sec: 2, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard connected == 0 else { return .failed(String(cString: strerror(errno))) }
        let request: [UInt8] = [0, 0, 0, 1, 11]
        #if os(Linux)
        let flags = Int32(MSG_NOSIGNAL)   // a dead agent must not kill podtui with SIGPIPE
        #else
        let flags: Int32 = 0
        #endif
        guard request.withUnsafeBytes({ send(fd, $0.baseAddress, $0.count, flags) }) == request.count else {
            return .failed("could not send to it: \(String(cString: strerror(errno)))")
        }
        // uint32 length, byte 12 (SSH2_AGENT_IDENTITIES_ANSWER), uint32 number of keys.
        var header = [UInt8](repeating: 0, count: 9)
        var got = 0
        while got < header.count {
            let n = header.withUnsafeMutableBytes { recv(fd, $0.baseAddress.map { $0 + got }, $0.count - got, 0) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return .failed(n == 0 ? "it closed the connection" : "no answer within 2 s") }
            got += n
        }
        guard header[4] == 12 else { return .failed("it answered with message type \(header[4]), not a key list") }
        let count = Int(header[5]) << 24 | Int(header[6]) << 16 | Int(header[7]) << 8 | Int(header[8])
        return .keys(count)
    }
}
