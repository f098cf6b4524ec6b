import FoundationEssentials
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
/// the official `yotta` CLI reads), then the chosen profile, then the production default.
public enum ConnectionResolver {
    /// The production API.
    public static let defaultBaseURL = "https://api.yottalabs.ai"

    public static func resolve(flags: ConnectionFlags, environment: [String: String], config: ConfigFile) throws -> ResolvedConnection {
        let profileName = flags.profile ?? environment["PODTUI_PROFILE"] ?? config.defaultProfile
        var profile: Profile?
        if let profileName {
            guard let found = config.profiles[profileName] else {
                let known = config.profiles.keys.sorted()
                throw PodAPIError.configuration("No profile named \(profileName)" + (known.isEmpty ? " (the config file defines none)" : "; known: \(known.joined(separator: ", "))"))
            }
            profile = found
        }
        let urlText = flags.baseURL ?? nonEmpty(environment["YOTTA_BASE_URL"]) ?? profile?.baseURL ?? defaultBaseURL
        let url = try validateBaseURL(urlText)

        let key: APIKey
        let source: String
        if let file = flags.apiKeyFile {
            key = try readKeyFile(file); source = "--api-key-file"
        } else if let env = nonEmpty(environment["YOTTA_API_KEY"]) {
            key = APIKey(env); source = "YOTTA_API_KEY"
        } else if let file = profile?.keyFile {
            key = try readKeyFile(expandTilde(file, environment: environment)); source = "profile \(profile?.name ?? "") key_file"
        } else if let inline = profile?.apiKey {
            key = inline; source = "profile \(profile?.name ?? "") api_key"
        } else {
            throw PodAPIError.configuration("No API key: set YOTTA_API_KEY, pass --api-key-file FILE, or add a profile to \(ConfigFile.directory(environment: environment))/config.toml (or try --demo)")
        }
        return ResolvedConnection(baseURL: url, apiKey: key, profileName: profile?.name, readOnly: profile?.readOnly ?? false, keySource: source)
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
