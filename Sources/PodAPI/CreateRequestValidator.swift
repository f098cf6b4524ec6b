import FoundationEssentials
import Libc

/// One problem with one field of a create request.
public struct FieldError: Sendable, Hashable, CustomStringConvertible {
    /// The wire name of the field, with an index for list items (`expose[1].port`).
    public var field: String
    /// What is wrong, in words a person can act on.
    public var message: String

    public init(field: String, message: String) { self.field = field; self.message = message }
    public var description: String { "\(field): \(message)" }
}

/// The create-request rules, mirroring the server's (and the SDKs') checks. The CLI, the
/// create form and the simulator all call this one function, so there is one source of rules.
public enum CreateRequestValidator {
    /// The protocols `expose` accepts.
    public static let protocols = ["HTTP", "TCP", "SSH"]
    /// Upper bound the API documents for per-card minimums (VRAM, RAM).
    public static let maxPerCardGB = 1536

    /// Every field error at once, in field order; empty when the request is valid.
    public static func validate(_ r: PodV2CreateRequest) -> [FieldError] {
        var errors: [FieldError] = []
        func check(_ ok: Bool, _ field: String, _ message: String) {
            if !ok { errors.append(FieldError(field: field, message: message)) }
        }
        check(!r.name.trimmed.isEmpty, "name", "is required")
        check(r.name.count <= 255, "name", "must be at most 255 characters (has \(r.name.count))")
        check(!r.name.unicodeScalars.contains { $0.properties.generalCategory == .control }, "name", "must not contain control characters")
        check(!r.image.trimmed.isEmpty, "image", "is required")
        check(r.image.count <= 255, "image", "must be at most 255 characters (has \(r.image.count))")
        check(!r.image.contains(" "), "image", "must not contain spaces")
        let resource = (r.resourceType ?? "GPU").uppercased()
        // A CPU pod has no GPU type (the API returns gpuType null for them).
        if resource != "CPU" { check(!r.gpuType.trimmed.isEmpty, "gpuType", "is required") }
        check(["GPU", "CPU"].contains(resource), "resourceType", "must be GPU or CPU")
        if resource == "GPU" {
            if let count = r.gpuCount {
                check(isPowerOfTwo(count), "gpuCount", "must be a power of two: 1, 2, 4, 8…")
            } else {
                errors.append(FieldError(field: "gpuCount", message: "is required for a GPU pod"))
            }
        } else if let count = r.gpuCount {
            check(count >= 0, "gpuCount", "must not be negative")
        }
        if let regions = r.regions {
            check(Set(regions).count == regions.count, "regions", "must not list a region twice")
            check(!regions.contains { $0.trimmed.isEmpty }, "regions", "must not contain an empty region")
        }
        if let registry = r.imageRegistry { check(registry.count <= 255, "imageRegistry", "must be at most 255 characters") }
        if let type = r.imagePublicType { check(["PUBLIC", "PRIVATE"].contains(type.uppercased()), "imagePublicType", "must be PUBLIC or PRIVATE") }
        if let id = r.containerRegistryAuthId { check(id > 0, "containerRegistryAuthId", "must be a positive id") }
        if let v = r.minSingleCardVramInGb { check((0...maxPerCardGB).contains(v), "minSingleCardVramInGb", "must be between 0 and \(maxPerCardGB) GB") }
        if let v = r.minSingleCardRamInGb { check((0...maxPerCardGB).contains(v), "minSingleCardRamInGb", "must be between 0 and \(maxPerCardGB) GB") }
        if let v = r.minSingleCardVcpu { check((0...1024).contains(v), "minSingleCardVcpu", "must be between 0 and 1024") }
        if let v = r.shmInGb { check((0...4096).contains(v), "shmInGb", "must be between 0 and 4096 GB") }
        if let v = r.containerVolumeInGb { check((1...10240).contains(v), "containerVolumeInGb", "must be between 1 and 10240 GB") }
        if let v = r.persistentVolumeInGb {
            check((0...10240).contains(v), "persistentVolumeInGb", "must be between 0 and 10240 GB")
            if v > 0 {
                check(!(r.persistentMountPath ?? "").isEmpty, "persistentMountPath", "is required when a persistent volume size is set")
            }
        }
        if let path = r.persistentMountPath, !path.isEmpty {
            check(path.hasPrefix("/"), "persistentMountPath", "must be an absolute path starting with /")
        }
        if let env = r.environmentVars {
            var seen = Set<String>()
            for (i, item) in env.enumerated() {
                if item.key.isEmpty {
                    errors.append(FieldError(field: "environmentVars[\(i)].key", message: "must not be empty"))
                } else if !seen.insert(item.key).inserted {
                    errors.append(FieldError(field: "environmentVars[\(i)].key", message: "\(item.key) is set twice"))
                } else if item.key.contains("=") || item.key.contains(" ") {
                    errors.append(FieldError(field: "environmentVars[\(i)].key", message: "must not contain '=' or spaces"))
                }
            }
        }
        if let ports = r.expose {
            var seen = Set<Int>()
            for (i, item) in ports.enumerated() {
                if !(1...65535).contains(item.port) {
                    errors.append(FieldError(field: "expose[\(i)].port", message: "must be between 1 and 65535"))
                } else if !seen.insert(item.port).inserted {
                    errors.append(FieldError(field: "expose[\(i)].port", message: "port \(item.port) is exposed twice"))
                }
                if !protocols.contains(item.protocol.uppercased()) {
                    errors.append(FieldError(field: "expose[\(i)].protocol", message: "must be HTTP, TCP or SSH"))
                }
            }
        }
        if let volumes = r.persistentVolumes {
            var paths = Set<String>()
            for (i, item) in volumes.enumerated() {
                if item.volumeId <= 0 { errors.append(FieldError(field: "persistentVolumes[\(i)].volumeId", message: "must be a positive id")) }
                if !item.mountPath.hasPrefix("/") {
                    errors.append(FieldError(field: "persistentVolumes[\(i)].mountPath", message: "must be an absolute path starting with /"))
                } else if !paths.insert(item.mountPath).inserted {
                    errors.append(FieldError(field: "persistentVolumes[\(i)].mountPath", message: "\(item.mountPath) is used twice"))
                }
            }
        }
        return errors
    }

    /// True for 1, 2, 4, 8, …
    public static func isPowerOfTwo(_ n: Int) -> Bool { n > 0 && (n & (n - 1)) == 0 }
}
