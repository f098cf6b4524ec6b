import FoundationEssentials
import Libc
import PodAPI

/// Saved create forms: `$XDG_CONFIG_HOME/podtui/templates/NAME.json`, each a create request
/// as `podtui pods create --from-file` reads it. Secrets are never written: a secret env
/// value is saved as the reference `"$KEY"` (filled from the environment, or by the user in
/// the form), and the registry password is left out.
public struct TemplateStore: Sendable {
    public let directory: String
    public init(directory: String) { self.directory = directory }

    /// `config-dir/templates`.
    public static func directory(configDirectory: String) -> String { configDirectory + "/templates" }

    /// A name that is a safe file name: letters, digits, `.`, `_`, `-`; 1–64 of them.
    public static func isValid(name: String) -> Bool {
        !name.isEmpty && name.count <= 64 && !name.hasPrefix(".")
            && name.unicodeScalars.allSatisfy { $0.isASCII && (ASCII.isAlphanumeric($0) || "._-".unicodeScalars.contains($0)) }
    }

    /// The reference a secret value is saved as.
    public static func reference(_ key: String) -> String { "$" + key }

    /// Template names, sorted.
    public func names() -> [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return files.filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }.filter(Self.isValid).sorted()
    }

    /// Writes a template; env values whose key is in `secretKeys` become references.
    public func save(_ name: String, request: PodV2CreateRequest, secretKeys: Set<String>) throws {
        guard Self.isValid(name: name) else {
            throw PodAPIError.configuration("Template names are letters, digits, '.', '_' and '-' (got \"\(name)\")")
        }
        var r = request
        r.environmentVars = r.environmentVars?.map { secretKeys.contains($0.key) ? EnvVar(key: $0.key, value: Self.reference($0.key)) : $0 }
        r.imageRegistryPassword = nil
        let encoder = JSONEncoder.api
        encoder.outputFormatting.insert(.prettyPrinted)
        let text = String(decoding: try encoder.encode(r), as: UTF8.self) + "\n"
        try StateDirectory.ensure(directory)
        try LocalFile.replace(directory + "/" + name + ".json", with: text)
    }

    /// Reads a template, and the env keys it holds as references.
    public func load(_ name: String) throws -> (request: PodV2CreateRequest, references: [String]) {
        guard Self.isValid(name: name) else { throw PodAPIError.configuration("No template named \(name)") }
        let path = directory + "/" + name + ".json"
        // A file that exists but cannot be read (permission, not UTF-8) says so; only a
        // missing one is "no template".
        guard let text = try LocalFile.read(path) else {
            let known = names()
            throw PodAPIError.configuration("No template named \(name)" + (known.isEmpty ? " (none saved yet: F3 in the create form saves one)" : "; saved: \(known.joined(separator: ", "))"))
        }
        do {
            let request = try JSONDecoder().decode(PodV2CreateRequest.self, from: Data(text.utf8))
            let refs = (request.environmentVars ?? []).filter { $0.value == Self.reference($0.key) }.map(\.key)
            return (request, refs)
        } catch {
            throw PodAPIError.configuration("\(path): \(DecodingReason.describe(error))")
        }
    }
}

/// ASCII letters and digits (Foundation's CharacterSet is not in FoundationEssentials).
enum ASCII {
    static func isAlphanumeric(_ s: Unicode.Scalar) -> Bool {
        (s >= "a" && s <= "z") || (s >= "A" && s <= "Z") || (s >= "0" && s <= "9")
    }
}
