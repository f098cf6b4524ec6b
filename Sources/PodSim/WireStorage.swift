import Foundation
import PodAPI

/// A volume as the simulator writes it, in the quirks' dialect (ids, numbers, timestamps),
/// like `WirePod`: its own encoding, not the client's.
struct WireVolume: Encodable, Sendable {
    let volume: Volume
    let quirks: SimQuirks

    enum Key: String, CodingKey { case id, name, sizeInGb, region, storageType, status, vendorVolumeType, mountCount, cost, createdAt }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        if quirks.ids == .string { try c.encode(String(volume.id), forKey: .id) } else { try c.encode(volume.id, forKey: .id) }
        try c.encode(volume.name, forKey: .name)
        if quirks.absurd == .on, AbsurdNumber.carries(volume.id) {
            // Every numeric field absurd; the rest as usual (the `absurd=on` quirk).
            try c.encode(AbsurdNumber.pick(id: volume.id, field: 0), forKey: .sizeInGb)
            try c.encode(AbsurdNumber.pick(id: volume.id, field: 1), forKey: .cost)
            try c.encode(AbsurdNumber.pick(id: volume.id, field: 2), forKey: .mountCount)
            try c.encode(AbsurdNumber.pick(id: volume.id, field: 3), forKey: .createdAt)
            try c.encode(volume.region, forKey: .region)
            try c.encode(volume.storageType, forKey: .storageType)
            try c.encode(volume.status, forKey: .status)
            try c.encode(volume.vendorVolumeType, forKey: .vendorVolumeType)
            return
        }
        if quirks.numbers == .string {
            try c.encode(volume.sizeInGb.map(String.init), forKey: .sizeInGb)
            try c.encode(volume.cost.map { String($0) }, forKey: .cost)
        } else {
            try c.encode(volume.sizeInGb, forKey: .sizeInGb)
            try c.encode(volume.cost, forKey: .cost)
        }
        try c.encode(volume.region, forKey: .region)
        try c.encode(volume.storageType, forKey: .storageType)
        try c.encode(volume.status, forKey: .status)
        try c.encode(volume.vendorVolumeType, forKey: .vendorVolumeType)
        try c.encode(volume.mountCount ?? 0, forKey: .mountCount)
        if let created = volume.createdAt {
            switch quirks.timestamps {
            case .ms: try c.encode(Timestamp.milliseconds(created), forKey: .createdAt)
            case .s: try c.encode(Int64(created.timeIntervalSince1970.rounded()), forKey: .createdAt)
            case .iso: try c.encode(Timestamp.iso8601(created), forKey: .createdAt)
            }
        }
    }
}

/// One page of volumes on the wire: `{items, page, size, total, pages}`.
struct WireVolumePage: Encodable, Sendable {
    let page: VolumePageReply
    let quirks: SimQuirks

    enum Key: String, CodingKey { case items, page, size, total, pages }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(page.items.map { WireVolume(volume: $0, quirks: quirks) }, forKey: .items)
        try c.encode(page.page, forKey: .page)
        try c.encode(page.size, forKey: .size)
        try c.encode(page.total, forKey: .total)
        try c.encode(page.pages, forKey: .pages)
    }
}

/// A registry credential on the wire: `{id, name, type, createdAt}` (ISO 8601, as the
/// guide documents); never the username or password.
struct WireCredential: Encodable, Sendable {
    let credential: RegistryCredential
    let quirks: SimQuirks

    enum Key: String, CodingKey { case id, name, type, createdAt }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        if quirks.ids == .string { try c.encode(String(credential.id), forKey: .id) } else { try c.encode(credential.id, forKey: .id) }
        try c.encode(credential.name, forKey: .name)
        try c.encodeIfPresent(credential.type, forKey: .type)
        // Always ISO 8601: the one form the guide documents for credentials.
        try c.encodeIfPresent(credential.createdAt.map(Timestamp.iso8601), forKey: .createdAt)
    }
}
