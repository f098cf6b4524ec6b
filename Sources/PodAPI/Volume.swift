import FoundationEssentials
import Libc

/// A persistent volume (`GET /v2/volumes`, API notes §6.3).
///
/// Only `id` is required; everything else is read leniently (a missing or odd field is nil),
/// so a volume the server returns is never lost while it has an id.
public struct Volume: Sendable, Hashable, Codable, Identifiable {
    public var id: Int64
    public var name: String?
    public var sizeInGb: Int?
    public var region: String?
    /// `S3`, `R2`, `CEPH` or `VENDOR` as the server spelled it.
    public var storageType: String?
    /// `creating`, `active`, `deleting`, `resizing` or `error` as the server spelled it.
    public var status: String?
    /// `NVMe` or `HDD` for VENDOR volumes.
    public var vendorVolumeType: String?
    /// How many pods have it mounted; resize and delete need 0.
    public var mountCount: Int?
    /// What the server reports the volume costs (its unit is not documented; shown as sent).
    public var cost: Double?
    public var createdAt: Date?

    public init(id: Int64, name: String?, sizeInGb: Int? = nil, region: String? = nil, storageType: String? = nil,
                status: String? = nil, vendorVolumeType: String? = nil, mountCount: Int? = nil, cost: Double? = nil,
                createdAt: Date? = nil) {
        self.id = id; self.name = name; self.sizeInGb = sizeInGb; self.region = region; self.storageType = storageType
        self.status = status; self.vendorVolumeType = vendorVolumeType; self.mountCount = mountCount
        self.cost = cost; self.createdAt = createdAt
    }

    /// What to call it in a sentence: its name, or `volume ID` when it has none.
    public var label: String {
        guard let name, !name.trimmed.isEmpty else { return "volume \(id)" }
        return name
    }

    /// The storage type as a known case, when it is one.
    public var kind: StorageType? { storageType.flatMap(StorageType.init(parsing:)) }

    /// True when the server says pods have it mounted.
    public var isMounted: Bool { (mountCount ?? 0) > 0 }

    /// Why resize is refused now, or nil when it is allowed.
    public var resizeRefusal: String? {
        if isMounted { return mountedReason("resized") }
        if let kind, !kind.hasSize { return "\(kind.rawValue) volumes have no size to change" }
        if let status, status.lowercased() != "active" { return "\(label) is \(status.lowercased()); only an active volume can be resized" }
        return nil
    }

    /// Why delete is refused now, or nil when it is allowed.
    public var deleteRefusal: String? {
        isMounted ? mountedReason("deleted") : nil
    }

    private func mountedReason(_ verb: String) -> String {
        let count = mountCount ?? 0
        return "\(label) is mounted by \(count) pod\(count == 1 ? "" : "s"); it can be \(verb) only when no pod uses it"
    }

    enum CodingKeys: String, CodingKey {
        case id, name, sizeInGb, region, storageType, status, vendorVolumeType, mountCount, cost, createdAt
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decodeInt64(forKey: .id)
        name = c.decodeLenientString(forKey: .name)
        sizeInGb = c.decodeLenientInt(forKey: .sizeInGb)
        region = c.decodeLenientString(forKey: .region)
        storageType = c.decodeLenientString(forKey: .storageType)
        status = c.decodeLenientString(forKey: .status)
        vendorVolumeType = c.decodeLenientString(forKey: .vendorVolumeType)
        mountCount = c.decodeLenientInt(forKey: .mountCount)
        cost = c.decodeMoney(forKey: .cost)
        createdAt = c.decodeTimestamp(forKey: .createdAt)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(name, forKey: .name)
        try c.encodeIfPresent(sizeInGb, forKey: .sizeInGb)
        try c.encodeIfPresent(region, forKey: .region)
        try c.encodeIfPresent(storageType, forKey: .storageType)
        try c.encodeIfPresent(status, forKey: .status)
        try c.encodeIfPresent(vendorVolumeType, forKey: .vendorVolumeType)
        try c.encodeIfPresent(mountCount, forKey: .mountCount)
        try c.encodeIfPresent(cost, forKey: .cost)
        try c.encodeIfPresent(createdAt.map(Timestamp.milliseconds), forKey: .createdAt)
    }
}

/// The storage types `GET /v2/volumes` must be asked for one at a time.
public enum StorageType: String, Sendable, CaseIterable, Hashable, Codable {
    case s3 = "S3", r2 = "R2", ceph = "CEPH", vendor = "VENDOR"

    /// Case-insensitive.
    public init?(parsing text: String) {
        self.init(rawValue: text.trimmed.uppercased())
    }

    /// CEPH and VENDOR volumes have a size (and a region); S3 and R2 are unlimited.
    public var hasSize: Bool { self == .ceph || self == .vendor }
}

/// `POST /v2/volumes`.
public struct VolumeCreateRequest: Sendable, Hashable, Codable {
    public var name: String
    public var storageType: StorageType
    public var region: String?
    public var sizeInGb: Int?
    /// `NVMe` or `HDD`; VENDOR only.
    public var vendorVolumeType: String?

