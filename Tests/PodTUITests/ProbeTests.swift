import Foundation
import Synchronization
import Testing
import PodAPI
@testable import PodProbe
@testable import PodProbeRunner

/// GPU probes: reading nvidia-smi and rocm-smi, the ssh command line built from an
/// `sshCmd`, the idle clock, and the schedule (cap, no overlap, backoff).
@Suite("GPU probes")
struct ProbeTests {
    // MARK: nvidia-smi

    @Test("nvidia-smi: several GPUs, figures as nvidia-smi prints them")
    func nvidiaSeveral() throws {
        let out = "#podtui nvidia\n0, 97, 40211, 81559\n1, 3, 1024, 81559\n2, 100, 80000, 81559\n"
        let report = try SMIOutput.parse(out, status: 0).get()
        #expect(report.tool == .nvidia)
        #expect(report.gpus.count == 3)
        #expect(report.gpus[0] == GPUReading(index: 0, utilization: 97, memoryUsedMiB: 40211, memoryTotalMiB: 81559))
        #expect(abs((report.meanUtilization ?? 0) - 200.0 / 3) < 0.001)
        #expect(report.memory?.usedMiB == 121_235)
        #expect(report.memory?.totalMiB == 244_677)
        #expect(report.load(under: 5) == .busy)
    }

    @Test("nvidia-smi: N/A and Not Supported fields are unknown, not zero")
    func nvidiaNotAvailable() throws {
        let out = "#podtui nvidia\r\n0, [N/A], [N/A], 16384\r\n1, [Not Supported], 512, 16384\r\n"
        let report = try SMIOutput.parse(out, status: 0).get()
        #expect(report.gpus.map(\.utilization) == [nil, nil])
        #expect(report.gpus[0].memoryUsedMiB == nil)
        #expect(report.meanUtilization == nil)
        #expect(report.memory?.usedMiB == 512)
        #expect(report.load(under: 5) == .unknown)
    }

    @Test("nvidia-smi: all GPUs under the threshold is idle; one at it is busy")
    func nvidiaIdle() throws {
        let idle = try SMIOutput.parse("#podtui nvidia\n0, 0, 3, 81559\n1, 4, 3, 81559\n", status: 0).get()
        #expect(idle.load(under: 5) == .idle)
        let busy = try SMIOutput.parse("#podtui nvidia\n0, 0, 3, 81559\n1, 5, 3, 81559\n", status: 0).get()
        #expect(busy.load(under: 5) == .busy)
    }

    @Test("nvidia-smi: warnings and broken lines are skipped, the GPUs kept")
    func nvidiaGarbage() throws {
        let out = "#podtui nvidia\nUnable to determine the device handle for GPU 0000:3B:00.0: Unknown Error\n1, 12, 100, 200\n1,2\nfoo, 1, 2, 3\n0, -5, 1, 2\n"
        let report = try SMIOutput.parse(out, status: 0).get()
        #expect(report.gpus.map(\.index) == [1])
    }

    @Test("nvidia-smi that fails says what it printed")
    func nvidiaFails() {
        let out = "#podtui nvidia\nNVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.\n"
        guard case .failure(let f) = SMIOutput.parse(out, status: 9) else { Issue.record("expected a failure"); return }
        #expect(f.kind == .toolFailed)
        #expect(f.reason.contains("couldn't communicate with the NVIDIA driver"))
        guard case .failure(let empty) = SMIOutput.parse("#podtui nvidia\n", status: 6) else { Issue.record("expected a failure"); return }
        #expect(empty.reason.contains("exit status 6"))
    }

    @Test("utilization over 100 is clamped; absurd figures are not numbers")
    func clamps() throws {
        let report = try SMIOutput.parse("#podtui nvidia\n0, 250, 1e9, 10\n0, 250, 1, 10\n", status: 0).get()
        #expect(report.gpus.count == 1)
        #expect(report.gpus[0].utilization == 100)
    }

    // MARK: rocm-smi

