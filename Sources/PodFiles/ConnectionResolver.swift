import FoundationEssentials
import PodAPI
import Libc

/// Connection settings given on the command line.
public struct ConnectionFlags: Sendable, Equatable {
    public var baseURL: String?
    public var apiKeyFile: String?
    public var profile: String?
    public init(baseURL: String? = nil, apiKeyFile: String? = nil, profile: String? = nil) {
        self.baseURL = baseURL; self.apiKeyFile = apiKeyFile; self.profile = profile
    }
}

/// Where podtui will connect, and with what key, after flags, environment and profile.
public struct ResolvedConnection: Sendable {
    public var baseURL: URL
    public var apiKey: APIKey
    public var profileName: String?
    public var readOnly: Bool
    /// Where the key came from, for `--verbose`-style messages (never the key itself).
    public var keySource: String
}

/// Resolves the connection: flags first, then `YOTTA_API_KEY` / `YOTTA_BASE_URL` (the names
/// the official `yotta` CLI reads), then the chosen podtui profile, then the same-named section
/// of `~/.yotta/config` (the official CLI's login, `[default]` when no profile is chosen), then
/// the production default; a key last from `~/.yotta/credentials` (SkyPilot's login).
public enum ConnectionResolver {
    /// The production API.
    public static let defaultBaseURL = YottaAPI.defaultBaseURL

    /// - Parameter shared: reads `~/.yotta/config`; called only when a value is still missing,
    ///   so a login given by flags or environment works whatever that file holds.
    /// - Parameter credentials: reads `~/.yotta/credentials`; called only when no other
    ///   source gave a key. Its key goes only where an environment key would: to the default
    ///   API or a URL given by `--base-url`/`YOTTA_BASE_URL`, never to a profile's URL.
    public static func resolve(flags: ConnectionFlags, environment: [String: String], config: ConfigFile,
                               shared: () throws -> YottaCLIConfig = { YottaCLIConfig() },
                               credentials: () throws -> YottaCredentials = { YottaCredentials() }) throws -> ResolvedConnection {
        let profileName = flags.profile ?? nonEmpty(environment["PODTUI_PROFILE"]) ?? config.defaultProfile
        let profile = profileName.flatMap { config.profiles[$0] }
        let section = profileName ?? "default"
        var loaded: YottaCLIConfig?
        func sharedConfig() throws -> YottaCLIConfig {
            if let loaded { return loaded }
            let made = try shared()
            loaded = made
            return made
        }
        if let profileName, profile == nil, !(try sharedConfig().has(section: profileName)) {
            let known = config.profiles.keys.sorted()
            let sharedKnown = (try? sharedConfig().profileNames) ?? []
            var text = "No profile named \(profileName)"
            text += known.isEmpty ? " (podtui's config defines none" : "; podtui's config has: \(known.joined(separator: ", "))"
            text += sharedKnown.isEmpty ? (known.isEmpty ? ", and ~/.yotta/config none)" : "") : (known.isEmpty ? "); " : "; ") + "~/.yotta/config has: \(sharedKnown.joined(separator: ", "))"
            throw PodAPIError.configuration(text)
        }
        let sharedName = "~/.yotta/config [\(section)]"
        var urlText = flags.baseURL ?? nonEmpty(environment["YOTTA_BASE_URL"]) ?? profile?.baseURL
        // Where the URL came from: a key from the environment goes only to a URL the user
        // chose the same way (a flag or YOTTA_BASE_URL) or to the default API, never to a
        // URL a profile names (a staging server, a local proxy) without being asked.
        var urlSource = flags.baseURL != nil ? "--base-url" : nonEmpty(environment["YOTTA_BASE_URL"]) != nil ? "YOTTA_BASE_URL"
            : profile?.baseURL != nil ? "profile \(profile?.name ?? "")'s base_url" : nil
        if urlText == nil {
            urlText = try sharedConfig().value("base_url", in: section)
            if urlText != nil { urlSource = sharedName + " base_url" }
        }
        let url = try validateBaseURL(urlText ?? defaultBaseURL)
        let envKey = nonEmpty(environment["YOTTA_API_KEY"])
        let urlFromProfile = (urlSource.map { $0 != "--base-url" && $0 != "YOTTA_BASE_URL" } ?? false)
            && EndpointKey.of(url) != EndpointKey.of(URL(string: defaultBaseURL))
        let allowEnvKey = urlFromProfile ? nonEmpty(environment["PODTUI_ENV_KEY_ANYWHERE"]) == "1" : true

        let key: APIKey
        let source: String
        if let file = flags.apiKeyFile {
            key = try readKeyFile(file); source = "--api-key-file"
        } else if let env = envKey, allowEnvKey {
            key = APIKey(env); source = "YOTTA_API_KEY"
        } else if envKey != nil, profile?.keyFile == nil, profile?.apiKey == nil,
                  (try sharedConfig().value("api_key", in: section)) == nil {
            // The profile names a URL but no key of its own: refuse rather than send the
            // environment's key there.
            throw PodAPIError.configuration("YOTTA_API_KEY is not sent to \(url.absoluteString) (from \(urlSource ?? "the profile")): "
                + "give that profile its own key_file, or say so with YOTTA_BASE_URL=\(url.absoluteString) (or --base-url), "
                + "or PODTUI_ENV_KEY_ANYWHERE=1")
        } else if let file = profile?.keyFile {
            key = try readKeyFile(expandTilde(file, environment: environment)); source = "profile \(profile?.name ?? "") key_file"
        } else if let inline = profile?.apiKey {
            key = inline; source = "profile \(profile?.name ?? "") api_key"
        } else if let sharedKey = try sharedConfig().value("api_key", in: section) {
            key = APIKey(sharedKey); source = sharedName
        } else if let skyKey = try credentials().apiKey {
            // SkyPilot's login is for Yotta's API: like an environment key it is not sent to
            // a URL a profile or ~/.yotta/config names unless the user says so.
            guard allowEnvKey else {
                throw PodAPIError.configuration("The key in \(YottaCredentials.sourceName) is not sent to \(url.absoluteString) (from \(urlSource ?? "the profile")): "
                    + "give that profile its own key_file, or say so with YOTTA_BASE_URL=\(url.absoluteString) (or --base-url), "
                    + "or PODTUI_ENV_KEY_ANYWHERE=1")
            }
            key = skyKey; source = YottaCredentials.sourceName
        } else {
            throw PodAPIError.configuration("No API key: run podtui configure (or yotta configure), set YOTTA_API_KEY, pass --api-key-file FILE, or add a profile to \(ConfigFile.directory(environment: environment))/\(ConfigFile.fileName) (or try --demo)")
        }
        return ResolvedConnection(baseURL: url, apiKey: key, profileName: profile?.name ?? profileName,
                                  readOnly: profile?.readOnly ?? false, keySource: source)
    }