    public init(name: String, storageType: StorageType, region: String? = nil, sizeInGb: Int? = nil, vendorVolumeType: String? = nil) {
        self.name = name; self.storageType = storageType; self.region = region; self.sizeInGb = sizeInGb
        self.vendorVolumeType = vendorVolumeType
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(storageType, forKey: .storageType)
        try c.encodeIfPresent(region, forKey: .region)
        try c.encodeIfPresent(sizeInGb, forKey: .sizeInGb)
        try c.encodeIfPresent(vendorVolumeType, forKey: .vendorVolumeType)
    }
}

/// The volume rules of API notes §6.3, checked before anything is sent.
public enum VolumeRules {
    /// CEPH and VENDOR sizes, in GB.
    public static let sizeRange = 1...10240
    /// The values `vendorVolumeType` takes.
    public static let vendorTypes = ["NVMe", "HDD"]

    /// Every problem with a create request; empty when it may be sent.
    public static func validate(_ r: VolumeCreateRequest) -> [FieldError] {
        var errors = validate(name: r.name)
        let region = r.region?.trimmed ?? ""
        switch r.storageType {
        case .s3, .r2:
            break
        case .ceph, .vendor:
            if region.isEmpty { errors.append(FieldError(field: "region", message: "is required for \(r.storageType.rawValue) volumes")) }
            if let size = r.sizeInGb {
                if !sizeRange.contains(size) { errors.append(sizeError(size)) }
            } else {
                errors.append(FieldError(field: "sizeInGb", message: "is required for \(r.storageType.rawValue) volumes (\(sizeRange.lowerBound)–\(sizeRange.upperBound) GB)"))
            }
        }
        if r.storageType == .vendor {
            if let kind = r.vendorVolumeType {
                if canonicalVendorType(kind) == nil {
                    errors.append(FieldError(field: "vendorVolumeType", message: "must be NVMe or HDD (got \"\(kind)\")"))
                }
            } else {
                errors.append(FieldError(field: "vendorVolumeType", message: "is required for VENDOR volumes (NVMe or HDD)"))
            }
        } else if r.vendorVolumeType != nil {
            errors.append(FieldError(field: "vendorVolumeType", message: "applies only to VENDOR volumes"))
        }
        return errors
    }

    /// Problems with a volume name.
    public static func validate(name: String) -> [FieldError] {
        var errors: [FieldError] = []
        if name.trimmed.isEmpty { errors.append(FieldError(field: "name", message: "is required")) }
        if name.count > 255 { errors.append(FieldError(field: "name", message: "must be at most 255 characters (has \(name.count))")) }
        if name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            errors.append(FieldError(field: "name", message: "must not contain control characters"))
        }
        return errors
    }

    /// Problems with a new size for `volume` (nil when unknown).
    public static func validate(resize size: Int, of volume: Volume?) -> [FieldError] {
        guard sizeRange.contains(size) else { return [sizeError(size)] }
        if let current = volume?.sizeInGb, size < current {
            return [FieldError(field: "sizeInGb", message: "must not be smaller than the current \(current) GB (volumes only grow)")]
        }
        return []
    }

    /// `nvme` → `NVMe`; nil for anything that is neither NVMe nor HDD.
    public static func canonicalVendorType(_ text: String) -> String? {
        vendorTypes.first { $0.lowercased() == text.trimmed.lowercased() }
    }

    private static func sizeError(_ size: Int) -> FieldError {
        FieldError(field: "sizeInGb", message: "must be \(sizeRange.lowerBound)–\(sizeRange.upperBound) GB (got \(size))")
    }
}

/// The result of listing volumes: what decoded, and a note for everything that did not.
public struct VolumeList: Sendable, Equatable {
    public var volumes: [Volume]
    /// Items that could not be read and storage types the server refused, in words.
    public var problems: [String]

    public init(volumes: [Volume], problems: [String] = []) {
        self.volumes = volumes; self.problems = problems
    }
}

/// One page of `GET /v2/volumes`: `{items, page, size, total, pages}`. Servers that send a
/// bare array, `null`, or the items under `records`/`list`/`content` are read too.
package struct VolumePage: Decodable {
    package var items: LossyArray<Volume>?
    package var page: Int?
    package var total: Int?
    package var pages: Int?

    enum CodingKeys: String, CodingKey { case items, records, list, content, page, current, total, pages }

    package init(from decoder: any Decoder) throws {
        if (try? decoder.unkeyedContainer()) != nil {
            items = try LossyArray<Volume>(from: decoder)
            return
        }
        let c = try decoder.container(keyedBy: CodingKeys.self)
        items = try c.decodeIfPresent(LossyArray<Volume>.self, forKey: .items)
            ?? c.decodeIfPresent(LossyArray<Volume>.self, forKey: .records)
            ?? c.decodeIfPresent(LossyArray<Volume>.self, forKey: .list)
            ?? c.decodeIfPresent(LossyArray<Volume>.self, forKey: .content)
        page = c.decodeLenientInt(forKey: .page) ?? c.decodeLenientInt(forKey: .current)
        total = c.decodeLenientInt(forKey: .total)
        pages = c.decodeLenientInt(forKey: .pages)
    }
}
