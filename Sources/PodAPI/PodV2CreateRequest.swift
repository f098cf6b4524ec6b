/// The body of `POST /v2/pods`: every field of the v2 create request.
///
/// Optional fields that are nil are left out of the JSON, as the official SDKs do.
public struct PodV2CreateRequest: Sendable, Hashable, Codable {
    public var name: String
    public var image: String
    public var gpuType: String
    public var gpuCount: Int?
    /// Acceptable regions; the scheduler picks one. Empty means any.
    public var regions: [String]?
    public var imageRegistry: String?
    public var containerRegistryAuthId: Int64?
    /// `PUBLIC` or `PRIVATE`.
    public var imagePublicType: String?
    /// `GPU` or `CPU`.
    public var resourceType: String?
    public var minSingleCardVramInGb: Int?
    public var minSingleCardRamInGb: Int?
    public var minSingleCardVcpu: Int?
    public var shmInGb: Int?
    public var containerVolumeInGb: Int?
    public var persistentVolumeInGb: Int?
    public var persistentMountPath: String?
    public var initializationCommand: String?
    public var environmentVars: [EnvVar]?
    public var expose: [PortSpec]?
    public var persistentVolumes: [VolumeAttachment]?
    /// Deprecated by the API in favour of `containerRegistryAuthId`; still accepted.
    public var imageRegistryUsername: String?
    /// Deprecated by the API in favour of `containerRegistryAuthId`; never logged or shown.
    public var imageRegistryPassword: String?

    public init(
        name: String, image: String, gpuType: String, gpuCount: Int? = nil, regions: [String]? = nil,
        imageRegistry: String? = nil, containerRegistryAuthId: Int64? = nil, imagePublicType: String? = nil,
        resourceType: String? = nil, minSingleCardVramInGb: Int? = nil, minSingleCardRamInGb: Int? = nil,
        minSingleCardVcpu: Int? = nil, shmInGb: Int? = nil, containerVolumeInGb: Int? = nil,
        persistentVolumeInGb: Int? = nil, persistentMountPath: String? = nil, initializationCommand: String? = nil,
        environmentVars: [EnvVar]? = nil, expose: [PortSpec]? = nil, persistentVolumes: [VolumeAttachment]? = nil,
        imageRegistryUsername: String? = nil, imageRegistryPassword: String? = nil
    ) {
        self.name = name; self.image = image; self.gpuType = gpuType; self.gpuCount = gpuCount
        self.regions = regions; self.imageRegistry = imageRegistry; self.containerRegistryAuthId = containerRegistryAuthId
        self.imagePublicType = imagePublicType; self.resourceType = resourceType
        self.minSingleCardVramInGb = minSingleCardVramInGb; self.minSingleCardRamInGb = minSingleCardRamInGb
        self.minSingleCardVcpu = minSingleCardVcpu; self.shmInGb = shmInGb; self.containerVolumeInGb = containerVolumeInGb
        self.persistentVolumeInGb = persistentVolumeInGb; self.persistentMountPath = persistentMountPath
        self.initializationCommand = initializationCommand; self.environmentVars = environmentVars
        self.expose = expose; self.persistentVolumes = persistentVolumes
        self.imageRegistryUsername = imageRegistryUsername; self.imageRegistryPassword = imageRegistryPassword
    }

    /// True when the request asks for GPUs (the default resource type).
    public var isGPU: Bool { (resourceType ?? "GPU").uppercased() == "GPU" }

    enum CodingKeys: String, CodingKey {
        case name, image, gpuType, gpuCount, regions, imageRegistry, containerRegistryAuthId, imagePublicType, resourceType
        case minSingleCardVramInGb, minSingleCardRamInGb, minSingleCardVcpu, shmInGb, containerVolumeInGb
        case persistentVolumeInGb, persistentMountPath, initializationCommand, environmentVars, expose, persistentVolumes
        case imageRegistryUsername, imageRegistryPassword
    }

