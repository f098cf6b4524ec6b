import Foundation
import Testing
@testable import PodAPI
@testable import PodFiles

@Suite("Configuration: env, flags, profiles, permissions")
struct ConfigTests {
    func tempDir() throws -> String {
        let dir = NSTemporaryDirectory() + "podtui-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    func write(_ text: String, to path: String, mode: Int) throws {
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
    }

    @Test("environment names match the yotta CLI; flags win")
    func precedence() throws {
        let dir = try tempDir()
        try write("flag-key-123456\n", to: dir + "/key", mode: 0o600)
        let env = ["YOTTA_API_KEY": "env-key-123456", "YOTTA_BASE_URL": "https://api.dev.yottalabs.ai"]
        let fromEnv = try ConnectionResolver.resolve(flags: .init(), environment: env, config: .init())
        #expect(fromEnv.apiKey.secret == "env-key-123456" && fromEnv.baseURL.host == "api.dev.yottalabs.ai")
        let fromFlags = try ConnectionResolver.resolve(flags: .init(baseURL: "http://127.0.0.1:9", apiKeyFile: dir + "/key"), environment: env, config: .init())
        #expect(fromFlags.apiKey.secret == "flag-key-123456" && fromFlags.baseURL.port == 9)
        let none = try ConnectionResolver.resolve(flags: .init(), environment: ["YOTTA_API_KEY": "k"], config: .init())
        #expect(none.baseURL.absoluteString == "https://api.yottalabs.ai")
    }

    @Test("a key file readable by others is refused, as ssh does")
    func keyFilePermissions() throws {
        let dir = try tempDir()
        try write("secret-value-1\n", to: dir + "/key", mode: 0o644)
        #expect(throws: PodAPIError.self) { try ConnectionResolver.readKeyFile(dir + "/key") }
        do { _ = try ConnectionResolver.readKeyFile(dir + "/key") } catch let error as PodAPIError {
            #expect(error.message.contains("chmod 600") && !error.message.contains("secret-value-1"))
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: dir + "/key")
        #expect(try ConnectionResolver.readKeyFile(dir + "/key").secret == "secret-value-1")
    }

