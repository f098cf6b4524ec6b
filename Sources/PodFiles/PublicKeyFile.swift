import FoundationEssentials
import Libc
import PodAPI

/// Reading the user's ssh public key for `pods create --ssh-key` and the create form:
/// a regular file (never a FIFO or device that could block), at most
/// `SSHPublicKey.sizeLimit` bytes, holding one public key line.
public enum PublicKeyFile {
    /// The first of `~/.ssh/id_ed25519.pub`, `id_ecdsa.pub`, `id_rsa.pub` that exists.
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        let home = HomeDirectory.path(environment: environment)
        return SSHPublicKey.defaultFiles.map { home + "/.ssh/" + $0 }.first { path in
            var info = stat()
            return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
        }
    }

    /// `path` as the user would write it: the home directory as `~` (what the create form
    /// shows and a template keeps, so it still works on another machine or account).
    public static func display(_ path: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let home = HomeDirectory.path(environment: environment)
        guard home != "/", path.hasPrefix(home + "/") else { return path }
        return "~" + path.dropFirst(home.count)
    }

    /// `~/x` with the home directory; other paths as they are.
    public static func expand(_ path: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        guard path == "~" || path.hasPrefix("~/") else { return path }
        return HomeDirectory.path(environment: environment) + path.dropFirst()
    }

    /// The key line of the file at `path` (`~` expanded), or a configuration error naming
    /// the file and what is wrong with it.
    public static func read(_ path: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String {
        let full = expand(path, environment: environment)
        var info = stat()
        guard stat(full, &info) == 0 else {
            throw PodAPIError.configuration("ssh key \(path): \(String(cString: strerror(errno)))")
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw PodAPIError.configuration("ssh key \(path): not a regular file")
        }
        let text: String
        do {
            guard let read = try AtomicFile.readText(full, limit: SSHPublicKey.sizeLimit) else {
                throw PodAPIError.configuration("ssh key \(path): no such file")
            }
            text = read
        } catch let error as DiskError {
            throw PodAPIError.configuration("ssh key \(path): \(error.message)")
        }
        switch SSHPublicKey.line(from: text) {
        case .success(let line): return line
        case .failure(let problem): throw PodAPIError.configuration("ssh key \(path) was not sent: \(problem.reason)")
        }
    }

    /// `request` with a `PUBLIC_KEY` that names a key file (`@PATH`, as templates keep it)
    /// replaced by that file's key line.
    public static func resolve(_ request: PodV2CreateRequest, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> PodV2CreateRequest {
        var r = request
        r.environmentVars = try r.environmentVars?.map { item in
            guard item.key == SSHPublicKey.environmentKey, let path = SSHPublicKey.referencedPath(item.value) else { return item }
            return EnvVar(key: item.key, value: try read(path, environment: environment))
        }
        return r
    }
}
