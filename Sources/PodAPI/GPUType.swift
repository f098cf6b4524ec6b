/// One entry of `GET /v2/vms/types`: a GPU type and the regions that offer it.
public struct GPUType: Sendable, Hashable, Codable {
    public var gpuType: String
    public var regions: [GPURegion]

    public init(gpuType: String, regions: [GPURegion]) {
        self.gpuType = gpuType
        self.regions = regions
    }

    /// A readable name for the type.
    public var displayName: String { GPUCatalog.displayName(for: gpuType) }
    /// VRAM per card in GB, when known.
    public var vramGB: Int? { GPUCatalog.vramGB(for: gpuType) }
    /// The regions where this type can be had right now.
    public var availableRegions: [GPURegion] { regions.filter(\.available) }

    enum CodingKeys: String, CodingKey { case gpuType, regions }
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        gpuType = try c.decode(String.self, forKey: .gpuType)
        regions = (try? c.decodeIfPresent(LossyArray<GPURegion>.self, forKey: .regions))??.elements ?? []
    }
}

/// A region offering a GPU type, with its availability.
public struct GPURegion: Sendable, Hashable, Codable {
    public var region: String
    public var regionName: String?
    public var available: Bool
    public var vmTypeId: Int64?

    public init(region: String, regionName: String? = nil, available: Bool, vmTypeId: Int64? = nil) {
        self.region = region; self.regionName = regionName; self.available = available; self.vmTypeId = vmTypeId
    }

    enum CodingKeys: String, CodingKey { case region, regionName, available, vmTypeId }
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        region = try c.decode(String.self, forKey: .region)
        regionName = c.decodeLenientString(forKey: .regionName)
        available = (try? c.decodeIfPresent(Bool.self, forKey: .available)) ?? false
        vmTypeId = c.decodeInt64IfPresent(forKey: .vmTypeId)
    }
}