    @Test("profiles from config.yaml; an inline key needs an owner-only file")
    func profiles() throws {
        let dir = try tempDir()
        let text = """
        # podtui config
        default_profile: dev
        profiles:
          dev:
            base_url: https://api.dev.yottalabs.ai
            api_key: "inline-key-123"
            read_only: true

          prod:
            base_url: https://api.yottalabs.ai
        """
        try write(text, to: dir + "/config.yaml", mode: 0o644)
        #expect(throws: PodAPIError.self) { try ConfigFile.load(path: dir + "/config.yaml") }
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: dir + "/config.yaml")
        let config = try ConfigFile.load(path: dir + "/config.yaml")
        let dev = try ConnectionResolver.resolve(flags: .init(), environment: [:], config: config)
        #expect(dev.profileName == "dev" && dev.readOnly && dev.apiKey.secret == "inline-key-123")
        let missing = #expect(throws: PodAPIError.self) { try ConnectionResolver.resolve(flags: .init(profile: "nope"), environment: [:], config: config) }
        #expect(missing?.message.contains("podtui's config has: dev, prod") == true)
    }

    @Test("a bad config names the line", arguments: [
        ("profiles:\n  a:\n    base_url: [1, 2]\n", "line 3"),      // a list where a string belongs
        ("profiles:\n  a: 1\n", "line 2"),
        ("ui:\n  interval: 3\n ui2: [\n", "line 3"),               // broken YAML
        ("profiles:\n  a:\n    colour: red\n", "line 3"),
        ("a: 1\na: 2\n", "line 2"),                                 // a key set twice
    ])
    func badConfig(text: String, line: String) throws {
        let dir = try tempDir()
        try write(text, to: dir + "/config.yaml", mode: 0o600)
        let error = #expect(throws: PodAPIError.self) { try ConfigFile.load(path: dir + "/config.yaml") }
        #expect(error?.message.contains(line) == true, "\(error?.message ?? "")")
        #expect(try ConfigFile.load(path: dir + "/absent.yaml").profiles.isEmpty)
    }

    @Test("YAML a user writes: flow and block lists, quoting, comments, anchors refused")
    func yaml() throws {
        var lines: [String: Int] = [:]
        let doc = try YAMLReader.parse("""
        a: 1
        b: 'lit'   # a comment
        c: [x, "y"]
        t:
          u:
            d: true
            e: 2.5
            f: |
              two
              lines
        g: "true"
        h: ~
        """, lines: &lines)
        #expect(doc["a"] == .integer(1) && doc["b"] == .string("lit") && doc["c"] == .array([.string("x"), .string("y")]))
        #expect(doc["t"]?.table?["u"]?.table?["d"] == .bool(true) && doc["t"]?.table?["u"]?.table?["e"] == .float(2.5))
        #expect(doc["t"]?.table?["u"]?.table?["f"] == .string("two\nlines\n"))
        #expect(doc["g"] == .string("true") && doc["h"] == .null)
        #expect(lines["t.u.e"] == 7)
        #expect(throws: YAMLReader.ParseError.self) { try YAMLReader.parse("a: &x 1\nb: *x\n", lines: &lines) }
        #expect(throws: YAMLReader.ParseError.self) { try YAMLReader.parse("- 1\n- 2\n", lines: &lines) }
        #expect(try YAMLReader.parse("", lines: &lines).isEmpty)
        #expect(try YAMLReader.parse("# only a comment\n", lines: &lines).isEmpty)
    }

    @Test("~/.yotta/config as configparser reads and writes it")
    func sharedINI() throws {
        let config = try YottaCLIConfig.parse("""
        [DEFAULT]
        base_url = https://api.dev.yottalabs.ai

        # a comment
        [default]
        API_KEY = key-default-1
        [work]
        api_key: key-work-22
        base_url = https://api.yottalabs.ai
        note = first
          second
        """)
        #expect(config.profileNames == ["default", "work"])
        #expect(config.value("api_key", in: "default") == "key-default-1")
        #expect(config.value("base_url", in: "default") == "https://api.dev.yottalabs.ai")   // from [DEFAULT]
        #expect(config.value("base_url", in: "work") == "https://api.yottalabs.ai")
        #expect(config.value("note", in: "work") == "first\nsecond")
        #expect(config.value("api_key", in: "missing") == nil)
        #expect(throws: YottaCLIConfig.ParseError(line: 1, message: "a setting before any [section]")) { try YottaCLIConfig.parse("api_key = x") }
        #expect(throws: YottaCLIConfig.ParseError.self) { try YottaCLIConfig.parse("[a]\nk = 1\n[a]\n") }
        var edited = config
        edited.set(section: "new", key: "api_key", value: "key-new-333")
        let again = try YottaCLIConfig.parse(edited.text)
        #expect(again.value("api_key", in: "new") == "key-new-333" && again.value("api_key", in: "work") == "key-work-22")
    }

    @Test("precedence: flags, environment, podtui profile, then ~/.yotta/config")
    func sharedPrecedence() throws {
        let shared = try YottaCLIConfig.parse("[default]\napi_key = shared-key-1\nbase_url = http://127.0.0.1:7\n[work]\napi_key = shared-work-2\n")
        let sharedLoader: () throws -> YottaCLIConfig = { shared }
        let plain = try ConnectionResolver.resolve(flags: .init(), environment: [:], config: .init(), shared: sharedLoader)
        #expect(plain.apiKey.secret == "shared-key-1" && plain.baseURL.port == 7 && plain.keySource.contains(".yotta/config"))
        // The file's URL goes with the file's key: the environment's key is not sent there.
        let env = try ConnectionResolver.resolve(flags: .init(), environment: ["YOTTA_API_KEY": "env-key-123"], config: .init(), shared: sharedLoader)
        #expect(env.apiKey.secret == "shared-key-1" && env.baseURL.port == 7)
        let work = try ConnectionResolver.resolve(flags: .init(profile: "work"), environment: [:], config: .init(), shared: sharedLoader)
        #expect(work.apiKey.secret == "shared-work-2" && work.baseURL.absoluteString == ConnectionResolver.defaultBaseURL)
        var own = ConfigFile()
        own.profiles["work"] = Profile(name: "work", baseURL: "https://api.dev.yottalabs.ai", apiKey: APIKey("own-key-4444"))
        let ownWins = try ConnectionResolver.resolve(flags: .init(profile: "work"), environment: [:], config: own, shared: sharedLoader)
        #expect(ownWins.apiKey.secret == "own-key-4444" && ownWins.baseURL.host == "api.dev.yottalabs.ai")
        // A login from the environment never reads the file (a broken one must not block it).
        let untouched = try ConnectionResolver.resolve(flags: .init(baseURL: "http://127.0.0.1:9"), environment: ["YOTTA_API_KEY": "env-key-123"],
                                                       config: .init(), shared: { throw PodAPIError.configuration("must not be read") })
        #expect(untouched.apiKey.secret == "env-key-123")
    }

    @Test("M10: YOTTA_API_KEY goes only to a URL chosen the same way or the default; a profile's own key wins for its URL")
    func envKeyStaysHome() throws {
        let dir = try tempDir()
        try write("profile-key-777\n", to: dir + "/kf", mode: 0o600)
        var config = ConfigFile()
        config.profiles["b"] = Profile(name: "b", baseURL: "https://b.example", keyFile: dir + "/kf")
        config.profiles["nokey"] = Profile(name: "nokey", baseURL: "http://127.0.0.1:8080")
        config.profiles["prodish"] = Profile(name: "prodish")
        let env = ["YOTTA_API_KEY": "env-key-prod-1"]
        // The profile's URL with the profile's key, never the environment's.
        let b = try ConnectionResolver.resolve(flags: .init(profile: "b"), environment: env, config: config)
        #expect(b.baseURL.host == "b.example" && b.apiKey.secret == "profile-key-777")
        // A profile URL with no key of its own: refused, naming both sources, the key never shown.
        let error = #expect(throws: PodAPIError.self) { try ConnectionResolver.resolve(flags: .init(profile: "nokey"), environment: env, config: config) }
        #expect(error?.message.contains("YOTTA_API_KEY") == true && error?.message.contains("127.0.0.1:8080") == true)
        #expect(error?.message.contains("env-key-prod-1") == false)
        // Saying so: the URL from the environment (or a flag) too, or the explicit setting.
        let said = try ConnectionResolver.resolve(flags: .init(profile: "nokey"), environment: env.merging(["YOTTA_BASE_URL": "http://127.0.0.1:8080"]) { $1 }, config: config)
        #expect(said.apiKey.secret == "env-key-prod-1" && said.baseURL.port == 8080)
        let flag = try ConnectionResolver.resolve(flags: .init(baseURL: "https://b.example", profile: "b"), environment: env, config: config)
        #expect(flag.apiKey.secret == "env-key-prod-1")
        let anywhere = try ConnectionResolver.resolve(flags: .init(profile: "nokey"), environment: env.merging(["PODTUI_ENV_KEY_ANYWHERE": "1"]) { $1 }, config: config)
        #expect(anywhere.apiKey.secret == "env-key-prod-1")
        // A profile without a URL talks to the default API, where the environment's key goes.
        let prod = try ConnectionResolver.resolve(flags: .init(profile: "prodish"), environment: env, config: config)
        #expect(prod.apiKey.secret == "env-key-prod-1" && prod.baseURL.absoluteString == ConnectionResolver.defaultBaseURL)
    }

    @Test("~/.yotta/config: a symlink is written through (the link kept); a non-UTF-8 file is an error, not empty")
    func sharedWriteThroughAndUnreadable() throws {
        let dir = try tempDir()
        try FileManager.default.createDirectory(atPath: dir + "/.yotta", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: dir + "/dotfiles", withIntermediateDirectories: true)
        try write("[default]\napi_key = old-key-1\n", to: dir + "/dotfiles/yotta", mode: 0o600)
        try FileManager.default.createSymbolicLink(atPath: dir + "/.yotta/config", withDestinationPath: dir + "/dotfiles/yotta")
        var config = try YottaCLIConfig.load(path: dir + "/.yotta/config")
        config.set(section: "default", key: "api_key", value: "new-key-2")
        try config.write(to: dir + "/.yotta/config")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: dir + "/.yotta/config") == dir + "/dotfiles/yotta")
        #expect(try String(contentsOfFile: dir + "/dotfiles/yotta", encoding: .utf8).contains("new-key-2"))
        // One Latin-1 byte: an error naming the file, never an empty login that configure overwrites.
        try Data("[default]\n# B\u{FC}ro\napi_key = k\n".data(using: .isoLatin1) ?? Data()).write(to: URL(fileURLWithPath: dir + "/latin1"))
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: dir + "/latin1")
        let error = #expect(throws: PodAPIError.self) { try YottaCLIConfig.load(path: dir + "/latin1") }
        #expect(error?.message.contains("latin1") == true)
    }

    @Test("a config in a folder others can write to is refused (they could swap the file)")
    func configDirectoryChecked() throws {
        let dir = try tempDir()
        try write("default_profile: a\n", to: dir + "/config.yaml", mode: 0o600)
        try write("[default]\nbase_url = https://x.example\n", to: dir + "/config", mode: 0o600)
        try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: dir)
        let error = #expect(throws: PodAPIError.self) { try ConfigFile.load(path: dir + "/config.yaml") }
        #expect(error?.message.contains("writable by others") == true)
        #expect(throws: PodAPIError.self) { try YottaCLIConfig.load(path: dir + "/config") }
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: dir)
        #expect(try ConfigFile.load(path: dir + "/config.yaml").defaultProfile == "a")
        #expect(try YottaCLIConfig.load(path: dir + "/config").value("base_url", in: "default") == "https://x.example")
    }

    @Test("a shared file others can read is refused; configure's write is owner-only")
    func sharedPermissions() throws {
        let dir = try tempDir()
        let path = dir + "/.yotta/config"
        var config = YottaCLIConfig()
        config.set(section: "default", key: "api_key", value: "secret-key-55")
        try config.write(to: path)
        #expect(FilePermissions.mode(of: path) == 0o600 && FilePermissions.mode(of: dir + "/.yotta") == 0o700)
        #expect(try YottaCLIConfig.load(path: path).value("api_key", in: "default") == "secret-key-55")
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        let error = #expect(throws: PodAPIError.self) { try YottaCLIConfig.load(path: path) }
        #expect(error?.message.contains("chmod 600") == true && error?.message.contains("secret-key-55") == false)
    }

    @Test("plain http only to loopback")
    func httpOnlyLoopback() throws {
        #expect(try ConnectionResolver.validateBaseURL("http://127.0.0.1:8080").port == 8080)
        #expect(try ConnectionResolver.validateBaseURL("http://localhost:1").host == "localhost")
        #expect(try ConnectionResolver.validateBaseURL("http://[::1]:8080").port == 8080)
        #expect(throws: PodAPIError.self) { try ConnectionResolver.validateBaseURL("http://api.yottalabs.ai") }
        #expect(throws: PodAPIError.self) { try ConnectionResolver.validateBaseURL("http://10.0.0.1") }
        #expect(throws: PodAPIError.self) { try ConnectionResolver.validateBaseURL("ftp://x") }
    }

    @Test("the key never prints")
    func redaction() {
        let key = APIKey("super-secret-key")
        #expect("\(key)" == "<redacted>" && String(reflecting: key) == "<redacted>")
    }
}