    @Test("rocm-smi CSV with warnings before the header")
    func rocm() throws {
        let out = """
        #podtui rocm
        WARNING: AMD GPU device(s) is/are in a low-power state. Check power control/runtime_status
        device,GPU use (%),VRAM Total Memory (B),VRAM Total Used Memory (B)
        card0,87,68702699520,34351349760
        card1,0,68702699520,10960896
        """
        let report = try SMIOutput.parse(out, status: 0).get()
        #expect(report.tool == .rocm)
        #expect(report.gpus.map(\.index) == [0, 1])
        #expect(report.gpus[0].utilization == 87)
        #expect(report.gpus[0].memoryTotalMiB == 65520)
        #expect(report.gpus[0].memoryUsedMiB == 32760)
    }

    @Test("rocm-smi with other columns and N/A")
    func rocmColumns() throws {
        let out = "#podtui rocm\ndevice,GPU use (%),GPU Memory Allocated (VRAM%)\ncard0,N/A,3\n"
        let report = try SMIOutput.parse(out, status: 0).get()
        #expect(report.gpus == [GPUReading(index: 0, utilization: nil, memoryUsedMiB: nil, memoryTotalMiB: nil)])
    }

    @Test("no tool, and output that is not ours")
    func noTool() {
        guard case .failure(let none) = SMIOutput.parse("#podtui none\n", status: 0) else { Issue.record("expected a failure"); return }
        #expect(none.kind == .noTool)
        guard case .failure(let odd) = SMIOutput.parse("Welcome to the jungle\n", status: 0) else { Issue.record("expected a failure"); return }
        #expect(odd.reason.contains("Welcome to the jungle"))
        guard case .failure(let rocm) = SMIOutput.parse("#podtui rocm\nsomething odd\n", status: 2) else { Issue.record("expected a failure"); return }
        #expect(rocm.kind == .toolFailed)
    }

    // MARK: ssh command

    @Test("sshCmd forms podtui accepts", arguments: [
        ("ssh root@pod-1.yotta.run -p 30003", "pod-1.yotta.run", 30003, "root"),
        ("ssh -p 2222 ubuntu@10.0.0.5", "10.0.0.5", 2222, "ubuntu"),
        ("ssh -p2222 -l ubuntu host", "host", 2222, "ubuntu"),
        ("ssh -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null root@h -p 1", "h", 1, "root"),
        ("/usr/bin/ssh ssh://root@h.example:4022", "h.example", 4022, "root"),
        ("ssh root@[::1] -p 22", "::1", 22, "root"),
        ("  ssh\troot@h   ", "h", nil, "root"),
    ] as [(String, String, Int?, String?)])
    func accepted(_ command: String, _ host: String, _ port: Int?, _ user: String?) throws {
        let target = try ProbeTarget.parse(command).get()
        #expect(target == ProbeTarget(host: host, port: port, user: user))
    }

    @Test("hostile or odd sshCmd forms are refused with the reason", arguments: [
        ("ssh -oProxyCommand=touch${IFS}/tmp/pwned root@h", "-oProxyCommand"),
        ("ssh -o ProxyCommand=nc root@h", "ProxyCommand"),
        ("ssh -J jump root@h", "-J"),
        ("ssh root@h rm -rf /", "remote command"),
        ("ssh root@h;reboot", "shell syntax"),
        ("ssh -- -oProxyCommand=x", "host"),
        ("ssh '-oLocalCommand=x' h", "shell syntax"),
        ("ssh -oLocalCommand=x h", "-oLocalCommand"),
        ("bash -c 'ssh h'", "not an ssh command"),
        ("ssh -p 99999 root@h", "port"),
        ("ssh -l -x h", "user"),
        ("ssh", "no host"),
        ("ssh root@h\u{1b}]0;x\u{7}", "control characters"),
    ])
    func refused(_ command: String, _ why: String) {
        guard case .failure(let failure) = ProbeTarget.parse(command) else { Issue.record("\(command) was accepted"); return }
        #expect(failure.kind == .noTarget)
        #expect(failure.reason.contains(why), "\(failure.reason)")
        #expect(!failure.reason.unicodeScalars.contains { $0.value < 0x20 })
    }

    @Test("no ssh command")
    func none() {
        guard case .failure(let f) = ProbeTarget.parse(nil) else { Issue.record("expected a failure"); return }
        #expect(f.reason == "the pod has no ssh command")
    }

