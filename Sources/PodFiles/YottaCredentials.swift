import FoundationEssentials
import PodAPI
import Libc

/// `~/.yotta/credentials`: the login file SkyPilot's Yotta provider reads, plain `key=value`
/// lines with `apikey=` and `orgId=`. podtui reads it as its lowest-precedence login, below
/// `~/.yotta/config`, so a machine set up for SkyPilot works without `podtui configure`.
/// podtui never writes it (it is SkyPilot's file).
///
/// The reader is lenient where a hand-edited file differs: spaces around `=`, `#` and `;`
/// comment lines, CRLF line ends, a byte-order mark, a value in matching quotes, keys in any
/// case, unknown keys and lines without `=` ignored. It is strict where safety is at stake: a
/// file that exists but cannot be read is an error naming it (never "no file"), as is one
/// larger than `maxBytes`, one that is not a regular file, or one others can read.
public struct YottaCredentials: Sendable, Equatable {
    /// The API key (`apikey=`); nil when the file has none.
    public var apiKey: APIKey?
    /// The organisation (`orgId=`); podtui does not send it (the v2 API knows the org from
    /// the key), it is kept so a message can say which login this is.
    public var orgID: String?
    /// The file read; nil when there was none.
    public var path: String?

    /// The largest file read: a login is two short lines, and a huge file (or `/dev/zero`
    /// linked there) must not be read into memory.
    public static let maxBytes = 64 * 1024

    /// What `keySource` and messages call this source.
    public static let sourceName = "~/.yotta/credentials"

    public init(apiKey: APIKey? = nil, orgID: String? = nil, path: String? = nil) {
        self.apiKey = apiKey; self.orgID = orgID; self.path = path
    }

    /// `$HOME/.yotta/credentials`, where SkyPilot keeps it.
    public static func defaultPath(environment: [String: String]) -> String {
        HomeDirectory.path(environment: environment) + "/.yotta/credentials"
    }

    /// Parses the text of the file; never fails (unknown lines are ignored).
    public static func parse(_ text: String) -> YottaCredentials {
        var found = YottaCredentials()
        var body = Substring(text)
        if body.first == "\u{FEFF}" { body = body.dropFirst() }
        // Split on "\n" and "\r" separately: Swift treats "\r\n" as one Character, so
        // splitting on "\n" alone would leave CRLF lines whole.
        for rawLine in body.unicodeScalars.split(whereSeparator: { $0 == "\n" || $0 == "\r" }) {
            let line = Substring(rawLine).trimmed
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            guard let split = line.firstIndex(of: "=") else { continue }
            let key = line[..<split].trimmed.lowercased()
            var value = line[line.index(after: split)...].trimmed
            if value.count >= 2, let first = value.first, first == "\"" || first == "'", value.last == first {
                value = value.dropFirst().dropLast().trimmed
            }
            switch key {
            case "apikey", "api_key": found.apiKey = value.isEmpty ? nil : APIKey(value)
            case "orgid", "org_id": found.orgID = value.isEmpty ? nil : value
            default: continue
            }
        }
        return found
    }

    /// Reads the file; a missing file is an empty login. The key is registered with
    /// `Secrets` by the caller that uses it, never printed here.
    /// - Throws: `PodAPIError.configuration` naming the path (never the key) when the file
    ///   exists but cannot be read, is not a regular file, is too large, is not UTF-8, sits in
    ///   a folder others can write to, or holds a key others can read.
    public static func load(path: String) throws -> YottaCredentials {
        var info = stat()
        if lstat(path, &info) != 0 {
            let code = Libc.errno
            if code == ENOENT { return YottaCredentials() }
            throw PodAPIError.configuration("Cannot read \(path): \(String(cString: strerror(code)))")
        }
        // A symlink (a dotfile manager's) is followed; what it points to must be a file.
        if info.st_mode & S_IFMT == S_IFLNK, stat(path, &info) != 0 {
            throw PodAPIError.configuration("Cannot read \(path): \(String(cString: strerror(Libc.errno)))")
        }
        guard info.st_mode & S_IFMT == S_IFREG else {
            throw PodAPIError.configuration("\(path) is not a regular file; move it aside (it is read as SkyPilot's Yotta login)")
        }
        guard info.st_size <= maxBytes else {
            throw PodAPIError.configuration("\(path) is larger than \(maxBytes / 1024) KiB; a login file is two short lines (apikey=, orgId=)")
        }
        let read: String?
        do { read = try AtomicFile.readText(path, limit: maxBytes) } catch {
            throw PodAPIError.configuration((error as? DiskError)?.message ?? "Cannot read \(path)")
        }
        guard let text = read else { return YottaCredentials() }
        try FilePermissions.checkDirectory(of: path)
        var credentials = parse(text)
        credentials.path = path
        if credentials.apiKey != nil {
            if let mode = FilePermissions.mode(of: path), mode & 0o077 != 0 {
                throw PodAPIError.configuration("\(path) holds an apikey but is accessible by others (mode \(String(mode & 0o777, radix: 8))); run: chmod 600 \(path)")
            }
        }
        return credentials
    }
}
