import FoundationEssentials
import PodAPI
import Libc

/// Writes podtui's marked block into an OpenSSH config file: only the bytes between podtui's
/// own markers are ever changed; the file is created owner-only if missing (its folder
/// 0700), written atomically (`AtomicFile`), and the previous version is kept beside it as
/// `config.podtui.bak` (written, with the file's mode, before the file is replaced). A file
/// that exists but cannot be read stops the write; a symlinked config is written through to
/// its target and the link kept.
public enum SSHConfigFile {
    /// `~/.ssh/config` for this user.
    public static func defaultPath(environment env: [String: String] = ProcessInfo.processInfo.environment) -> String {
        (env["HOME"] ?? HomeDirectory.path(environment: ProcessInfo.processInfo.environment)) + "/.ssh/config"
    }

    /// Replaces podtui's block in the file at `path` with what `merge` makes of the file's
    /// bytes (nil when there is no file).
    /// - Returns: the path written (the symlink's target when `path` is a symlink).
    @discardableResult
    public static func write(path: String, bytes merge: ([UInt8]?) throws -> [UInt8]) throws -> String {
        let target = try AtomicFile.writeTarget(path)
        // The folder of the path asked for (~/.ssh), where the backup goes even when the
        // file is a link into a dotfiles checkout.
        let slash = path.lastIndex(of: "/")
        let dir = slash.map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "."
        var info = stat()
        if stat(dir, &info) != 0 {
            try PrivateDirectory.ensure(dir)
        } else if dir == defaultDirectory(of: path) {
            // ~/.ssh itself: ssh refuses one others can write to, and so does podtui.
            try PrivateDirectory.check(dir)
        }
        // Only a missing file is "none"; anything else unreadable stops here.
        let existing = try AtomicFile.readBytes(target)
        let mode = mode_t(FilePermissions.mode(of: target) ?? 0o600) & 0o777
        let merged = try merge(existing)
        if let existing {
            try AtomicFile.write(existing, to: dir + "/config.podtui.bak", mode: 0o600)
        }
        try AtomicFile.write(merged, to: target, mode: mode)
        return target
    }

    /// The same for a merge over text: a file that is not UTF-8 is an error (use the bytes
    /// form to keep such a file).
    @discardableResult
    public static func write(path: String, merge: (String?) throws -> String) throws -> String {
        try write(path: path) { (bytes: [UInt8]?) throws -> [UInt8] in
            let text = try bytes.map { b -> String in
                guard let text = String(validating: b, as: UTF8.self) else {
                    throw DiskError(path: path, "\(path) is not UTF-8 text: nothing was written")
                }
                return text
            }
            return Array(try merge(text).utf8)
        }
    }

    /// The folder of the default `~/.ssh/config`, when `path` is it.
    private static func defaultDirectory(of path: String) -> String? {
        path == defaultPath() ? String(path.dropLast("/config".count)) : nil
    }
}
