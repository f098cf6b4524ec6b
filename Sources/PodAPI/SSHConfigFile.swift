import FoundationEssentials
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes podtui's marked block into an OpenSSH config file: only the text between podtui's
/// own markers is ever changed; the file is created owner-only if missing (its folder 0700),
/// written atomically (a temporary file renamed over it), and the previous version is kept
/// beside it as `config.podtui.bak`.
public enum SSHConfigFile {
    /// `~/.ssh/config` for this user.
    public static func defaultPath(environment env: [String: String] = ProcessInfo.processInfo.environment) -> String {
        (env["HOME"] ?? HomeDirectory.path(environment: ProcessInfo.processInfo.environment)) + "/.ssh/config"
    }

    /// Replaces podtui's block in the file at `path` with what `merge` makes of it.
    /// - Returns: the path written.
    @discardableResult
    public static func write(path: String, merge: (String?) -> String) throws -> String {
        let fm = FileManager.default
        let url = URL(fileURLWithPath: path)
        let dir = url.deletingLastPathComponent().path
        if !fm.fileExists(atPath: dir) {
            try fm.createDirectory(atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        let existing = try? String(contentsOfFile: path, encoding: .utf8)
        let mode = FilePermissions.mode(of: path) ?? 0o600
        if let existing {
            let backup = dir + "/config.podtui.bak"
            try? fm.removeItem(atPath: backup)
            try Data(existing.utf8).write(to: URL(fileURLWithPath: backup))
            _ = chmod(backup, mode_t(mode))
        }
        let temp = dir + "/.config.podtui.\(getpid()).tmp"
        guard fm.createFile(atPath: temp, contents: Data(merge(existing).utf8), attributes: [.posixPermissions: mode]) else {
            throw PodAPIError.configuration("Cannot write \(temp)")
        }
        guard rename(temp, path) == 0 else {
            let why = String(cString: strerror(errno))
            try? fm.removeItem(atPath: temp)
            throw PodAPIError.configuration("Cannot replace \(path): \(why)")
        }
        return path
    }
}
