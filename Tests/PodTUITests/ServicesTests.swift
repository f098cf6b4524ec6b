import Foundation
import Testing
import PodAPI
import PodFiles
@testable import PodTUICore

/// Issue 15: web endpoints, ssh config, the raw view.
@Suite("Endpoints, ssh config and the raw view")
struct ServicesTests {
    static func pod(_ id: Int64, _ name: String?, _ status: PodStatus = .running, ssh: String? = "ssh root@pod-1.yotta.run -p 30003",
                    ports: [ExposedPort] = []) -> Pod {
        Pod(id: id, name: name, status: status, gpuType: "NVIDIA_H100_80G", sshCmd: ssh, expose: ports)
    }
    static let web = [
        ExposedPort(port: 22, protocol: "SSH", proxyPort: 30003, host: "pod-1.yotta.run", healthy: true),
        ExposedPort(port: 8888, protocol: "HTTP", healthy: false, ingressUrl: "https://a-8888.proxy.yotta.run"),
        ExposedPort(port: 6006, protocol: "http", healthy: true, ingressUrl: "https://a-6006.proxy.yotta.run"),
        ExposedPort(port: 8000, protocol: "HTTP", healthy: true, ingressUrl: ""),
    ]

    @Test("the URL: first healthy HTTP port with a URL, or the one asked for; refusals say why")
    func urlChoice() {
        let p = Self.pod(1, "a", ports: Self.web)
        #expect(Endpoints.url(for: p) == .success("https://a-6006.proxy.yotta.run"))
        #expect(Endpoints.url(for: p, port: 8888) == .success("https://a-8888.proxy.yotta.run"))
        if case .failure(let r) = Endpoints.url(for: p, port: 8000) { #expect(r.reason.contains("no HTTP URL on port 8000") && r.reason.contains("8888, 6006")) } else { Issue.record() }
        if case .failure(let r) = Endpoints.url(for: Self.pod(2, "b", .paused, ports: Self.web)) { #expect(r.reason.contains("PAUSED")) } else { Issue.record() }
        if case .failure(let r) = Endpoints.url(for: Self.pod(3, "c", ports: [Self.web[0]])) { #expect(r.reason.contains("no HTTP port")) } else { Issue.record() }
        // Unhealthy ports still count when no port is healthy.
        #expect(Endpoints.url(for: Self.pod(4, "d", ports: [Self.web[1]])) == .success("https://a-8888.proxy.yotta.run"))
    }

    @Test("hosts: aliases made safe, nameless pods by id, duplicates with an id suffix, only running and reachable")
    func hosts() {
        let pods = [
            Self.pod(101_000_111, "llama ft/7", ssh: "ssh root@h1.example -p 30001"),
            Self.pod(102_222_222, "dup", ssh: "ssh ubuntu@h2.example -p 30002"),
            Self.pod(103_333_333, "dup", ssh: "ssh root@h3.example -p30003"),
            Self.pod(104_444_444, nil, ssh: nil, ports: [Self.web[0]]),
            Self.pod(105_555_555, "paused", .paused),
            Self.pod(106_666_666, "evil", ssh: "ssh -oProxyCommand=evil root@h6"),
            Self.pod(107_777_777, "no-ssh", ssh: nil),
        ]
        let hosts = SSHConfig.hosts(for: pods)
        #expect(hosts.map(\.alias) == ["yotta-104444444", "yotta-dup-222222", "yotta-dup-333333", "yotta-llama-ft-7"])
        #expect(hosts.first { $0.alias == "yotta-dup-222222" }.map { ($0.hostName, $0.port, $0.user) } ?? ("", nil, nil) == ("h2.example", 30002, "ubuntu"))
        #expect(hosts.first { $0.alias == "yotta-dup-333333" }?.port == 30003)
        #expect(hosts.first { $0.alias == "yotta-104444444" }.map { ($0.hostName, $0.port) } ?? ("", nil) == ("pod-1.yotta.run", 30003))
        #expect(!hosts.contains { $0.hostName.contains("evil") || $0.alias.contains("evil") }, "a hostile sshCmd is refused")
        #expect(SSHConfig.hosts(for: pods, prefix: "g-").first?.alias == "g-104444444")
    }

    @Test("the marked block replaces only itself; user entries before and after stay; no file makes one")
    func merge() {
        let block = SSHConfig.block([SSHConfig.Host(alias: "yotta-a", hostName: "h", port: 2222, user: "root", podID: 1)])
        #expect(SSHConfig.merge(existing: nil, block: block) == block)
        let user = "Host work\n    HostName work.example\n"
        let first = SSHConfig.merge(existing: user, block: block)
        #expect(first.hasPrefix(user) && first.contains("Host yotta-a") && first.hasSuffix(SSHConfig.endMarker + "\n"))
        let withTail = first + "\nHost after\n    HostName after.example\n"
        let newBlock = SSHConfig.block([SSHConfig.Host(alias: "yotta-b", hostName: "h2", port: nil, user: nil, podID: 2)])
        let second = SSHConfig.merge(existing: withTail, block: newBlock)
        #expect(second.hasPrefix(user) && second.hasSuffix("Host after\n    HostName after.example\n"))
        #expect(second.contains("Host yotta-b") && !second.contains("Host yotta-a"))
        #expect(second.components(separatedBy: SSHConfig.beginMarker).count == 2, "one block, not two")
    }

    @Test("the config file: created 0600 in a 0700 folder, written atomically, previous kept as config.podtui.bak")
    func writeFile() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("podtui-ssh-\(UUID().uuidString)/.ssh").path
        defer { try? FileManager.default.removeItem(atPath: (dir as NSString).deletingLastPathComponent) }
        let path = dir + "/config"
        try SSHConfigFile.write(path: path) { SSHConfig.merge(existing: $0, block: "B1\n") }
        let attrs = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attrs[.posixPermissions] as? Int) == 0o600)
        #expect((try FileManager.default.attributesOfItem(atPath: dir)[.posixPermissions] as? Int) == 0o700)
        try "Host mine\n".write(toFile: path, atomically: true, encoding: .utf8)
        try SSHConfigFile.write(path: path) { SSHConfig.merge(existing: $0, block: "B2\n") }
        #expect(try String(contentsOfFile: dir + "/config.podtui.bak", encoding: .utf8) == "Host mine\n")
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "Host mine\n\nB2\n")
    }

    @Test("raw JSON: every field and literal kept exactly, secrets masked until revealed")
    func rawJSON() throws {
        let body = #"{"code":10000,"data":{"id":362740422811062272,"name":"a","singleCardPrice":0.390,"newField":{"x":[1,2.50e3,null]},"# +
            #""environmentVars":[{"key":"HF_TOKEN","value":"hf_live_123"}],"registryPassword":"p4ss","ok":true}}"#
        let json = try #require(RawJSON.parse(body)?["data"])
        let masked = json.lines(mask: true).joined(separator: "\n")
        #expect(masked.contains("\"id\": 362740422811062272,") && masked.contains("\"singleCardPrice\": 0.390,") && masked.contains("2.50e3"))
        #expect(masked.contains("\"newField\": {") && masked.contains("\"key\": \"HF_TOKEN\""))
        #expect(!masked.contains("hf_live_123") && !masked.contains("p4ss"))
        let shown = json.lines(mask: false).joined(separator: "\n")
        #expect(shown.contains("hf_live_123") && shown.contains("p4ss"))
        #expect(RawJSON.parse("{\"a\":") == nil && RawJSON.parse("not json") == nil)
    }

    @Test("y opens the raw view, e reveals, c copies what is shown, Esc goes back")
    func rawViewKeys() {
        var state = Fixtures.loaded()
        let id = state.selectedPod?.id ?? 0
        let effects = Reducer.reduce(&state, .key(.char("y"), Fixtures.now))
        #expect(effects == [.fetchRaw(podID: id)] && Mode.of(state) == .raw)
        _ = Reducer.reduce(&state, .tagged(epoch: state.epoch, .rawLoaded(podID: id, .success(#"{"code":10000,"data":{"id":\#(id),"only":"here","envVars":[{"key":"K","value":"v4lue"}]}}"#))))
        var text = Render.render(state, size: Size(width: 100, height: 30)).text
        #expect(text.contains("\"only\": \"here\"") && !text.contains("v4lue"))
        _ = Reducer.reduce(&state, .key(.char("e"), Fixtures.now))
        text = Render.render(state, size: Size(width: 100, height: 30)).text
        #expect(text.contains("v4lue"))
        _ = Reducer.reduce(&state, .key(.char("c"), Fixtures.now))
        if case .copy(let copied)? = state.io.outbox.last?.kind { #expect(copied.contains("\"only\": \"here\"")) } else { Issue.record("nothing copied") }
        _ = Reducer.reduce(&state, .key(.escape, Fixtures.now))
        #expect(Mode.of(state) == .list && state.raw == nil)
    }

    @Test("o: opens with a display, copies without one, refuses with the reason")
    func openKey() {
        var state = Fixtures.loaded([Self.pod(1, "web", ports: Self.web)])
        state.settings.hasDisplay = true
        #expect(Reducer.reduce(&state, .key(.char("o"), Fixtures.now)) == [.openURL("https://a-6006.proxy.yotta.run")])
        state.settings.hasDisplay = false
        #expect(Reducer.reduce(&state, .key(.char("o"), Fixtures.now)).isEmpty)
        if case .copy(let url)? = state.io.outbox.last?.kind { #expect(url == "https://a-6006.proxy.yotta.run") } else { Issue.record("not copied") }
        #expect(state.message?.text.contains("No display here") == true)
        _ = InputReducer.run(&state, "open 8888")
        if case .copy(let url)? = state.io.outbox.last?.kind { #expect(url == "https://a-8888.proxy.yotta.run") } else { Issue.record() }
        var paused = Fixtures.loaded([Self.pod(2, "p", .paused, ports: Self.web)])
        _ = Reducer.reduce(&paused, .key(.char("o"), Fixtures.now))
        #expect(paused.message?.text.contains("PAUSED") == true)
    }

    @Test("ingress URLs are hyperlinks in the detail pane and the preview, not when turned off")
    func links() {
        var state = Fixtures.loaded([Self.pod(1, "web", ports: Self.web)])
        var screen = Render.render(state, size: Size(width: 120, height: 40))
        #expect(screen.links.map(\.url).contains("https://a-6006.proxy.yotta.run"), "preview")
        _ = Reducer.reduce(&state, .key(.enter, Fixtures.now))
        screen = Render.render(state, size: Size(width: 120, height: 40))
        let link = screen.links.first { $0.url == "https://a-8888.proxy.yotta.run" }
        #expect(link != nil)
        if let link {
            let text = (link.col..<(link.col + link.width)).map { screen[link.row, $0].text }.joined()
            #expect(text == "https://a-8888.proxy.yotta.run", "the link covers exactly the URL")
        }
        state.settings.hyperlinks = false
        #expect(Render.render(state, size: Size(width: 120, height: 40)).links.isEmpty)
        // A URL that is not a plain http(s) address is never made a link.
        var s = Screen(size: Size(width: 40, height: 2))
        s.addLink("https://x\u{1B}]52;c;x\u{07}", row: 0, col: 0, width: 5)
        s.addLink("javascript:alert(1)", row: 0, col: 0, width: 5)
        #expect(s.links.isEmpty)
    }
}
