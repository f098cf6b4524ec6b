import FoundationEssentials
import Libc
import PodAPI

/// ssh-style permission checks for files that hold or steer secrets.
public enum FilePermissions {
    /// The permission bits of a file, or nil if it cannot be read.
    public static func mode(of path: String) -> Int? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return Int(info.st_mode & 0o7777)
    }

    /// Refuses a key file that group or others can read or write.
    public static func checkKeyFile(path: String) throws {
        guard let mode = mode(of: path) else { throw PodAPIError.configuration("Cannot read the key file \(path)") }
        if mode & 0o077 != 0 {
            throw PodAPIError.configuration(
                "Key file \(path) is accessible by others (mode \(String(mode & 0o777, radix: 8))); run: chmod 600 \(path)")
        }
    }

    /// The folder holding a config file must be the user's and not writable by others:
    /// whoever can write there can swap the file for one pointing at their server.
    public static func checkDirectory(of path: String) throws {
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "."
        do { try PrivateDirectory.check(directory) } catch let error as DiskError {
            throw PodAPIError.configuration("Config \(path) is not safe to read: \(error.message)")
        }
    }

    /// A config holding an inline key must be owner-only; any config must not be writable by
    /// group or others (someone could point it at their own server).
    public static func checkConfig(path: String, holdsSecret: Bool) throws {
        guard let mode = mode(of: path) else { return }
        let octal = String(mode & 0o777, radix: 8)
        if holdsSecret && mode & 0o077 != 0 {
            throw PodAPIError.configuration("Config \(path) holds an api_key but is readable by others (mode \(octal)); run: chmod 600 \(path)")
        }
        if mode & 0o022 != 0 {
            throw PodAPIError.configuration("Config \(path) is writable by others (mode \(octal)); run: chmod 600 \(path)")
        }
    }
}
