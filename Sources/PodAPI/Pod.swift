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
    /// The fields, in one immutable box that every copy of the pod shares: a list keeps
    /// 10,000 pods and the memo of the last reply the same ones, and copying a pod (into a
    /// new reply's list, a view, a state snapshot) is one reference count, not 29 fields and
    /// a retain of each string. Changing a field makes a new box (rare: a reply makes new
    /// pods whole); two pods with the same box are equal without comparing fields.
    private var box: Box

    /// The stored fields (what `Pod` exposes one by one).
    struct Fields: Sendable, Hashable {
        var id: Int64 = 0
        var name: String? = nil
        var status: PodStatus = .unknown("")
        var gpuType: String? = nil
        var image: String? = nil
        var imageRegistry: String? = nil
        var gpuDisplayName: String? = nil
        var gpuCount: Int? = nil
        var createdAt: Date? = nil
        var updatedAt: Date? = nil
        var sshCmd: String? = nil
        var resourceType: String? = nil
        var region: String? = nil
        var cloudType: String? = nil
        var containerVolumeInGb: Int? = nil
        var persistentVolumeInGb: Int? = nil
        var persistentMountPath: String? = nil
        var shmInGb: Int? = nil
        var singleCardVramInGb: Int? = nil
        var singleCardRamInGb: Int? = nil
        var singleCardVcpu: Int? = nil
        var singleCardPrice: Double? = nil
        var envVars: [EnvVar]? = nil
        var expose: [ExposedPort]? = nil
        var initializationCommand: String? = nil
        var internalIp: String? = nil
        var imagePublicType: String? = nil
        var containerRegistryAuthId: Int64? = nil
        var persistentVolumes: [VolumeAttachment]? = nil
    }

    /// The box: immutable, so it is `Sendable` by the compiler's own check and may be shared
    /// by any number of pods on any threads.
    final class Box: Sendable {
        let fields: Fields
        init(_ fields: Fields) { self.fields = fields }
    }

    /// A pod made of its fields (the list decoder fills them in place, then boxes them once).
    init(_ fields: Fields) { box = Box(fields) }

    /// The fields, to change: a new box with the change, so no other copy sees it.
    private var fields: Fields {
        get { box.fields }
        set { box = Box(newValue) }
    }

    public var id: Int64 { get { box.fields.id } set { fields.id = newValue } }
    /// Nil when the pod has none (`yotta pods create` makes `--name` optional).
    public var name: String? { get { box.fields.name } set { fields.name = newValue } }
    public var status: PodStatus { get { box.fields.status } set { fields.status = newValue } }
    /// Nil for CPU pods (`resourceType: "CPU"`, `gpuType: null`).
    public var gpuType: String? { get { box.fields.gpuType } set { fields.gpuType = newValue } }
    public var image: String? { get { box.fields.image } set { fields.image = newValue } }
    public var imageRegistry: String? { get { box.fields.imageRegistry } set { fields.imageRegistry = newValue } }
    public var gpuDisplayName: String? { get { box.fields.gpuDisplayName } set { fields.gpuDisplayName = newValue } }
    public var gpuCount: Int? { get { box.fields.gpuCount } set { fields.gpuCount = newValue } }
    public var createdAt: Date? { get { box.fields.createdAt } set { fields.createdAt = newValue } }
    public var updatedAt: Date? { get { box.fields.updatedAt } set { fields.updatedAt = newValue } }
    public var sshCmd: String? { get { box.fields.sshCmd } set { fields.sshCmd = newValue } }
    public var resourceType: String? { get { box.fields.resourceType } set { fields.resourceType = newValue } }
    public var region: String? { get { box.fields.region } set { fields.region = newValue } }
    public var cloudType: String? { get { box.fields.cloudType } set { fields.cloudType = newValue } }
    public var containerVolumeInGb: Int? { get { box.fields.containerVolumeInGb } set { fields.containerVolumeInGb = newValue } }
    public var persistentVolumeInGb: Int? { get { box.fields.persistentVolumeInGb } set { fields.persistentVolumeInGb = newValue } }
    public var persistentMountPath: String? { get { box.fields.persistentMountPath } set { fields.persistentMountPath = newValue } }
    public var shmInGb: Int? { get { box.fields.shmInGb } set { fields.shmInGb = newValue } }
    public var singleCardVramInGb: Int? { get { box.fields.singleCardVramInGb } set { fields.singleCardVramInGb = newValue } }
    public var singleCardRamInGb: Int? { get { box.fields.singleCardRamInGb } set { fields.singleCardRamInGb = newValue } }
    public var singleCardVcpu: Int? { get { box.fields.singleCardVcpu } set { fields.singleCardVcpu = newValue } }
    /// Price of one card per hour, in US dollars, when the API reports it.
    public var singleCardPrice: Double? { get { box.fields.singleCardPrice } set { fields.singleCardPrice = newValue } }
    public var envVars: [EnvVar]? { get { box.fields.envVars } set { fields.envVars = newValue } }
    public var expose: [ExposedPort]? { get { box.fields.expose } set { fields.expose = newValue } }
    public var initializationCommand: String? { get { box.fields.initializationCommand } set { fields.initializationCommand = newValue } }
    public var internalIp: String? { get { box.fields.internalIp } set { fields.internalIp = newValue } }
    public var imagePublicType: String? { get { box.fields.imagePublicType } set { fields.imagePublicType = newValue } }
    public var containerRegistryAuthId: Int64? { get { box.fields.containerRegistryAuthId } set { fields.containerRegistryAuthId = newValue } }
    /// Volumes attached at create (`persistentVolumes`), when the server reports them.
    public var persistentVolumes: [VolumeAttachment]? { get { box.fields.persistentVolumes } set { fields.persistentVolumes = newValue } }

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
        var f = Fields()
        f.persistentVolumes = persistentVolumes
        f.id = id; f.name = name; f.status = status; f.gpuType = gpuType
        f.image = image; f.imageRegistry = imageRegistry; f.gpuDisplayName = gpuDisplayName
        f.gpuCount = gpuCount; f.createdAt = createdAt; f.updatedAt = updatedAt; f.sshCmd = sshCmd
        f.resourceType = resourceType; f.region = region; f.cloudType = cloudType
        f.containerVolumeInGb = containerVolumeInGb; f.persistentVolumeInGb = persistentVolumeInGb
        f.persistentMountPath = persistentMountPath; f.shmInGb = shmInGb
        f.singleCardVramInGb = singleCardVramInGb; f.singleCardRamInGb = singleCardRamInGb
        f.singleCardVcpu = singleCardVcpu; f.singleCardPrice = singleCardPrice; f.envVars = envVars
        f.expose = expose; f.initializationCommand = initializationCommand; f.internalIp = internalIp
        f.imagePublicType = imagePublicType; f.containerRegistryAuthId = containerRegistryAuthId
        box = Box(f)
    }

    public static func == (a: Pod, b: Pod) -> Bool { a.box === b.box || a.box.fields == b.box.fields }
    public func hash(into hasher: inout Hasher) { hasher.combine(box.fields) }

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
        var f = Fields()
        f.id = try c.decodeInt64(forKey: .id)
        f.name = c.decodeLenientString(forKey: .name)
        f.status = (try? c.decodeIfPresent(PodStatus.self, forKey: .status)) ?? .unknown("")
        f.gpuType = c.decodeLenientString(forKey: .gpuType)
        f.image = c.decodeLenientString(forKey: .image)
        f.imageRegistry = c.decodeLenientString(forKey: .imageRegistry)
        f.gpuDisplayName = c.decodeLenientString(forKey: .gpuDisplayName)
        f.gpuCount = c.decodeLenientInt(forKey: .gpuCount)
        f.createdAt = c.decodeTimestamp(forKey: .createdAt)
        f.updatedAt = c.decodeTimestamp(forKey: .updatedAt)
        f.sshCmd = c.decodeLenientString(forKey: .sshCmd)
        f.resourceType = c.decodeLenientString(forKey: .resourceType)
        f.region = c.decodeLenientString(forKey: .region)
        f.cloudType = c.decodeLenientString(forKey: .cloudType)
        f.containerVolumeInGb = c.decodeLenientInt(forKey: .containerVolumeInGb)
        f.persistentVolumeInGb = c.decodeLenientInt(forKey: .persistentVolumeInGb)
        f.persistentMountPath = c.decodeLenientString(forKey: .persistentMountPath)
        f.shmInGb = c.decodeLenientInt(forKey: .shmInGb)
        f.singleCardVramInGb = c.decodeLenientInt(forKey: .singleCardVramInGb)
        f.singleCardRamInGb = c.decodeLenientInt(forKey: .singleCardRamInGb)
        f.singleCardVcpu = c.decodeLenientInt(forKey: .singleCardVcpu)
        f.singleCardPrice = c.decodeMoney(forKey: .singleCardPrice)
        // Item by item: one odd variable or port never loses the others (or the pod).
        f.envVars = (try? c.decodeIfPresent(LossyArray<EnvVar>.self, forKey: .envVars))?.elements
            ?? (try? c.decodeIfPresent(LossyArray<EnvVar>.self, forKey: .environmentVars))?.elements
        f.expose = (try? c.decodeIfPresent(LossyArray<ExposedPort>.self, forKey: .expose))?.elements
        f.initializationCommand = c.decodeLenientString(forKey: .initializationCommand)
        f.internalIp = c.decodeLenientString(forKey: .internalIp) ?? c.decodeLenientString(forKey: .podInternalIp)
        f.imagePublicType = c.decodeLenientString(forKey: .imagePublicType)
        f.containerRegistryAuthId = c.decodeInt64IfPresent(forKey: .containerRegistryAuthId)
        f.persistentVolumes = (try? c.decodeIfPresent(LossyArray<VolumeAttachment>.self, forKey: .persistentVolumes))?.elements
        box = Box(f)
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
