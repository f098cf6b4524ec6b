import Foundation
import Testing
import PodAPI
import PodFiles

/// `~/.yotta/credentials` (SkyPilot's Yotta login) as podtui's lowest login source.
@Suite("SkyPilot credentials file")
struct SkyPilotCredentialsTests {
    func tempDir() throws -> String {
        let dir = NSTemporaryDirectory() + "podtui-sky-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir + "/.yotta", withIntermediateDirectories: true)
        return dir
    }

    func write(_ text: String, to path: String, mode: Int = 0o600) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
    }

    @Test("parsing is lenient: spaces, comments, CRLF, BOM, quotes, any case, unknown keys")
    func parsing() {
        let plain = YottaCredentials.parse("orgId=org-1\napikey=sky-key-abc\n")
        #expect(plain.apiKey?.secret == "sky-key-abc" && plain.orgID == "org-1")
        let messy = YottaCredentials.parse("\u{FEFF}# SkyPilot's login\r\n; another comment\r\n  apikey =  sky-key-crlf  \r\n"
                                           + "region = us-east\r\nnot a setting\r\nORGID= \"org two\"\r\n")
        #expect(messy.apiKey?.secret == "sky-key-crlf" && messy.orgID == "org two")
        #expect(YottaCredentials.parse("apikey='quoted-key'").apiKey?.secret == "quoted-key")
        #expect(YottaCredentials.parse("apikey=\norgId=o\n").apiKey == nil)
        #expect(YottaCredentials.parse("").apiKey == nil)
        // A value may hold '=' (base64 keys do); only the first one splits.
        #expect(YottaCredentials.parse("apikey=abc==\n").apiKey?.secret == "abc==")
        // A lone CR ends a line too (old Mac editors).
        #expect(YottaCredentials.parse("orgId=o\rapikey=cr-key").apiKey?.secret == "cr-key")
    }

    @Test("order: ~/.yotta/config wins; the credentials key is used when nothing else gives one")
    func order() throws {
        let sky: () throws -> YottaCredentials = { YottaCredentials(apiKey: APIKey("sky-key-1"), orgID: "o") }
        let shared: () throws -> YottaCLIConfig = { try YottaCLIConfig.parse("[default]\napi_key = shared-key-2\n") }
        let configWins = try ConnectionResolver.resolve(flags: .init(), environment: [:], config: .init(), shared: shared, credentials: sky)
        #expect(configWins.apiKey.secret == "shared-key-2" && configWins.keySource.contains(".yotta/config"))
        let used = try ConnectionResolver.resolve(flags: .init(), environment: [:], config: .init(), credentials: sky)
        #expect(used.apiKey.secret == "sky-key-1" && used.keySource == "~/.yotta/credentials")
        #expect(used.baseURL.absoluteString == ConnectionResolver.defaultBaseURL)
        // The environment and a profile's own key both win, and then the file is never read.
        let unread: () throws -> YottaCredentials = { throw PodAPIError.configuration("must not be read") }
        let env = try ConnectionResolver.resolve(flags: .init(), environment: ["YOTTA_API_KEY": "env-key-3"], config: .init(), credentials: unread)
        #expect(env.apiKey.secret == "env-key-3")
        var own = ConfigFile()
        own.profiles["p"] = Profile(name: "p", apiKey: APIKey("profile-key-4"))
        let profile = try ConnectionResolver.resolve(flags: .init(profile: "p"), environment: [:], config: own, credentials: unread)
        #expect(profile.apiKey.secret == "profile-key-4")
        // A URL the user gave goes with it (as an environment key would) ...
        let local = try ConnectionResolver.resolve(flags: .init(baseURL: "http://127.0.0.1:9"), environment: [:], config: .init(), credentials: sky)
        #expect(local.apiKey.secret == "sky-key-1" && local.baseURL.port == 9)
        // ... but a URL a profile or ~/.yotta/config names does not get SkyPilot's key.
        own.profiles["stage"] = Profile(name: "stage", baseURL: "https://stage.example")
        let error = #expect(throws: PodAPIError.self) {
            try ConnectionResolver.resolve(flags: .init(profile: "stage"), environment: [:], config: own, credentials: sky)
        }
        #expect(error?.message.contains("~/.yotta/credentials") == true && error?.message.contains("stage.example") == true)
        #expect(error?.message.contains("sky-key-1") == false)
        // Nothing anywhere: the usual "No API key".
        let none = #expect(throws: PodAPIError.self) { try ConnectionResolver.resolve(flags: .init(), environment: [:], config: .init()) }
        #expect(none?.message.contains("No API key") == true)
    }

    @Test("load: a missing file is no login; an unreadable, odd, huge or shared one is an error naming it, never the key")
    func loadSafety() throws {
        let dir = try tempDir()
        let path = dir + "/.yotta/credentials"
        #expect(try YottaCredentials.load(path: path) == YottaCredentials())
        try write("apikey=sky-secret-77\norgId=org\n", to: path)
        #expect(try YottaCredentials.load(path: path).apiKey?.secret == "sky-secret-77")
        // Others can read it: refused with chmod advice, the key not in the message.
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        let shared = #expect(throws: PodAPIError.self) { try YottaCredentials.load(path: path) }
        #expect(shared?.message.contains("chmod 600") == true && shared?.message.contains(path) == true)
        #expect(shared?.message.contains("sky-secret-77") == false)
        // A file without a key is harmless whoever can read it.
        try write("orgId=org\n", to: path, mode: 0o644)
        #expect(try YottaCredentials.load(path: path).apiKey == nil)
        // Not UTF-8: an error naming the file.
        try Data([0x61, 0x70, 0x69, 0x6B, 0x65, 0x79, 0x3D, 0xFF, 0x0A]).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        #expect((#expect(throws: PodAPIError.self) { try YottaCredentials.load(path: path) })?.message.contains(path) == true)
        // A file podtui cannot open (a symlink loop: ELOOP, which even root gets): an error, not "no file".
        try FileManager.default.removeItem(atPath: path)
        try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: path)
        let loop = #expect(throws: PodAPIError.self) { try YottaCredentials.load(path: path) }
        #expect(loop?.message.contains("Cannot read \(path)") == true)
        // A directory or a device in its place: refused without reading.
        try FileManager.default.removeItem(atPath: path)
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        #expect((#expect(throws: PodAPIError.self) { try YottaCredentials.load(path: path) })?.message.contains("not a regular file") == true)
        try FileManager.default.removeItem(atPath: path)
        try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: "/dev/zero")
        #expect((#expect(throws: PodAPIError.self) { try YottaCredentials.load(path: path) })?.message.contains("not a regular file") == true)
        // Larger than the cap: refused, not read into memory.
        try FileManager.default.removeItem(atPath: path)
        try write("apikey=k\n" + String(repeating: "# padding\n", count: 7_000), to: path)
        #expect((#expect(throws: PodAPIError.self) { try YottaCredentials.load(path: path) })?.message.contains("larger than") == true)
        // A folder others can write to: refused (they could swap the file).
        try write("apikey=k\n", to: path)
        try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: dir + "/.yotta")
        #expect((#expect(throws: PodAPIError.self) { try YottaCredentials.load(path: path) })?.message.contains("writable by others") == true)
    }

    @Test("AtomicFile's limit stops a read past it")
    func readLimit() throws {
        let dir = try tempDir()
        try write(String(repeating: "x", count: 100_000), to: dir + "/big")
        #expect(throws: DiskError.self) { try AtomicFile.readBytes(dir + "/big", limit: 70_000) }
        #expect(try AtomicFile.readBytes(dir + "/big", limit: 100_000)?.count == 100_000)
        #expect(try AtomicFile.readBytes(dir + "/big")?.count == 100_000)
    }

    @Test("the podtui binary logs in with SkyPilot's file, and never prints its key")
    func binaryUsesCredentials() async throws {
        let sim = try await SimHarness.start()
        defer { Task { await sim.stop() } }
        let home = try tempDir()
        try write("orgId=org-5\napikey=\(SimHarness.key)\n", to: home + "/.yotta/credentials")
        let env = ["HOME": home, "YOTTA_API_KEY": "", "YOTTA_BASE_URL": sim.server.baseURL.absoluteString]
        let ok = try await CLITests().run(["pods", "list", "-o", "json"], sim: nil, environment: env)
        #expect(ok.status == 0, "\(ok.err)")
        #expect(!ok.out.contains(SimHarness.key) && !ok.err.contains(SimHarness.key))
        // ~/.yotta/config's key wins over it (here a wrong one, so the server refuses).
        try write("[default]\napi_key = wrong-key-000\n", to: home + "/.yotta/config")
        let config = try await CLITests().run(["pods", "list"], sim: nil, environment: env)
        #expect(config.status != 0 && !config.err.contains("wrong-key-000") && !config.err.contains(SimHarness.key))
        try FileManager.default.removeItem(atPath: home + "/.yotta/config")
        // Readable by others: refused, naming the file, without the key.
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: home + "/.yotta/credentials")
        let refused = try await CLITests().run(["pods", "list"], sim: nil, environment: env)
        #expect(refused.status != 0 && refused.err.contains(".yotta/credentials") && refused.err.contains("chmod 600"), "\(refused.err)")
        #expect(!refused.err.contains(SimHarness.key) && !refused.out.contains(SimHarness.key))
    }
}
