import Foundation
import Testing
import PodAPI
import PodProbe
import PodProbeRunner
@testable import PodTUICore
@testable import PodTUI

/// Issue 28: `F` forwards a port of a RUNNING pod (`ssh -N -L` in the background);
/// `:forwards` lists them, `x` stops one.
@Suite("Port-forwards in the UI")
struct ForwardTests {
    func state(_ pods: [Pod] = Fixtures.pods) -> AppState {
        var state = Fixtures.loaded(pods)
        state.settings.probesAvailable = true
        state.nav.selectedID = pods[0].id
        return state
    }

    static func withPorts(_ ports: [Int]) -> [Pod] {
        var pods = Fixtures.pods
        pods[0].expose = ports.map { ExposedPort(port: $0, protocol: "HTTP", proxyPort: nil, healthy: true) }
        return pods
    }

    @Test("F asks REMOTE[:LOCAL] with the first exposed port; Tab offers the others; Enter starts ssh -N -L")
    func start() {
        var s = state(Self.withPorts([8888, 6006]))
        _ = Reducer.reduce(&s, .key(.char("F"), Fixtures.now))
        #expect(s.nav.input?.kind == .forward(Fixtures.pods[0].id) && s.nav.input?.editor.text == "8888")
        #expect(Render.render(s, size: Size(width: 140, height: 24)).text.contains("forward port: 8888"))
        _ = Reducer.reduce(&s, .key(.tab, Fixtures.now))
        #expect(s.nav.input?.editor.text == "6006")
        _ = Reducer.reduce(&s, .key(.tab, Fixtures.now))
        #expect(s.nav.input?.editor.text == "8888")
        for _ in 0..<4 { _ = Reducer.reduce(&s, .key(.backspace, Fixtures.now)) }
        for c in "7000:17000" { _ = Reducer.reduce(&s, .key(.char(c), Fixtures.now)) }
        let effects = Reducer.reduce(&s, .key(.enter, Fixtures.now))
        guard case .startForward(let request)? = effects.first else { Issue.record("no startForward: \(effects)"); return }
        #expect(request.ports == ForwardPorts(remote: 7000, local: 17000, localGiven: true))
        #expect(request.invocation.forward(request.ports).contains("127.0.0.1:17000:localhost:7000"))
        #expect(request.invocation.target == ProbeTarget(host: "h", port: 30003, user: "root"))
        #expect(s.forwards.items.count == 1 && s.forwards.items[0].phase == .starting)

        _ = Reducer.reduce(&s, .forwardEvent(id: request.id, .started(local: 17000), Fixtures.now))
        #expect(s.message?.text.hasPrefix("Forwarding http://127.0.0.1:17000/ to port 7000 of llama-ft-7") == true)
        _ = Reducer.reduce(&s, .forwardEvent(id: request.id, .ready, Fixtures.now))
        _ = InputReducer.run(&s, "forwards")
        #expect(Mode.of(s) == .forwards)
        let screen = Render.render(s, size: Size(width: 100, height: 24)).text
        #expect(screen.contains("http://127.0.0.1:17000/") && screen.contains("port 7000") && screen.contains("listening"))

        let stop = Reducer.reduce(&s, .key(.char("x"), Fixtures.now))
        #expect(stop == [.stopForward(request.id)] && s.forwards.items[0].phase == .stopping)
        #expect(Reducer.reduce(&s, .key(.char("x"), Fixtures.now)).isEmpty)   // once
        _ = Reducer.reduce(&s, .forwardEvent(id: request.id, .ended(""), Fixtures.now))
        #expect(s.forwards.items.isEmpty && s.message?.kind == .info)
        // Nothing left to stop: x is refused with the reason, like the footer dims it.
        _ = Reducer.reduce(&s, .key(.char("x"), Fixtures.now))
        #expect(s.message?.text == "No port-forwards")
    }

