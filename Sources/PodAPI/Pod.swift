import FoundationEssentials
import Libc

/// A pod as the v2 API returns it (`PodV2Response`): the data of create, get and each list item.
///
/// Only `id` is required (an int64 from a JSON number or a digit string). Everything else is
/// read leniently: a field that is missing, null or of an unexpected type is left nil (a
/// missing status is `.unknown("")`), so a pod the server returns is never lost while it has
/// an id. The official CLI makes `name` optional and CPU pods have no `gpuType`. Unknown keys
/// are ignored. Encoding writes the v2 wire names, with timestamps as epoch milliseconds and
/// `environmentVars` for the variables.
public struct Pod: Sendable, Hashable, Codable, Identifiable {
    public var id: Int64
    /// Nil when the pod has none (`yotta pods create` makes `--name` optional).
    public var name: String?
    public var status: PodStatus
    /// Nil for CPU pods (`resourceType: "CPU"`, `gpuType: null`).
    public var gpuType: String?
    public var image: String?
    public var imageRegistry: String?
    public var gpuDisplayName: String?
    public var gpuCount: Int?
    public var createdAt: Date?
    public var updatedAt: Date?
    public var sshCmd: String?
    public var resourceType: String?
    public var region: String?
    public var cloudType: String?
    public var containerVolumeInGb: Int?
    public var persistentVolumeInGb: Int?
    public var persistentMountPath: String?
    public var shmInGb: Int?
    public var singleCardVramInGb: Int?
    public var singleCardRamInGb: Int?
    public var singleCardVcpu: Int?
    /// Price of one card per hour, in US dollars, when the API reports it.
    public var singleCardPrice: Double?
    public var envVars: [EnvVar]?
    public var expose: [ExposedPort]?
    public var initializationCommand: String?
    public var internalIp: String?
    public var imagePublicType: String?
    public var containerRegistryAuthId: Int64?
    /// Volumes attached at create (`persistentVolumes`), when the server reports them.
    public var persistentVolumes: [VolumeAttachment]?

    public init(
        id: Int64, name: String?, status: PodStatus, gpuType: String?,
        image: String? = nil, imageRegistry: String? = nil, gpuDisplayName: String? = nil,
        gpuCount: Int? = nil, createdAt: Date? = nil, updatedAt: Date? = nil, sshCmd: String? = nil,
        resourceType: String? = nil, region: String? = nil, cloudType: String? = nil,
        containerVolumeInGb: Int? = nil, persistentVolumeInGb: Int? = nil, persistentMountPath: String? = nil,
        shmInGb: Int? = nil, singleCardVramInGb: Int? = nil, singleCardRamInGb: Int? = nil,
        singleCardVcpu: Int? = nil, singleCardPrice: Double? = nil, envVars: [EnvVar]? = nil,
        expose: [ExposedPort]? = nil, initializationCommand: String? = nil, internalIp: String? = nil,
        imagePublicType: String? = nil, containerRegistryAuthId: Int64? = nil,
        persistentVolumes: [VolumeAttachment]? = nil
    ) {
        self.persistentVolumes = persistentVolumes
        self.id = id; self.name = name; self.status = status; self.gpuType = gpuType
        self.image = image; self.imageRegistry = imageRegistry; self.gpuDisplayName = gpuDisplayName
        self.gpuCount = gpuCount; self.createdAt = createdAt; self.updatedAt = updatedAt; self.sshCmd = sshCmd
        self.resourceType = resourceType; self.region = region; self.cloudType = cloudType
        self.containerVolumeInGb = containerVolumeInGb; self.persistentVolumeInGb = persistentVolumeInGb
        self.persistentMountPath = persistentMountPath; self.shmInGb = shmInGb
        self.singleCardVramInGb = singleCardVramInGb; self.singleCardRamInGb = singleCardRamInGb
        self.singleCardVcpu = singleCardVcpu; self.singleCardPrice = singleCardPrice; self.envVars = envVars
        self.expose = expose; self.initializationCommand = initializationCommand; self.internalIp = internalIp
        self.imagePublicType = imagePublicType; self.containerRegistryAuthId = containerRegistryAuthId
    }

    /// Price per hour for the whole pod (card price × count), when known.
    public var pricePerHour: Double? {
        guard let price = singleCardPrice else { return nil }
        return price * Double(max(gpuCount ?? 1, 1))
    }

