import Foundation
import Testing
import PodAPI
import PodFiles
@testable import PodSim

/// Issue 28: "add my ssh key" at create. `pods create` sends the user's public key as the
/// `PUBLIC_KEY` environment variable (the official images add it to authorized_keys):
/// `--ssh-key PATH`, else the first default key file, never with `--no-ssh-key`; only a
/// public key line ever leaves the machine, and templates keep the path, not the key.
@Suite("ssh key at create")
struct SSHKeyTests {
    static let ed25519 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGq0cJ3YpVb1F8fU9mQ2xq8r6W3Y0xGZk1d7c0bSx1Yq alice@laptop"
    static let ecdsa = "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBKq= bob@box"

    /// A fresh HOME with `~/.ssh` holding `files` (name → text).
    func home(_ files: [String: String]) throws -> String {
        let dir = NSTemporaryDirectory() + "podtui-sshkey-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir + "/.ssh", withIntermediateDirectories: true)
        for (name, text) in files { try text.write(toFile: dir + "/.ssh/" + name, atomically: true, encoding: .utf8) }
        return dir
    }

    let create = ["pods", "create", "--name", "k", "--image", "ubuntu:22.04", "--gpu-type", "NVIDIA_RTX_4090_24G", "-o", "json"]

    /// The create request's env as the simulator received it, or nil when none was sent.
    func sentEnv(_ server: SimulatorServer) async throws -> [String: String]? {
        guard let body = await server.state.recordedRequests().first(where: { $0.method == "POST" })?.body else { return nil }
        let json = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]
        let vars = json?["environmentVars"] as? [[String: String]] ?? []
        return Dictionary(vars.compactMap { item in item["key"].flatMap { k in item["value"].map { (k, $0) } } }, uniquingKeysWith: { a, _ in a })
    }

    func server() async throws -> SimulatorServer {
        try await SimulatorServer.start(options: SimulatorOptions(apiKey: SimHarness.key, scenario: .empty, speed: 200))
    }

    // MARK: the key line

    @Test("a public key line is accepted as it is; anything else is refused with the reason")
    func keyLine() throws {
        #expect(try SSHPublicKey.line(from: Self.ed25519 + "\n").get() == Self.ed25519)
        #expect(try SSHPublicKey.line(from: "\r\n" + Self.ecdsa + "\r\n\r\n").get() == Self.ecdsa)
        let refused: [(String, String)] = [
            ("-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n", "PRIVATE"),
            (Self.ed25519 + "\n" + Self.ecdsa + "\n", "2 lines"),
            ("", "empty"),
            ("ssh-foo AAAAC3NzaC1lZDI1NTE5AAAA", "key type"),
            ("ssh-ed25519 not*base64!!!!!!!!!!!!!!", "base64"),
            ("ssh-ed25519 AAAA", "base64"),
            (Self.ed25519 + " \u{1b}]52;c;eA==\u{7}", "control"),
            ("ssh-ed25519", "key type"),
        ]
        for (text, why) in refused {
            guard case .failure(let problem) = SSHPublicKey.line(from: text) else {
                Issue.record("accepted: \(text.debugDescription)")
                continue
            }
            #expect(problem.reason.contains(why), "\(problem.reason)")
        }
        #expect(SSHPublicKey.referencedPath("@~/.ssh/id_ed25519.pub") == "~/.ssh/id_ed25519.pub")
        #expect(SSHPublicKey.referencedPath(Self.ed25519) == nil && SSHPublicKey.referencedPath("@") == nil)
    }

    @Test("key files: the default is the first that exists; big, odd or missing files are errors naming them")
    func keyFiles() throws {
        let dir = try home(["id_ecdsa.pub": Self.ecdsa + "\n", "id_rsa.pub": "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ== r\n"])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let env = ["HOME": dir]
        #expect(PublicKeyFile.defaultPath(environment: env) == dir + "/.ssh/id_ecdsa.pub")
        #expect(PublicKeyFile.defaultPath(environment: ["HOME": dir + "/none"]) == nil)
        #expect(try PublicKeyFile.read("~/.ssh/id_ecdsa.pub", environment: env) == Self.ecdsa)
        try String(repeating: "A", count: SSHPublicKey.sizeLimit + 1).write(toFile: dir + "/big.pub", atomically: true, encoding: .utf8)
        for (path, why) in [(dir + "/big.pub", "larger than"), (dir + "/.ssh", "not a regular file"), (dir + "/absent.pub", "No such file")] {
            do {
                _ = try PublicKeyFile.read(path, environment: env)
                Issue.record("read \(path)")
            } catch let error as PodAPIError {
                #expect(error.message.contains(why) && error.message.contains("ssh key"), "\(error.message)")
            }
        }
        let request = PodV2CreateRequest(name: "n", image: "i", gpuType: "g", environmentVars: [EnvVar(key: "PUBLIC_KEY", value: "@~/.ssh/id_ecdsa.pub"), EnvVar(key: "A", value: "@x")])
        #expect(try PublicKeyFile.resolve(request, environment: env).environmentVars == [EnvVar(key: "PUBLIC_KEY", value: Self.ecdsa), EnvVar(key: "A", value: "@x")])
    }
}