    @Test("the command line: podtui's options, -- before the host, a fixed remote command")
    func argv() {
        let command = ProbeCommand(controlDirectory: "/state/ssh-1", connectTimeout: 5, controlPersist: 70)
        let argv = command.arguments(for: ProbeTarget(host: "h", port: 30003, user: "root"))
        #expect(argv.first == "ssh")
        for option in ["BatchMode=yes", "ConnectTimeout=5", "StrictHostKeyChecking=accept-new", "ControlMaster=auto",
                       "ControlPath=/state/ssh-1/%C", "ControlPersist=70", "ClearAllForwardings=yes"] {
            #expect(argv.contains(option), "\(option)")
        }
        let dashes = argv.firstIndex(of: "--")
        #expect(dashes != nil)
        #expect(argv[(dashes ?? 0) + 1] == "h")
        #expect(argv.last == SMIOutput.remoteCommand)
        #expect(argv.count == (dashes ?? 0) + 3)
        #expect(Array(argv[((argv.firstIndex(of: "-p") ?? 0))...].prefix(4)) == ["-p", "30003", "-l", "root"])
        let exit = command.exitArguments(for: ProbeTarget(host: "h", port: nil, user: nil)) ?? []
        #expect(exit.suffix(4) == ["-O", "exit", "--", "h"])
        #expect(ProbeCommand(controlDirectory: nil).exitArguments(for: ProbeTarget(host: "h", port: nil, user: nil)) == nil)
        #expect(!ProbeCommand(controlDirectory: nil).arguments(for: ProbeTarget(host: "h", port: nil, user: nil)).contains { $0.hasPrefix("Control") })
    }

    @Test("a child's environment has no YOTTA_* variable and no secret under another name")
    func environment() {
        let env = ChildProcess.environment(["YOTTA_API_KEY": "k-123456789", "PATH": "/bin", "MY_COPY": "x k-123456789 y", "SSH_AUTH_SOCK": "/s"],
                                           secrets: Redactor(["k-123456789"]))
        #expect(env == ["PATH=/bin", "SSH_AUTH_SOCK=/s"])
    }

    // MARK: what ssh said

    func run(_ status: Int32, out: String = "", err: String = "", timedOut: Bool = false) -> Result<ProbeReport, ProbeFailure> {
        ProbeRunner.read(ChildProcess.Captured(status: status, stdout: out, stderr: err, timedOut: timedOut), deadline: 15)
    }

    @Test("ssh's failures in plain words")
    func sshFailures() {
        func kind(_ r: Result<ProbeReport, ProbeFailure>) -> ProbeFailure.Kind? { if case .failure(let f) = r { f.kind } else { nil } }
        #expect(kind(run(255, err: "root@127.0.0.1: Permission denied (publickey).\n")) == .authRefused)
        #expect(kind(run(255, err: "ssh: connect to host 10.0.0.1 port 22: Connection timed out\n")) == .timeout)
        #expect(kind(run(255, err: "ssh: connect to host 127.0.0.1 port 1: Connection refused\n")) == .unreachable)
        #expect(kind(run(255, err: "ssh: Could not resolve hostname nope: Name or service not known\n")) == .unreachable)
        #expect(kind(run(255, err: "Host key verification failed.\n")) == .hostKey)
        #expect(kind(run(-1, timedOut: true)) == .timeout)
        #expect(kind(run(127, err: "sh: 1: nvidia-smi: not found\n")) == .noTool)
        #expect(kind(run(255, err: "kex_exchange_identification: read: odd\n")) == .other)
        if case .failure(let f) = run(255, err: "root@h: Permission denied (publickey).\n") {
            #expect(f.reason.contains("Permission denied (publickey)"))
            #expect(f.reason.contains("never a password"))
        }
        // The remote command's output wins over ssh's status.
        #expect((try? run(255, out: "#podtui nvidia\n0, 1, 2, 3\n").get())?.gpus.count == 1)
    }