    /// A readable GPU name: the API's display name, else one derived from the type code;
    /// `CPU` for a CPU pod (or any pod without a GPU type).
    public var gpuName: String {
        if let gpuDisplayName, !gpuDisplayName.isEmpty { return gpuDisplayName }
        if let gpuType, !gpuType.isEmpty { return GPUCatalog.displayName(for: gpuType) }
        return isCPU ? "CPU" : "-"
    }

    /// True for a CPU pod: `resourceType` CPU, or no resource type and no GPU named at all.
    public var isCPU: Bool {
        if let type = resourceType?.uppercased(), !type.isEmpty { return type == "CPU" }
        return (gpuType ?? "").isEmpty && (gpuDisplayName ?? "").isEmpty
    }

    /// True when the pod has no name (absent, null or blank).
    public var isUnnamed: Bool { (name ?? "").trimmed.isEmpty }

    /// What to call the pod in a sentence: its name, or `pod ID` when it has none.
    public var label: String { isUnnamed ? "pod \(id)" : (name ?? "") }

    /// The name, or "" when there is none (for filtering and sorting).
    public var nameOrEmpty: String { name ?? "" }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, name, status, gpuType, image, imageRegistry, gpuDisplayName, gpuCount, createdAt, updatedAt
        case sshCmd, resourceType, region, cloudType, containerVolumeInGb, persistentVolumeInGb, persistentMountPath
        case shmInGb, singleCardVramInGb, singleCardRamInGb, singleCardVcpu, singleCardPrice, envVars
        case environmentVars, expose, initializationCommand, internalIp, podInternalIp, imagePublicType
        case containerRegistryAuthId, persistentVolumes
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decodeInt64(forKey: .id)
        name = c.decodeLenientString(forKey: .name)
        status = (try? c.decodeIfPresent(PodStatus.self, forKey: .status)) ?? .unknown("")
        gpuType = c.decodeLenientString(forKey: .gpuType)
        image = c.decodeLenientString(forKey: .image)
        imageRegistry = c.decodeLenientString(forKey: .imageRegistry)
        gpuDisplayName = c.decodeLenientString(forKey: .gpuDisplayName)
        gpuCount = c.decodeLenientInt(forKey: .gpuCount)
        createdAt = c.decodeTimestamp(forKey: .createdAt)
        updatedAt = c.decodeTimestamp(forKey: .updatedAt)
        sshCmd = c.decodeLenientString(forKey: .sshCmd)
        resourceType = c.decodeLenientString(forKey: .resourceType)
        region = c.decodeLenientString(forKey: .region)
        cloudType = c.decodeLenientString(forKey: .cloudType)
        containerVolumeInGb = c.decodeLenientInt(forKey: .containerVolumeInGb)
        persistentVolumeInGb = c.decodeLenientInt(forKey: .persistentVolumeInGb)
        persistentMountPath = c.decodeLenientString(forKey: .persistentMountPath)
        shmInGb = c.decodeLenientInt(forKey: .shmInGb)
        singleCardVramInGb = c.decodeLenientInt(forKey: .singleCardVramInGb)
        singleCardRamInGb = c.decodeLenientInt(forKey: .singleCardRamInGb)
        singleCardVcpu = c.decodeLenientInt(forKey: .singleCardVcpu)
        singleCardPrice = c.decodeMoney(forKey: .singleCardPrice)
        // Item by item: one odd variable or port never loses the others (or the pod).
        envVars = (try? c.decodeIfPresent(LossyArray<EnvVar>.self, forKey: .envVars))?.elements
            ?? (try? c.decodeIfPresent(LossyArray<EnvVar>.self, forKey: .environmentVars))?.elements
        expose = (try? c.decodeIfPresent(LossyArray<ExposedPort>.self, forKey: .expose))?.elements
        initializationCommand = c.decodeLenientString(forKey: .initializationCommand)
        internalIp = c.decodeLenientString(forKey: .internalIp) ?? c.decodeLenientString(forKey: .podInternalIp)
        imagePublicType = c.decodeLenientString(forKey: .imagePublicType)
        containerRegistryAuthId = c.decodeInt64IfPresent(forKey: .containerRegistryAuthId)
        persistentVolumes = (try? c.decodeIfPresent(LossyArray<VolumeAttachment>.self, forKey: .persistentVolumes))?.elements
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(name, forKey: .name)          // null when absent: the pod is still listed
        try c.encode(status, forKey: .status)
        try c.encode(gpuType, forKey: .gpuType)
        try c.encodeIfPresent(image, forKey: .image)
        try c.encodeIfPresent(imageRegistry, forKey: .imageRegistry)
        try c.encodeIfPresent(gpuDisplayName, forKey: .gpuDisplayName)
        try c.encodeIfPresent(gpuCount, forKey: .gpuCount)
        try c.encodeIfPresent(createdAt.map(Timestamp.milliseconds), forKey: .createdAt)
        try c.encodeIfPresent(updatedAt.map(Timestamp.milliseconds), forKey: .updatedAt)
        try c.encode(sshCmd, forKey: .sshCmd)
        try c.encodeIfPresent(resourceType, forKey: .resourceType)
        try c.encodeIfPresent(region, forKey: .region)
        try c.encodeIfPresent(cloudType, forKey: .cloudType)
        try c.encodeIfPresent(containerVolumeInGb, forKey: .containerVolumeInGb)
        try c.encodeIfPresent(persistentVolumeInGb, forKey: .persistentVolumeInGb)
        try c.encodeIfPresent(persistentMountPath, forKey: .persistentMountPath)
        try c.encodeIfPresent(shmInGb, forKey: .shmInGb)
        try c.encodeIfPresent(singleCardVramInGb, forKey: .singleCardVramInGb)
        try c.encodeIfPresent(singleCardRamInGb, forKey: .singleCardRamInGb)
        try c.encodeIfPresent(singleCardVcpu, forKey: .singleCardVcpu)
        try c.encodeIfPresent(singleCardPrice, forKey: .singleCardPrice)
        try c.encodeIfPresent(envVars, forKey: .environmentVars)
        try c.encodeIfPresent(expose, forKey: .expose)
        try c.encodeIfPresent(initializationCommand, forKey: .initializationCommand)
        try c.encodeIfPresent(internalIp, forKey: .internalIp)
        try c.encodeIfPresent(imagePublicType, forKey: .imagePublicType)
        try c.encodeIfPresent(containerRegistryAuthId, forKey: .containerRegistryAuthId)
        try c.encodeIfPresent(persistentVolumes, forKey: .persistentVolumes)
    }
}

