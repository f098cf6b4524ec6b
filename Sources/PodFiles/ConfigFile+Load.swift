import FoundationEssentials
import PodAPI

extension ConfigFile {
    /// A sentence for the first screen when only the old TOML file exists, else nil.
    public static func legacyNotice(environment: [String: String]) -> String? {
        let dir = directory(environment: environment)
        guard !FileManager.default.fileExists(atPath: dir + "/" + fileName),
              FileManager.default.fileExists(atPath: dir + "/" + legacyFileName) else { return nil }
        return "\(dir)/\(legacyFileName) is no longer read: podtui's settings are now YAML; write the same keys to \(dir)/\(fileName) (see the README)"
    }

    /// Reads and checks a config file. A missing file gives an empty config.
    /// - Throws: `PodAPIError.configuration` naming the line and field, or an unsafe mode.
    public static func load(path: String) throws -> ConfigFile {
        guard FileManager.default.fileExists(atPath: path) else { return ConfigFile(path: nil) }
        try FilePermissions.checkDirectory(of: path)
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw PodAPIError.configuration("Cannot read \(path): \(String(describing: error))")
        }
        let (config, hasInlineKey) = try parse(text, path: path)
        try FilePermissions.checkConfig(path: path, holdsSecret: hasInlineKey)
        return config
    }
}