    @Test("a real child: output, status, and the deadline")
    func capture() throws {
        let ok = try ChildProcess.capture(["/bin/sh", "-c", "echo out; echo err >&2; exit 3"], deadline: 5).get()
        #expect(ok.stdout == "out\n")
        #expect(ok.stderr == "err\n")
        #expect(ok.status == 3)
        #expect(!ok.timedOut)
        let started = Date()
        let slow = try ChildProcess.capture(["/bin/sh", "-c", "sleep 30"], deadline: 0.5).get()
        #expect(slow.timedOut)
        #expect(Date().timeIntervalSince(started) < 10)
        // A grandchild that keeps the pipe open does not hold the probe once the child exited.
        let left = try ChildProcess.capture(["/bin/sh", "-c", "(sleep 20 &) ; echo done"], deadline: 5).get()
        #expect(left.stdout == "done\n")
        #expect(!left.timedOut)
        guard case .failure(let missing) = ChildProcess.capture(["/nonexistent/ssh"], deadline: 1) else { Issue.record("ran"); return }
        #expect(missing.kind == .noSSH)
    }

    // MARK: idle clock

    @Test("the idle clock: starts at the first idle sample, a busy one stops it, unknown leaves it")
    func idleClock() {
        var clock = IdleClock()
        let t = Date(timeIntervalSince1970: 1_800_000_000)
        clock.record(.idle, at: t, maxGap: 120)
        #expect(clock.idleFor == 0)
        for minute in 1...15 { clock.record(minute == 7 ? .unknown : .idle, at: t.addingTimeInterval(Double(minute) * 60), maxGap: 120) }
        #expect(clock.idleFor == 900)
        #expect(clock.isIdle(after: 900))
        #expect(!clock.isIdle(after: 901))
        clock.record(.busy, at: t.addingTimeInterval(960), maxGap: 120)
        #expect(clock.idleFor == 0)
        #expect(!clock.isIdle(after: 0))
        // A gap with no samples restarts the clock: nobody saw what happened then.
        clock.record(.idle, at: t.addingTimeInterval(1000), maxGap: 120)
        clock.record(.idle, at: t.addingTimeInterval(1060), maxGap: 120)
        clock.record(.idle, at: t.addingTimeInterval(2000), maxGap: 120)
        #expect(clock.idleFor == 0)
        #expect(clock.idleSince == t.addingTimeInterval(2000))
    }

    // MARK: schedule

    @Test("the schedule: at most 4 at once, never two for one pod, oldest first")
    func scheduleCap() {
        var s = ProbeSchedule(interval: 30, maxConcurrent: 4)
        let t = Date(timeIntervalSince1970: 1_800_000_000)
        let first = s.start(Array(1...10), now: t)
        #expect(first == [1, 2, 3, 4])
        #expect(s.start(Array(1...10), now: t).isEmpty)
        s.finished(2, success: true, now: t.addingTimeInterval(1))
        // 2 is not due again for 30 s; the next waiting pod gets the free place.
        #expect(s.start(Array(1...10), now: t.addingTimeInterval(1)) == [5])
        #expect(s.inFlightCount == 4)
        for id: Int64 in [1, 3, 4, 5] { s.finished(id, success: true, now: t.addingTimeInterval(2)) }
        #expect(s.start(Array(1...10), now: t.addingTimeInterval(2)) == [6, 7, 8, 9])
        for id: Int64 in [6, 7, 8, 9] { s.finished(id, success: true, now: t.addingTimeInterval(3)) }
        #expect(s.start(Array(1...10), now: t.addingTimeInterval(3)) == [10])
        s.finished(10, success: true, now: t.addingTimeInterval(4))
        // Every 30 s from each start: 1–4 at t+30, 2 at t+30 too.
        #expect(s.start(Array(1...10), now: t.addingTimeInterval(29)).isEmpty)
        #expect(s.start(Array(1...10), now: t.addingTimeInterval(30)) == [1, 2, 3, 4])
    }

    @Test("the schedule: failures back off, doubling to the cap; a success resets")
    func scheduleBackoff() {
        var s = ProbeSchedule(interval: 30, maxConcurrent: 4, maxBackoff: 300)
        var t = Date(timeIntervalSince1970: 1_800_000_000)
        var waits: [Double] = []
        for _ in 0..<6 {
            #expect(s.start([7], now: t) == [7])
            s.finished(7, success: false, now: t)
            let next = s.slots[7]?.nextDue ?? t
            waits.append(next.timeIntervalSince(t))
            #expect(s.start([7], now: next.addingTimeInterval(-1)).isEmpty)
            t = next
        }
        #expect(waits == [30, 60, 120, 240, 300, 300])
        #expect(s.start([7], now: t) == [7])
        s.finished(7, success: true, now: t)
        #expect(s.slots[7]?.failures == 0)
        #expect(s.slots[7]?.nextDue == t.addingTimeInterval(30))
        s.keep([])
        #expect(s.slots.isEmpty)
    }