/// One environment variable (`{key, value}`).
public struct EnvVar: Sendable, Hashable, Codable {
    public var key: String
    public var value: String
    public init(key: String, value: String) { self.key = key; self.value = value }

    enum CodingKeys: String, CodingKey, CaseIterable { case key, value }
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        key = try c.decode(String.self, forKey: .key)
        value = c.decodeLenientString(forKey: .value) ?? ""
    }
}

/// A port the pod exposes, with what the platform reports about it.
public struct ExposedPort: Sendable, Hashable, Codable {
    public var port: Int
    /// `HTTP`, `TCP` or `SSH`; compared case-insensitively.
    public var `protocol`: String
    public var proxyPort: Int?
    public var host: String?
    public var healthy: Bool?
    public var ingressUrl: String?
    public var serviceName: String?

    public init(port: Int, protocol: String, proxyPort: Int? = nil, host: String? = nil,
                healthy: Bool? = nil, ingressUrl: String? = nil, serviceName: String? = nil) {
        self.port = port; self.protocol = `protocol`; self.proxyPort = proxyPort; self.host = host
        self.healthy = healthy; self.ingressUrl = ingressUrl; self.serviceName = serviceName
    }

    /// A port number as TCP has them (1-65535); anything else from the API is unknown.
    static func valid(_ port: Int) -> Int? { (1...65_535).contains(port) ? port : nil }

    enum CodingKeys: String, CodingKey, CaseIterable { case port, `protocol`, proxyPort, host, healthy, ingressUrl, serviceName }
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        guard let port = c.decodeLenientInt(forKey: .port).flatMap(Self.valid) else {
            throw DecodingError.keyNotFound(CodingKeys.port, .init(codingPath: c.codingPath, debugDescription: "expose item without a port in 1-65535"))
        }
        self.port = port
        self.protocol = c.decodeLenientString(forKey: .protocol) ?? "TCP"
        proxyPort = c.decodeLenientInt(forKey: .proxyPort).flatMap(Self.valid)
        host = c.decodeLenientString(forKey: .host)
        healthy = try? c.decodeIfPresent(Bool.self, forKey: .healthy)
        ingressUrl = c.decodeLenientString(forKey: .ingressUrl)
        serviceName = c.decodeLenientString(forKey: .serviceName)
    }
}
