import PodAPI

/// The simulator's own checks of a `POST /v2/pods` body, written from the API reference (§3.1)
/// as a server would apply them: on the raw JSON, one field at a time, first problem wins.
/// Deliberately not `CreateRequestValidator`: the client's rules may be wrong, and a server
/// with its own rules is what lets the tests find out.
enum SimCreateRules {
    /// The first problem as the server's `"field: problem"` message, or the request to create.
    static func check(_ body: SimJSON, quirks: SimQuirks, credentials: Set<Int64>) -> Result<PodV2CreateRequest, Refusal> {
        guard case .object = body else { return .failure(Refusal("body", "must be a JSON object")) }

        // name: required by the API guide, optional for the official SDK (quirk).
        var name = ""
        if let value = body["name"] {
            guard let text = value.string else { return .failure(Refusal("name", "must be a string")) }
            name = text
        }
        let trimmedName = name.trimmingCharacters(in: .whitespaces)
        if trimmedName.isEmpty && (quirks.names == .required || body["name"] != nil) {
            return .failure(Refusal("name", quirks.names == .required ? "is required" : "must not be blank"))
        }
        if name.count > 255 { return .failure(Refusal("name", "length must be between 1 and 255")) }

        guard let image = body["image"]?.string, !image.trimmingCharacters(in: .whitespaces).isEmpty else {
            return .failure(Refusal("image", "is required"))
        }
        if image.count > 255 { return .failure(Refusal("image", "length must be between 1 and 255")) }

        let resource = (body["resourceType"]?.string ?? "GPU").uppercased()
        guard resource == "GPU" || resource == "CPU" else { return .failure(Refusal("resourceType", "must be GPU or CPU")) }

        let gpuType = body["gpuType"]?.string ?? ""
        var gpuCount: Int64?
        if resource == "GPU" {
            guard !gpuType.isEmpty else { return .failure(Refusal("gpuType", "is required")) }
            guard let offer = SeedData.offer(for: gpuType) else { return .failure(Refusal("gpuType", "unknown GPU type \(gpuType)")) }
            guard let count = body["gpuCount"]?.integer else { return .failure(Refusal("gpuCount", "is required for a GPU pod")) }
            guard count > 0, count & (count - 1) == 0 else { return .failure(Refusal("gpuCount", "must be a power of 2")) }
            gpuCount = count
            if let regions = body["regions"]?.array {
                let names = regions.compactMap(\.string)
                guard names.count == regions.count else { return .failure(Refusal("regions", "must be strings")) }
                guard Set(names).count == names.count else { return .failure(Refusal("regions", "must not repeat a region")) }
                if !names.isEmpty, !names.contains(where: { region in offer.regions.contains { $0.0 == region && $0.1 } }) {
                    return .failure(Refusal("regions", "\(gpuType) is not available in \(names.joined(separator: ", "))"))
                }
            }
        } else {
            gpuCount = body["gpuCount"]?.integer
        }

        if let registry = body["imageRegistry"], (registry.string?.count ?? 256) > 255 {
            return .failure(Refusal("imageRegistry", "length must be at most 255"))
        }
        if let type = body["imagePublicType"] {
            guard let text = type.string, ["PUBLIC", "PRIVATE"].contains(text.uppercased()) else {
                return .failure(Refusal("imagePublicType", "must be PUBLIC or PRIVATE"))
            }
        }
        var authID: Int64?
        if let auth = body["containerRegistryAuthId"] {
            guard let id = auth.integer, credentials.contains(id) else {
                return .failure(Refusal("containerRegistryAuthId", "no credential \(auth.integer.map(String.init) ?? "with that id")"))
            }
            authID = id
        }
        for (field, range) in [("minSingleCardVramInGb", 0...1536), ("minSingleCardRamInGb", 0...1536), ("minSingleCardVcpu", 0...1024),
                               ("shmInGb", 0...4096), ("containerVolumeInGb", 1...10240), ("persistentVolumeInGb", 0...10240)] {
            if let value = body[field] {
                guard let n = value.integer, range.contains(Int(n)) else {
                    return .failure(Refusal(field, "must be an integer between \(range.lowerBound) and \(range.upperBound)"))
                }
            }
        }
        if (body["persistentVolumeInGb"]?.integer ?? 0) > 0, (body["persistentMountPath"]?.string ?? "").isEmpty {
            return .failure(Refusal("persistentMountPath", "is required with persistentVolumeInGb"))
        }
        var env: [EnvVar] = []
        for (i, item) in (body["environmentVars"]?.array ?? []).enumerated() {
            guard let key = item["key"]?.string, !key.isEmpty else { return .failure(Refusal("environmentVars[\(i)].key", "is required")) }
            env.append(EnvVar(key: key, value: item["value"]?.string ?? ""))
        }
        var ports: [PortSpec] = []
        for (i, item) in (body["expose"]?.array ?? []).enumerated() {
            guard let port = item["port"]?.integer, (1...65535).contains(port) else {
                return .failure(Refusal("expose[\(i)].port", "must be between 1 and 65535"))
            }
            // Any case: the guide writes http/tcp, v1 and real pods HTTP/SSH/TCP.
            let proto = item["protocol"]?.string ?? "tcp"
            guard ["HTTP", "HTTPS", "TCP", "SSH"].contains(proto.uppercased()) else {
                return .failure(Refusal("expose[\(i)].protocol", "must be http, tcp or ssh"))
            }
            ports.append(PortSpec(port: Int(port), protocol: proto))
        }
        var volumes: [VolumeAttachment] = []
        for (i, item) in (body["persistentVolumes"]?.array ?? []).enumerated() {
            guard let id = item["volumeId"]?.integer, id > 0 else { return .failure(Refusal("persistentVolumes[\(i)].volumeId", "is required")) }
            guard let path = item["mountPath"]?.string, path.hasPrefix("/") else {
                return .failure(Refusal("persistentVolumes[\(i)].mountPath", "must be an absolute path"))
            }
            volumes.append(VolumeAttachment(volumeId: id, mountPath: path, needBackup: item["needBackup"]?.bool))
        }

        func int(_ key: String) -> Int? { body[key]?.integer.map { Int($0) } }
        var request = PodV2CreateRequest(name: trimmedName.isEmpty ? "" : name, image: image, gpuType: gpuType)
        request.gpuCount = gpuCount.map { Int($0) }
        request.regions = body["regions"]?.array?.compactMap(\.string)
        request.imageRegistry = body["imageRegistry"]?.string
        request.containerRegistryAuthId = authID
        request.imagePublicType = body["imagePublicType"]?.string?.uppercased()
        request.resourceType = resource
        request.minSingleCardVramInGb = int("minSingleCardVramInGb")
        request.minSingleCardRamInGb = int("minSingleCardRamInGb")
        request.minSingleCardVcpu = int("minSingleCardVcpu")
        request.shmInGb = int("shmInGb")
        request.containerVolumeInGb = int("containerVolumeInGb")
        request.persistentVolumeInGb = int("persistentVolumeInGb")
        request.persistentMountPath = body["persistentMountPath"]?.string
        request.initializationCommand = body["initializationCommand"]?.string
        request.environmentVars = env.isEmpty ? nil : env
        request.expose = ports.isEmpty ? nil : ports
        request.persistentVolumes = volumes.isEmpty ? nil : volumes
        return .success(request)
    }

    /// A refused field, as the server's 10001 message names it.
    struct Refusal: Error {
        var field: String
        var problem: String
        init(_ field: String, _ problem: String) { self.field = field; self.problem = problem }
        var message: String { "\(field): \(problem)" }
    }
}