/// `pods create` with a key, in the CLI suite: these run the binary and wait for it, so
/// they must not run beside that suite's tests (both block pool threads the in-process
/// simulator needs).
extension CLITests {

    @Test("--ssh-key PATH sends its line as PUBLIC_KEY; the default key is sent and said; --no-ssh-key sends none")
    func createSendsKey() async throws {
        let dir = try SSHKeyTests().home(["id_ed25519.pub": SSHKeyTests.ed25519 + "\n", "id_rsa.pub": "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ== r\n", "other.pub": SSHKeyTests.ecdsa])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for (extra, expected, said) in [(["--ssh-key", dir + "/.ssh/other.pub"], SSHKeyTests.ecdsa, false),
                                        ([], SSHKeyTests.ed25519, true),
                                        (["--no-ssh-key"], nil, false)] as [([String], String?, Bool)] {
            let server = try await SSHKeyTests().server()
            let result = try await run(SSHKeyTests().create + extra, sim: server, environment: ["HOME": dir])
            #expect(result.status == 0, "\(result.err)")
            #expect(try await SSHKeyTests().sentEnv(server)?["PUBLIC_KEY"] == expected, "\(extra)")
            #expect(result.err.contains("sending \(dir)/.ssh/id_ed25519.pub as PUBLIC_KEY") == said, "\(result.err)")
            await server.stop()
        }
    }

    @Test("a private key, a bad file or clashing flags: exit 2 naming why, and nothing is sent")
    func createRefuses() async throws {
        let dir = try SSHKeyTests().home(["id_ed25519": "-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n"])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let server = try await SSHKeyTests().server()
        defer { Task { await server.stop() } }
        let cases: [([String], String)] = [
            (["--ssh-key", dir + "/.ssh/id_ed25519"], "holds a PRIVATE key; give the .pub file"),
            (["--ssh-key", dir + "/.ssh/nope.pub"], "No such file"),
            (["--ssh-key", dir + "/.ssh/x.pub", "--no-ssh-key"], "not both"),
            (["--ssh-key", dir + "/.ssh/x.pub", "--env", "PUBLIC_KEY=ssh-ed25519 AAAA"], "not both"),
        ]
        for (extra, why) in cases {
            let result = try await run(SSHKeyTests().create + extra, sim: server, environment: ["HOME": dir])
            #expect(result.status == 2 && result.err.contains(why), "\(extra): \(result.err)")
            #expect(!result.err.contains("OPENSSH PRIVATE KEY") && !result.err.contains("AAAA\n"))
        }
        #expect(await server.state.recordedRequests().isEmpty)
    }

    @Test("a template keeps the key file's path; create reads the file then")
    func templateReference() async throws {
        let dir = try SSHKeyTests().home(["mine.pub": SSHKeyTests.ed25519 + "\n"])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let config = dir + "/config"
        try FileManager.default.createDirectory(atPath: config + "/podtui/templates", withIntermediateDirectories: true)
        let template = #"{"name":"t","image":"ubuntu:22.04","gpuType":"NVIDIA_RTX_4090_24G","environmentVars":[{"key":"PUBLIC_KEY","value":"@~/.ssh/mine.pub"}]}"#
        try template.write(toFile: config + "/podtui/templates/t.json", atomically: true, encoding: .utf8)
        let server = try await SSHKeyTests().server()
        defer { Task { await server.stop() } }
        let result = try await run(["pods", "create", "--template", "t", "-o", "json"], sim: server,
                                        environment: ["HOME": dir, "XDG_CONFIG_HOME": config])
        #expect(result.status == 0, "\(result.err)")
        #expect(try await SSHKeyTests().sentEnv(server)?["PUBLIC_KEY"] == SSHKeyTests.ed25519)
    }
}

@Suite("ssh key path shown")
struct SSHKeyDisplayTests {
    @Test("the home directory is shown as ~ (and only a whole directory of it)")
    func display() {
        #expect(PublicKeyFile.display("/home/al/.ssh/id_ed25519.pub", environment: ["HOME": "/home/al"]) == "~/.ssh/id_ed25519.pub")
        #expect(PublicKeyFile.display("/home/alice/k.pub", environment: ["HOME": "/home/al"]) == "/home/alice/k.pub")
        #expect(PublicKeyFile.display("/k.pub", environment: ["HOME": "/"]) == "/k.pub")
        #expect(PublicKeyFile.expand("~/.ssh/x.pub", environment: ["HOME": "/home/al"]) == "/home/al/.ssh/x.pub")
    }
}
