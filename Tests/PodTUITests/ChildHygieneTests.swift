import Foundation
import Testing
@testable import PodProbe
@testable import PodProbeRunner
@testable import PodTUI
@testable import PodTUICore

/// Issue 24 (review L11, L5, L7): children get no descriptor of podtui's but their own
/// stdio, a probe's deadline ends everything it started, the URL opener runs in its own
/// session and is never waited for on the cooperative pool, and the ssh control directory
/// is always a path ssh takes as it is.
@Suite("Child processes", .serialized)
struct ChildHygieneTests {
    func isCloseOnExec(_ fd: Int32) -> Bool { fcntl(fd, F_GETFD) & FD_CLOEXEC != 0 }

    /// True while `pid` runs (a zombie no reaper collected counts as gone).
    func isRunning(_ pid: Int32) -> Bool {
        guard kill(pid, 0) == 0 else { return false }
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return true }
        return !stat[close...].hasPrefix(") Z")
    }

    /// How many processes this one has started that still run.
    func children() -> Int {
        let me = getpid()
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.filter { name in
            guard Int32(name) != nil, let stat = try? String(contentsOfFile: "/proc/\(name)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { return false }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            return fields.count > 1 && fields[0] != "Z" && Int32(fields[1]) == me
        }.count
    }

    @Test("pipes are close-on-exec on both ends from the start (ChildProcess and StateBox)")
    func pipesCloseOnExec() throws {
        let pipe = try #require(ChildProcess.makePipe())
        defer { close(pipe.read); close(pipe.write) }
        #expect(isCloseOnExec(pipe.read) && isCloseOnExec(pipe.write))
        let box = StateBox(AppState(endpoint: "x", now: Date()))
        #expect(isCloseOnExec(box.wakeReadFD))
        #expect(fcntl(box.wakeReadFD, F_GETFL) & O_NONBLOCK != 0)
    }

    @Test("a captured child holds its stdout and stderr pipes once each: podtui's own ends do not leak into it")
    func noLeakedWriteEnds() throws {
        // For fd 1 and fd 2: how many of the shell's descriptors are that same pipe.
        let script = #"""
        for n in 1 2; do me=$(readlink /proc/$$/fd/$n); c=0
          for f in /proc/$$/fd/*; do [ "$(readlink $f)" = "$me" ] && c=$((c+1)); done; printf '%s ' $c; done
        """#
        let run = try ChildProcess.capture(["/bin/sh", "-c", script], deadline: 5).get()
        #expect(run.stdout.trimmingCharacters(in: .whitespaces) == "1 1", "\(run.stdout) \(run.stderr)")
    }

    @Test("a probe that passes its deadline is killed with everything it started (its process group)")
    func deadlineKillsTheGroup() throws {
        // The child starts a grandchild (as ssh starts a ProxyCommand) and waits for it.
        let run = try ChildProcess.capture(["/bin/sh", "-c", "sleep 30 & echo $!; wait"], deadline: 1).get()
        #expect(run.timedOut)
        let grandchild = try #require(Int32(run.stdout.trimmingCharacters(in: .whitespacesAndNewlines)))
        let end = Date().addingTimeInterval(5)
        while isRunning(grandchild) && Date() < end { usleep(20_000) }
        #expect(!isRunning(grandchild), "the grandchild outlived the deadline")
    }

    @Test("the URL opener runs in a session of its own")
    func openerSession() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("podtui-opener-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: file) }
        let result = await ExternalProcess.launch(["/bin/sh", "-c", "cat /proc/$$/stat > \(file); echo $$ >> \(file)"])
        #expect(result == .success(0))
        let text = try String(contentsOfFile: file, encoding: .utf8)
        let lines = text.split(separator: "\n")
        let pid = try #require(lines.last.map(String.init))
        // /proc/PID/stat: "pid (comm) state ppid pgrp session …"
        let fields = try #require(lines.first.flatMap { $0.split(separator: ")").last }?.split(separator: " "))
        #expect(fields.count > 3 && String(fields[3]) == pid, "session \(fields.count > 3 ? String(fields[3]) : "?") is not the opener's own \(pid)")
    }

    @Test("openers that keep running hold no thread of the cooperative pool")
    func openerOffThePool() async throws {
        let count = ProcessInfo.processInfo.activeProcessorCount + 2
        let started = Date()
        let openers = (0..<count).map { _ in Task.detached { await ExternalProcess.launch(["/bin/sh", "-c", "sleep 2"]) } }
        // Once they all run: with every pool thread blocked in waitpid, the next task (this
        // one's wake-ups included) would wait the 2 s out.
        while children() < count && Date().timeIntervalSince(started) < 3 { try await Task.sleep(for: .milliseconds(10)) }
        let answered = await Task.detached { Date() }.value
        #expect(answered.timeIntervalSince(started) < 1.5)
        for opener in openers { #expect(await opener.value == .success(0)) }
    }

    @Test("the socket directory: under a state path ssh takes as it is, else a fresh one in /tmp")
    func plainControlPath() throws {
        for odd in ["/tmp/a b", "/tmp/pct%d", "/tmp/~x", "/tmp/é"] {
            try FileManager.default.createDirectory(atPath: odd, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: odd) }
            let dir = try #require(ProbeRunner.makeControlDirectory(in: odd))
            defer { try? FileManager.default.removeItem(atPath: dir) }
            #expect(dir.hasPrefix("/tmp/podtui-ssh-"), "\(odd) gave \(dir)")
            #expect(ProbeCommand.isPlainPath(dir))
        }
        let command = ProbeCommand(controlDirectory: "/tmp/a b")
        #expect(!command.arguments(for: ProbeTarget(host: "h", port: nil, user: nil)).contains { $0.hasPrefix("ControlPath=") })
    }

    @Test("socket directories carry the host: another host's are never removed, this host's dead ones are")
    func staleByHost() throws {
        let state = "/tmp/pt-" + String(UUID().uuidString.prefix(6))
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: state) }
        let dead: Int32 = 99_999_999   // above pid_max: no such process here
        let mine = state + "/" + ProbeRunner.directoryName(pid: dead)
        let other = state + "/" + ProbeRunner.directoryName(pid: dead, host: "another-host.example")
        let legacy = state + "/ssh-\(dead)"
        for dir in [mine, other, legacy] { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
        #expect(ProbeRunner.directoryName(pid: dead) != ProbeRunner.directoryName(pid: dead, host: "another-host.example"))
        let dir = try #require(ProbeRunner.makeControlDirectory(in: state))
        #expect(dir == state + "/" + ProbeRunner.directoryName(pid: getpid()))
        #expect(!FileManager.default.fileExists(atPath: mine))
        #expect(FileManager.default.fileExists(atPath: other), "another host's directory was removed")
        #expect(FileManager.default.fileExists(atPath: legacy), "a directory that names no host was removed")
    }
}
