import Foundation
import Testing
@testable import PodAPI

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

    @Test("profiles from config.toml; an inline key needs an owner-only file")
    func profiles() throws {
        let dir = try tempDir()
        let text = """
        # podtui config
        default_profile = "dev"
        [profiles.dev]
        base_url = "https://api.dev.yottalabs.ai"
        api_key = "inline-key-123"
        read_only = true

        [profiles.prod]
        base_url = "https://api.yottalabs.ai"
        """
        try write(text, to: dir + "/config.toml", mode: 0o644)
        #expect(throws: PodAPIError.self) { try ConfigFile.load(path: dir + "/config.toml") }
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: dir + "/config.toml")
        let config = try ConfigFile.load(path: dir + "/config.toml")
        let dev = try ConnectionResolver.resolve(flags: .init(), environment: [:], config: config)
        #expect(dev.profileName == "dev" && dev.readOnly && dev.apiKey.secret == "inline-key-123")
        let missing = #expect(throws: PodAPIError.self) { try ConnectionResolver.resolve(flags: .init(profile: "nope"), environment: [:], config: config) }
        #expect(missing?.message.contains("known: dev, prod") == true)
    }

    @Test("a bad config names the line")
    func badConfig() throws {
        let dir = try tempDir()
        try write("[profiles.a]\nbase_url = https://x\n", to: dir + "/config.toml", mode: 0o600)
        let error = #expect(throws: PodAPIError.self) { try ConfigFile.load(path: dir + "/config.toml") }
        #expect(error?.message.contains("line 2") == true)
        #expect(try ConfigFile.load(path: dir + "/absent.toml").profiles.isEmpty)
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

    @Test("TOML subset")
    func toml() throws {
        let doc = try TOMLLite.parse("a = 1\nb = 'lit'\nc = [\"x\", \"y\"] # c\n[t.u]\nd = true\ne = 2.5\n")
        #expect(doc["a"] == .integer(1) && doc["b"] == .string("lit") && doc["c"] == .array([.string("x"), .string("y")]))
        #expect(doc["t"]?.table?["u"]?.table?["d"] == .bool(true))
        #expect(throws: TOMLLite.ParseError(line: 2, message: "a is set twice")) { try TOMLLite.parse("a = 1\na = 2") }
    }
}
