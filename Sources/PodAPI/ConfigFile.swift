import FoundationEssentials
import Libc

/// One named connection profile from the config file.
public struct Profile: Sendable, Equatable {
    public var name: String
    public var baseURL: String?
    /// Path of a file holding the key (owner-only permissions required).
    public var keyFile: String?
    /// A key written inline; allowed only when the config file itself is owner-only.
    public var apiKey: APIKey?
    /// Refuse create, pause, resume and delete.
    public var readOnly: Bool

    public init(name: String, baseURL: String? = nil, keyFile: String? = nil, apiKey: APIKey? = nil, readOnly: Bool = false) {
        self.name = name; self.baseURL = baseURL; self.keyFile = keyFile; self.apiKey = apiKey; self.readOnly = readOnly
    }
}

/// The parsed `$XDG_CONFIG_HOME/podtui/config.yaml` (read with libyaml). Unknown sections are
/// kept for the UI settings (`raw`); connection settings are read here.
public struct ConfigFile: Sendable, Equatable {
    public var path: String?
    public var defaultProfile: String?
    public var profiles: [String: Profile]
    /// The whole document, for settings other layers read (theme, keys, columns).
    public var raw: [String: ConfigValue]
    /// The line of every key by dotted path, for errors that name the line.
    public var lines: [String: Int] = [:]

    public init(path: String? = nil, defaultProfile: String? = nil, profiles: [String: Profile] = [:], raw: [String: ConfigValue] = [:]) {
        self.path = path; self.defaultProfile = defaultProfile; self.profiles = profiles; self.raw = raw
    }

    /// The config directory: `$XDG_CONFIG_HOME/podtui`, else `~/.config/podtui`.
    public static func directory(environment: [String: String]) -> String {
        if let xdg = environment["XDG_CONFIG_HOME"], !xdg.isEmpty { return xdg + "/podtui" }
        let home = environment["HOME"] ?? HomeDirectory.path(environment: ProcessInfo.processInfo.environment)
        return home + "/.config/podtui"
    }

    /// The settings file's name inside `directory`.
    public static let fileName = "config.yaml"
    /// The file podtui 0.1 read; it is no longer read (see `legacyNotice`).
    public static let legacyFileName = "config.toml"

    /// `directory/config.yaml`.
    public static func path(environment: [String: String]) -> String {
        directory(environment: environment) + "/" + fileName
    }

    /// Reads the text of a config file (`path` names it in errors); `hasInlineKey` says
    /// whether a profile holds an `api_key`, for the file's permission check.
    /// - Throws: `PodAPIError.configuration` naming the line and field.
    public static func parse(_ text: String, path: String) throws -> (config: ConfigFile, hasInlineKey: Bool) {
        let root: [String: ConfigValue]
        var lines: [String: Int] = [:]
        do { root = try YAMLReader.parse(text, lines: &lines) } catch {
            throw PodAPIError.configuration("\(path): \(error)")
        }
        var config = ConfigFile(path: path, raw: root)
        config.lines = lines
        if let value = root["default_profile"] {
            guard let name = value.string else { throw PodAPIError.configuration("\(path): default_profile must be a string") }
            config.defaultProfile = name
        }
        var hasInlineKey = false
        if let profiles = root["profiles"] {
            guard let table = profiles.table else { throw PodAPIError.configuration("\(path): profiles must be a mapping (profiles: NAME: …)") }
            for (name, value) in table {
                guard let fields = value.table else { throw PodAPIError.configuration("\(path)\(Self.at(lines, "profiles." + name)): profiles.\(name) must be a mapping of settings") }
                var profile = Profile(name: name)
                for (key, field) in fields {
                    let where_ = "\(path)\(Self.at(lines, "profiles.\(name).\(key)")): profiles.\(name).\(key)"
                    switch key {
                    case "base_url":
                        guard let s = field.string else { throw PodAPIError.configuration("\(where_) must be a string") }
                        profile.baseURL = s
                    case "key_file":
                        guard let s = field.string else { throw PodAPIError.configuration("\(where_) must be a string") }
                        profile.keyFile = s
                    case "api_key":
                        guard let s = field.string else { throw PodAPIError.configuration("\(where_) must be a string") }
                        profile.apiKey = APIKey(s)
                        hasInlineKey = true
                    case "read_only":
                        guard let b = field.bool else { throw PodAPIError.configuration("\(where_) must be true or false") }
                        profile.readOnly = b
                    default:
                        throw PodAPIError.configuration("\(where_): unknown setting (known: base_url, key_file, api_key, read_only)")
                    }
                }
                config.profiles[name] = profile
            }
        }
        return (config, hasInlineKey)
    }

    /// ` line N` for a key path, or "".
    static func at(_ lines: [String: Int], _ path: String) -> String {
        lines[path].map { " line \($0)" } ?? ""
    }
}