    /// Accepts https anywhere and http only for loopback hosts.
    public static func validateBaseURL(_ text: String) throws -> URL {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), let host = url.host, !host.isEmpty else {
            throw PodAPIError.configuration("Invalid base URL \"\(text)\": expected https://HOST")
        }
        switch scheme {
        case "https": return url
        case "http":
            guard isLoopback(host) else {
                throw PodAPIError.configuration("Refusing plain http:// to \(host): the API key would cross the network unencrypted; use https://")
            }
            return url
        default:
            throw PodAPIError.configuration("Invalid base URL \"\(text)\": scheme must be https")
        }
    }

    /// True for localhost, 127.0.0.0/8 and ::1.
    public static func isLoopback(_ host: String) -> Bool {
        let h = host.lowercased().trimmed(of: ["[", "]"])
        if h == "localhost" || h == "::1" || h == "0:0:0:0:0:0:0:1" { return true }
        let parts = h.split(separator: ".")
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
    }

    /// Reads a key file after checking it is owner-only; the first line is the key.
    public static func readKeyFile(_ path: String) throws -> APIKey {
        try FilePermissions.checkKeyFile(path: path)
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw PodAPIError.configuration("Cannot read the key file \(path)")
        }
        let key = text.split(whereSeparator: \.isNewline).first.map { $0.trimmed } ?? ""
        guard !key.isEmpty else { throw PodAPIError.configuration("The key file \(path) is empty") }
        return APIKey(key)
    }

    static func expandTilde(_ path: String, environment: [String: String]) -> String {
        guard path.hasPrefix("~/") else { return path }
        return (environment["HOME"] ?? HomeDirectory.path(environment: ProcessInfo.processInfo.environment)) + path.dropFirst()
    }

    private static func nonEmpty(_ s: String?) -> String? { (s?.isEmpty ?? true) ? nil : s }
}

