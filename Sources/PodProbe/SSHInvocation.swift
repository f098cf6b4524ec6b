import PodAPI

/// The command lines of `podtui forward`, `cp` and `exec` (and, later, the TUI's forwards),
/// built from a parsed `ProbeTarget` (host, port, user) and nothing else of the API's text:
/// `ssh -N -L`, `scp`, `rsync -e ssh …` and `ssh -- HOST CMD`. No shell runs them; the host
/// always follows `--`, so even a name starting with `-` could not be read as an option
/// (ProbeTarget refuses one anyway).
public struct SSHInvocation: Sendable, Equatable {
    public var target: ProbeTarget
    /// The programs (looked up in PATH unless they have a `/`).
    public var ssh: String
    public var scp: String
    public var rsync: String

    public init(target: ProbeTarget, ssh: String = "ssh", scp: String = "scp", rsync: String = "rsync") {
        self.target = target; self.ssh = ssh; self.scp = scp; self.rsync = rsync
    }

    /// The invocation for a pod's `sshCmd`, or why podtui refuses it: the rules of `s` and
    /// the GPU probes (`ProbeTarget.parse`), so a hostile `sshCmd` can neither add options
    /// nor run a command here.
    public static func forPod(sshCmd: String?) -> Result<SSHInvocation, ProbeFailure> {
        ProbeTarget.parse(sshCmd).map { SSHInvocation(target: $0) }
    }

    /// `-p PORT -l USER`, as the target names them.
    var portAndUser: [String] {
        var words: [String] = []
        if let port = target.port { words += ["-p", String(port)] }
        if let user = target.user { words += ["-l", user] }
        return words
    }

    /// `ssh -N -T -L 127.0.0.1:LOCAL:localhost:REMOTE … -- HOST`: a tunnel and nothing else.
    /// It listens on loopback only (never on other machines' reach), gives up at once when
    /// the local port cannot be bound (`ExitOnForwardFailure`) and notices a dead link.
    public func forward(_ ports: ForwardPorts) -> [String] {
        [ssh, "-N", "-T",
         "-o", "ExitOnForwardFailure=yes",
         "-o", "ServerAliveInterval=15", "-o", "ServerAliveCountMax=3",
         "-o", "PermitLocalCommand=no",
         "-L", "127.0.0.1:\(ports.local):localhost:\(ports.remote)"]
            + portAndUser + ["--", target.host]
    }

    /// `ssh … -- HOST 'CMD' 'ARG'…`: each argument quoted for the remote shell, so one
    /// argument stays one argument and `;`, `$` or a space in it is not interpreted there.
    /// `tty` asks for a terminal on the pod (`-t`), else none (`-T`: bytes pass unchanged).
    public func exec(_ command: [String], tty: Bool = false) -> [String] {
        [ssh, tty ? "-t" : "-T", "-o", "PermitLocalCommand=no"] + portAndUser
            + ["--", target.host, Self.remoteCommand(command)]
    }

    /// `ssh` asking the pod whether it has rsync (`command -v rsync`), without a password
    /// prompt: the answer decides between rsync and scp before the copy starts.
    public func hasRsync(connectTimeout: Int = 10) -> [String] {
        [ssh, "-T", "-o", "BatchMode=yes", "-o", "ConnectTimeout=\(connectTimeout)", "-o", "PermitLocalCommand=no"]
            + portAndUser + ["--", target.host, "command -v rsync"]
    }

    /// The destination as scp and rsync read it: `host:` (`[v6]:` for an IPv6 address).
    var remotePrefix: String {
        (target.host.contains(":") ? "[\(target.host)]" : target.host) + ":"
    }

    /// `scp -S ssh [-r] [-q] -P PORT -o User=USER -- SRC DST`. scp runs the same `ssh` from
    /// PATH (its default is a fixed path), speaks SFTP (the remote path is never read by a
    /// shell), and puts `--` before the host itself.
    public func scp(_ copy: CopySpec, recursive: Bool, progress: Bool) -> [String] {
        var argv = [scp, "-S", ssh, "-o", "PermitLocalCommand=no"]
        if recursive { argv.append("-r") }
        if !progress { argv.append("-q") }
        if let port = target.port { argv += ["-P", String(port)] }
        if let user = target.user { argv += ["-o", "User=\(user)"] }
        return argv + ["--"] + operands(copy)
    }

    /// `rsync -s -t --partial [-r] [--progress] -e 'ssh -p PORT -l USER … --' -- SRC DST`.
    /// `-s` hands the remote path to the remote rsync as data (no remote shell reads it);
    /// rsync appends only the host (no `user@` is given) and its own command after the
    /// `-e` words, so the host still follows `--`.
    public func rsync(_ copy: CopySpec, recursive: Bool, progress: Bool) -> [String] {
        var argv = [rsync, "-s", "-t", "--partial"]
        if recursive { argv.append("-r") }
        if progress { argv.append("--progress") }
        let shell = [ssh, "-T", "-o", "PermitLocalCommand=no"] + portAndUser + ["--"]
        return argv + ["-e", shell.joined(separator: " "), "--"] + operands(copy)
    }

    /// True when the `-e` words survive rsync's splitting as they are: plain characters only
    /// (rsync splits that string at spaces and reads quotes). The ssh program's path is the
    /// only word that could hold anything else.
    public var rsyncShellIsPlain: Bool {
        ProbeCommand.isPlainPath(ssh)
    }