    @Test("a taken local port: the runtime's reason is said; a port asked twice here is refused before ssh")
    func taken() {
        var s = state()
        _ = Reducer.reduce(&s, .key(.char("F"), Fixtures.now))
        s.nav.input?.editor = LineEditor("8888")
        let effects = Reducer.reduce(&s, .key(.enter, Fixtures.now))
        guard case .startForward(let request)? = effects.first else { Issue.record("no startForward"); return }
        _ = Reducer.reduce(&s, .forwardEvent(id: request.id, .started(local: 8889), Fixtures.now))
        #expect(s.message?.text.contains("(8888 is taken)") == true)
        // The same remote port again, local not named: asked past the ports held here.
        _ = Reducer.reduce(&s, .key(.char("F"), Fixtures.now))
        s.nav.input?.editor = LineEditor("8889")
        guard case .startForward(let again)? = Reducer.reduce(&s, .key(.enter, Fixtures.now)).first else { Issue.record("no again"); return }
        #expect(again.ports == ForwardPorts(remote: 8889, local: 8890, localGiven: false))
        _ = Reducer.reduce(&s, .forwardEvent(id: again.id, .ended("gone"), Fixtures.now))
        _ = Reducer.reduce(&s, .key(.char("F"), Fixtures.now))
        s.nav.input?.editor = LineEditor("80:8889")
        #expect(Reducer.reduce(&s, .key(.enter, Fixtures.now)).isEmpty)
        #expect(s.message?.text.hasPrefix("Local port 8889 is taken: forward 1 to llama-ft-7 uses it") == true)
        _ = Reducer.reduce(&s, .key(.char("F"), Fixtures.now))
        s.nav.input?.editor = LineEditor("80:9999")
        guard case .startForward(let second)? = Reducer.reduce(&s, .key(.enter, Fixtures.now)).first else { Issue.record("no second"); return }
        _ = Reducer.reduce(&s, .forwardEvent(id: second.id, .ended("local port 9999 cannot be used: Address already in use (name another: REMOTE:LOCAL)"), Fixtures.now))
        #expect(s.message?.text == "Forward of port 80 of llama-ft-7 ended: local port 9999 cannot be used: Address already in use (name another: REMOTE:LOCAL)")
        #expect(s.message?.kind == .error && s.forwards.items.count == 1)
    }

    @Test("F is refused on a pod that is not RUNNING, on a hostile sshCmd, and a bad port is refused")
    func refusals() {
        var pods = Fixtures.pods
        pods[0].sshCmd = "ssh root@h -p 30003 -oProxyCommand=sh"
        var s = state(pods)
        _ = Reducer.reduce(&s, .key(.char("F"), Fixtures.now))
        #expect(s.nav.input == nil && s.message?.text.contains("ssh command was refused") == true)
        s.nav.selectedID = pods[1].id
        _ = Reducer.reduce(&s, .key(.char("F"), Fixtures.now))
        #expect(s.nav.input == nil && s.message?.text.contains("ssh needs a RUNNING pod") == true)
        var good = state()
        _ = Reducer.reduce(&good, .key(.char("F"), Fixtures.now))
        good.nav.input?.editor = LineEditor("99999")
        #expect(Reducer.reduce(&good, .key(.enter, Fixtures.now)).isEmpty)
        #expect(good.message?.text == "Not forwarded: 99999 is not a port (1-65535)")
    }

    @Test("a forward's ssh is started, listened for and ended with the loop")
    func runtime() async throws {
        // A stand-in for ssh: the invocation's program is a script that listens like ssh -L would.
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fwd-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let fake = dir.appendingPathComponent("ssh")
        try """
        #!/usr/bin/env python3
        import socket, sys, time
        spec = [a for a in sys.argv if a.startswith("127.0.0.1:")][0]
        s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", int(spec.split(":")[1]))); s.listen(1)
        time.sleep(60)
        """.write(to: fake, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: fake.path)
        let free = try #require(LocalPort.anyFree())
        let children = BackgroundChildren()
        let request = ForwardRequest(id: 1, invocation: SSHInvocation(target: ProbeTarget(host: "h", port: 22, user: nil), ssh: fake.path),
                                     ports: ForwardPorts(remote: 80, local: free, localGiven: true))
        let events = AsyncStream<ForwardEvent>.makeStream()
        children.startForward(request) { events.continuation.yield($0) }
        var seen: [ForwardEvent] = []
        for await event in events.stream {
            seen.append(event)
            if event == .ready { children.closeAll() }
            if case .ended = event { break }
        }
        #expect(seen == [.started(local: free), .ready, .ended("")])
        #expect(children.running == 0)
    }
}