    /// Reads what `encode` writes: `gpuType` (left out for a CPU pod), `name` and `image`
    /// may be absent (then empty, for the validator to name), everything else as written.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decodeIfPresent(String.self, forKey: .name) ?? ""
        image = try c.decodeIfPresent(String.self, forKey: .image) ?? ""
        gpuType = try c.decodeIfPresent(String.self, forKey: .gpuType) ?? ""
        gpuCount = try c.decodeIfPresent(Int.self, forKey: .gpuCount)
        regions = try c.decodeIfPresent([String].self, forKey: .regions)
        imageRegistry = try c.decodeIfPresent(String.self, forKey: .imageRegistry)
        containerRegistryAuthId = try c.decodeIfPresent(Int64.self, forKey: .containerRegistryAuthId)
        imagePublicType = try c.decodeIfPresent(String.self, forKey: .imagePublicType)
        resourceType = try c.decodeIfPresent(String.self, forKey: .resourceType)
        minSingleCardVramInGb = try c.decodeIfPresent(Int.self, forKey: .minSingleCardVramInGb)
        minSingleCardRamInGb = try c.decodeIfPresent(Int.self, forKey: .minSingleCardRamInGb)
        minSingleCardVcpu = try c.decodeIfPresent(Int.self, forKey: .minSingleCardVcpu)
        shmInGb = try c.decodeIfPresent(Int.self, forKey: .shmInGb)
        containerVolumeInGb = try c.decodeIfPresent(Int.self, forKey: .containerVolumeInGb)
        persistentVolumeInGb = try c.decodeIfPresent(Int.self, forKey: .persistentVolumeInGb)
        persistentMountPath = try c.decodeIfPresent(String.self, forKey: .persistentMountPath)
        initializationCommand = try c.decodeIfPresent(String.self, forKey: .initializationCommand)
        environmentVars = try c.decodeIfPresent([EnvVar].self, forKey: .environmentVars)
        expose = try c.decodeIfPresent([PortSpec].self, forKey: .expose)
        persistentVolumes = try c.decodeIfPresent([VolumeAttachment].self, forKey: .persistentVolumes)
        imageRegistryUsername = try c.decodeIfPresent(String.self, forKey: .imageRegistryUsername)
        imageRegistryPassword = try c.decodeIfPresent(String.self, forKey: .imageRegistryPassword)
    }

    /// Nil fields are left out, as the SDKs do; so is an empty `gpuType` (a CPU pod has none).
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(image, forKey: .image)
        if !gpuType.isEmpty { try c.encode(gpuType, forKey: .gpuType) }
        try c.encodeIfPresent(gpuCount, forKey: .gpuCount)
        try c.encodeIfPresent(regions, forKey: .regions)
        try c.encodeIfPresent(imageRegistry, forKey: .imageRegistry)
        try c.encodeIfPresent(containerRegistryAuthId, forKey: .containerRegistryAuthId)
        try c.encodeIfPresent(imagePublicType, forKey: .imagePublicType)
        try c.encodeIfPresent(resourceType, forKey: .resourceType)
        try c.encodeIfPresent(minSingleCardVramInGb, forKey: .minSingleCardVramInGb)
        try c.encodeIfPresent(minSingleCardRamInGb, forKey: .minSingleCardRamInGb)
        try c.encodeIfPresent(minSingleCardVcpu, forKey: .minSingleCardVcpu)
        try c.encodeIfPresent(shmInGb, forKey: .shmInGb)
        try c.encodeIfPresent(containerVolumeInGb, forKey: .containerVolumeInGb)
        try c.encodeIfPresent(persistentVolumeInGb, forKey: .persistentVolumeInGb)
        try c.encodeIfPresent(persistentMountPath, forKey: .persistentMountPath)
        try c.encodeIfPresent(initializationCommand, forKey: .initializationCommand)
        try c.encodeIfPresent(environmentVars, forKey: .environmentVars)
        try c.encodeIfPresent(expose, forKey: .expose)
        try c.encodeIfPresent(persistentVolumes, forKey: .persistentVolumes)
        try c.encodeIfPresent(imageRegistryUsername, forKey: .imageRegistryUsername)
        try c.encodeIfPresent(imageRegistryPassword, forKey: .imageRegistryPassword)
    }
}

/// A port to expose: `{port, protocol}`.
public struct PortSpec: Sendable, Hashable, Codable {
    public var port: Int
    /// `http`, `tcp` or `ssh`, in any case; always sent lower-case, as the API guide's
    /// request example writes it (servers compare it case-insensitively, we expect).
    public var `protocol`: String
    public init(port: Int, protocol: String) { self.port = port; self.protocol = `protocol` }

    /// Parses `PORT` or `PORT/PROTO` (protocol defaults to tcp). Nil when malformed.
    public init?(parsing text: String) {
        let parts = text.split(separator: "/", maxSplits: 1).map(String.init)
        guard let first = parts.first, let port = Int(first) else { return nil }
        self.port = port
        self.protocol = parts.count > 1 ? parts[1].lowercased() : "tcp"
    }

    enum CodingKeys: String, CodingKey { case port, `protocol` }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        port = try c.decode(Int.self, forKey: .port)
        self.protocol = (try c.decodeIfPresent(String.self, forKey: .protocol)) ?? "tcp"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(port, forKey: .port)
        try c.encode(self.protocol.lowercased(), forKey: .protocol)
    }
}

/// An existing persistent volume to attach: `{volumeId, mountPath, needBackup}`.
public struct VolumeAttachment: Sendable, Hashable, Codable {
    public var volumeId: Int64
    public var mountPath: String
    public var needBackup: Bool?
    public init(volumeId: Int64, mountPath: String, needBackup: Bool? = nil) {
        self.volumeId = volumeId; self.mountPath = mountPath; self.needBackup = needBackup
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case volumeId, mountPath, needBackup }
    /// Lenient like `Pod`: the id may be a digit string, a missing path is "".
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        volumeId = try c.decodeInt64(forKey: .volumeId)
        mountPath = c.decodeLenientString(forKey: .mountPath) ?? ""
        needBackup = try? c.decodeIfPresent(Bool.self, forKey: .needBackup)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(volumeId, forKey: .volumeId)
        try c.encode(mountPath, forKey: .mountPath)
        try c.encodeIfPresent(needBackup, forKey: .needBackup)
    }
}