    /// The two paths as scp and rsync read them: the pod's side `host:PATH`, the local side
    /// made unmistakable (a local path with a colon before any slash would be read as a host,
    /// one starting with `-` as an option: both get `./` in front).
    func operands(_ copy: CopySpec) -> [String] {
        let remote = remotePrefix + copy.remotePath
        let local = CopySpec.safeLocal(copy.localPath)
        return copy.direction == .upload ? [local, remote] : [remote, local]
    }

    /// One command line for the remote shell: each word as itself (`'…'` with `'\''` for a
    /// quote) unless it holds only characters a POSIX shell reads as themselves.
    public static func remoteCommand(_ words: [String]) -> String {
        words.map(shellQuoted).joined(separator: " ")
    }

    /// `word` as a POSIX shell reads it back exactly.
    public static func shellQuoted(_ word: String) -> String {
        let plain = !word.isEmpty && word.unicodeScalars.allSatisfy { s in
            (s.value >= 0x30 && s.value <= 0x39) || (s.value >= 0x41 && s.value <= 0x5A) || (s.value >= 0x61 && s.value <= 0x7A)
                || "-_./=:@,+%".unicodeScalars.contains(s)
        }
        if plain { return word }
        return "'" + word.replacing("'", with: "'\\''") + "'"
    }
}

/// `REMOTE[:LOCAL]` of `podtui forward`: the pod's port and, when given, the local one.
public struct ForwardPorts: Sendable, Equatable {
    public var remote: Int
    public var local: Int
    /// The user named the local port: a taken one is an error, not a reason to pick another.
    public var localGiven: Bool

    public init(remote: Int, local: Int, localGiven: Bool) { self.remote = remote; self.local = local; self.localGiven = localGiven }

    /// `8888` (local the same, or the next free one) or `8888:9999`; why not otherwise.
    public static func parse(_ text: String) -> Result<ForwardPorts, ProbeFailure> {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard parts.count <= 2 else { return .failure(ProbeFailure(.other, "\(text): expected REMOTE or REMOTE:LOCAL (two port numbers)")) }
        guard let remote = port(parts[0]) else { return .failure(ProbeFailure(.other, "\(ProbeTarget.shown(parts[0])) is not a port (1-65535)")) }
        guard parts.count == 2 else { return .success(ForwardPorts(remote: remote, local: remote, localGiven: false)) }
        guard let local = port(parts[1]) else { return .failure(ProbeFailure(.other, "\(ProbeTarget.shown(parts[1])) is not a port (1-65535)")) }
        return .success(ForwardPorts(remote: remote, local: local, localGiven: true))
    }

    static func port(_ text: String) -> Int? {
        guard !text.isEmpty, text.count <= 5, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let n = Int(text), (1...65_535).contains(n) else { return nil }
        return n
    }

    /// The local ports to try, in order, when none was given: the remote one, then the next
    /// 99 (a port under 1024 needs root, so from 8000 on for those too); the caller asks the
    /// system for any free one after these.
    public var candidates: [Int] {
        guard !localGiven else { return [local] }
        var list = [local]
        let start = local < 1024 ? 8000 : local + 1
        var p = start
        while list.count < 100 && p <= 65_535 { list.append(p); p += 1 }
        return list
    }

    /// What the user opens: `http://127.0.0.1:LOCAL/`.
    public var localURL: String { "http://127.0.0.1:\(local)/" }
}

/// `podtui cp SRC DST`: which side is the pod's and the paths of both.
public struct CopySpec: Sendable, Equatable {
    public enum Direction: Sendable, Equatable { case upload, download }
    public var direction: Direction
    /// The pod, as the user named it: an id or a name.
    public var pod: String
    public var remotePath: String
    public var localPath: String

    public init(direction: Direction, pod: String, remotePath: String, localPath: String) {
        self.direction = direction; self.pod = pod; self.remotePath = remotePath; self.localPath = localPath
    }

    /// `ID:PATH` or `NAME:PATH` on exactly one side. A side is the pod's when it has a colon
    /// with something before it and no `/` before that colon (as scp reads it), so a local
    /// file whose name has a colon is written `./a:b`.
    public static func parse(source: String, destination: String) -> Result<CopySpec, ProbeFailure> {
        switch (remote(source), remote(destination)) {
        case (nil, nil):
            return .failure(ProbeFailure(.other, "one side must be the pod's: ID:PATH or NAME:PATH (e.g. podtui cp ./data.tar 123:/workspace/)"))
        case (_?, _?):
            return .failure(ProbeFailure(.other, "both sides name a pod; one side must be a local path (write ./a:b for a local file with a colon)"))
        case (let (pod, path)?, nil):
            guard !destination.isEmpty else { return .failure(ProbeFailure(.other, "the local path is empty")) }
            return .success(CopySpec(direction: .download, pod: pod, remotePath: path, localPath: destination))
        case (nil, let (pod, path)?):
            guard !source.isEmpty else { return .failure(ProbeFailure(.other, "the local path is empty")) }
            return .success(CopySpec(direction: .upload, pod: pod, remotePath: path, localPath: source))
        }
    }

    static func remote(_ text: String) -> (String, String)? {
        guard let colon = text.firstIndex(of: ":") else { return nil }
        let pod = text[..<colon]
        guard !pod.isEmpty, !pod.contains("/") else { return nil }
        var path = String(text[text.index(after: colon)...])
        // `123:` is the home directory, as scp and rsync read it.
        if path.isEmpty { path = "." }
        return (String(pod), path)
    }

    /// A local path scp and rsync cannot read as a host or an option.
    static func safeLocal(_ path: String) -> String {
        if path.hasPrefix("/") || path.hasPrefix("./") || path.hasPrefix("../") { return path }
        if path.hasPrefix("-") || path.contains(":") { return "./" + path }
        return path
    }
}