    @Test("the schedule: pods that answer go before pods that keep failing")
    func scheduleHealthyFirst() {
        var s = ProbeSchedule(interval: 30, maxConcurrent: 2, maxBackoff: 300)
        let t = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(s.start([1, 2, 3, 4], now: t) == [1, 2])
        s.finished(1, success: false, now: t)
        s.finished(2, success: false, now: t)
        #expect(s.start([1, 2, 3, 4], now: t) == [3, 4])
        s.finished(3, success: true, now: t)
        s.finished(4, success: true, now: t)
        // At t+30 all four are due; the failing two waited longer, the answering two go first.
        #expect(s.start([1, 2, 3, 4], now: t.addingTimeInterval(30)) == [3, 4])
    }

    @Test("close ends a probe still running, and none starts after it")
    func closeEndsProbes() throws {
        let dir = NSTemporaryDirectory() + "podtui-probe-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let slow = dir + "/slow-ssh", marker = dir + "/started"
        // The stub says it runs (so the test closes a probe that is really out), then hangs.
        try "#!/bin/sh\ntouch \(marker)\nexec sleep 30\n".write(toFile: slow, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: slow)
        let runner = ProbeRunner(ssh: slow, stateDirectory: dir, deadline: 25)
        let done = DispatchSemaphore(value: 0)
        let result = Mutex<Result<ProbeReport, ProbeFailure>?>(nil)
        let started = Date()
        DispatchQueue.global().async {
            let r = runner.probe(ProbeTarget(host: "h", port: nil, user: nil))
            result.withLock { $0 = r }
            done.signal()
        }
        let deadline = Date().addingTimeInterval(10)
        while !FileManager.default.fileExists(atPath: marker), Date() < deadline { usleep(10_000) }
        #expect(FileManager.default.fileExists(atPath: marker), "the stub ssh never started")
        runner.close()
        #expect(done.wait(timeout: .now() + 5) == .success)
        #expect(Date().timeIntervalSince(started) < 11)
        // It was ended by close, not refused before it started.
        if case .failure(let failure)? = result.withLock({ $0 }) {
            #expect(failure.reason != "podtui is quitting", "\(failure.reason)")
        } else {
            Issue.record("a probe closed while out must fail")
        }
        guard case .failure(let after) = runner.probe(ProbeTarget(host: "h", port: nil, user: nil)) else { Issue.record("probed after close"); return }
        #expect(after.reason == "podtui is quitting")
    }

    @Test("the socket directory: private, short enough for a socket, else in /tmp")
    func socketDirectory() throws {
        let short = "/tmp/pt-" + String(UUID().uuidString.prefix(6))
        try FileManager.default.createDirectory(atPath: short, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: short) }
        // A directory left by a process that is gone is removed.
        let stale = short + "/" + ProbeRunner.directoryName(pid: 999_999)
        try FileManager.default.createDirectory(atPath: stale, withIntermediateDirectories: true)
        let dir = try #require(ProbeRunner.makeControlDirectory(in: short))
        #expect(dir == short + "/" + ProbeRunner.directoryName(pid: getpid()))
        #expect(!FileManager.default.fileExists(atPath: stale))
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: dir)[.posixPermissions] as? Int)
        #expect(mode == 0o700)
        let long = "/tmp/" + String(repeating: "x", count: 60)
        try FileManager.default.createDirectory(atPath: long, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: long) }
        let fallback = try #require(ProbeRunner.makeControlDirectory(in: long))
        #expect(fallback.hasPrefix("/tmp/podtui-ssh-"))
        #expect(fallback.utf8.count <= ProbeRunner.socketRoom)
        try? FileManager.default.removeItem(atPath: fallback)
    }
}
