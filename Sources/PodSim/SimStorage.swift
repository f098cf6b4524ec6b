import Foundation
import PodAPI

/// The simulated account's volumes and registry credentials (API notes §6.2, §6.3), kept
/// beside the pods so `mountCount` and "credential in use" follow what pods attach.
struct SimStorage: Sendable {
    /// A volume and when its current phase (creating, resizing) ends.
    struct VolumeEntry: Sendable {
        var volume: Volume
        var deadline: Date?
    }

    /// A stored credential; the password is kept as the server would, and never sent back.
    struct CredentialEntry: Sendable {
        var credential: RegistryCredential
        var username: String
        var password: String
    }

    private(set) var volumes: [Int64: VolumeEntry] = [:]
    /// Volume ids, oldest first.
    private(set) var volumeOrder: [Int64] = []
    private(set) var credentials: [Int64: CredentialEntry] = [:]
    private(set) var credentialOrder: [Int64] = []
    private var nextID: Int64

    /// Seconds a volume spends `creating` or `resizing` (divided by the simulator's speed).
    static let phaseSeconds = 6.0
    /// The most items one volume page holds, whatever `size` asks: the server's own limit,
    /// so a client asking for more must follow `pages`.
    static let maxPageSize = 50

    init(seedVolumes: Bool, seedCredentials: Bool, now: Date, nextID: Int64) {
        self.nextID = nextID
        if seedCredentials {
            for credential in SeedData.credentials {
                credentials[credential.id] = CredentialEntry(credential: credential, username: "demo", password: "demo-password")
                credentialOrder.append(credential.id)
            }
        }
        if seedVolumes {
            for seed in SeedData.volumes(now: now) {
                volumes[seed.id] = VolumeEntry(volume: seed)
                volumeOrder.append(seed.id)
            }
        }
    }

    // MARK: Volumes

    /// Ends `creating` and `resizing` phases that are due.
    mutating func advance(now: Date) {
        for id in volumeOrder {
            guard var entry = volumes[id], let deadline = entry.deadline, deadline <= now else { continue }
            entry.volume.status = "active"
            entry.deadline = nil
            volumes[id] = entry
        }
    }

    /// Volumes of one type (and region), oldest first.
    func volumes(type: StorageType, region: String?) -> [Volume] {
        let region = region?.isEmpty == true ? nil : region
        return volumeOrder.compactMap { volumes[$0]?.volume }.filter { volume in
            volume.storageType == type.rawValue && (region == nil || volume.region == region)
        }
    }

    /// Adds a volume the server's rules accepted.
    mutating func addVolume(name: String, type: StorageType, region: String?, size: Int?, vendorType: String?,
                            now: Date, speed: Double) -> Volume {
        nextID += 104_729
        let volume = Volume(id: nextID, name: name, sizeInGb: type.hasSize ? size : nil, region: region,
                            storageType: type.rawValue, status: "creating", vendorVolumeType: vendorType, mountCount: 0,
                            cost: Self.cost(type: type, size: size, vendorType: vendorType), createdAt: now)
        volumes[volume.id] = VolumeEntry(volume: volume, deadline: now.addingTimeInterval(Self.phaseSeconds / speed))
        volumeOrder.append(volume.id)
        return volume
    }

    mutating func rename(volume id: Int64, to name: String) { volumes[id]?.volume.name = name }

    mutating func resize(volume id: Int64, to size: Int, now: Date, speed: Double) {
        guard var entry = volumes[id] else { return }
        entry.volume.sizeInGb = size
        entry.volume.status = "resizing"
        entry.volume.cost = entry.volume.kind.map { Self.cost(type: $0, size: size, vendorType: entry.volume.vendorVolumeType) } ?? nil
        entry.deadline = now.addingTimeInterval(Self.phaseSeconds / speed)
        volumes[id] = entry
    }

    mutating func removeVolume(_ id: Int64) {
        volumes[id] = nil
        volumeOrder.removeAll { $0 == id }
    }

    /// The simulator's price, in dollars per month: nothing for object storage.
    static func cost(type: StorageType, size: Int?, vendorType: String?) -> Double? {
        guard let size, type.hasSize else { return 0 }
        let perGB = type == .ceph ? 0.05 : (vendorType?.uppercased() == "HDD" ? 0.03 : 0.12)
        return (Double(size) * perGB * 100).rounded() / 100
    }

    // MARK: Credentials

    mutating func addCredential(name: String, type: String, username: String, password: String, now: Date) -> RegistryCredential {
        nextID += 7_877
        let credential = RegistryCredential(id: nextID, name: name, type: type, createdAt: now)
        credentials[credential.id] = CredentialEntry(credential: credential, username: username, password: password)
        credentialOrder.append(credential.id)
        return credential
    }

    mutating func updateCredential(_ id: Int64, name: String?, username: String?, password: String?) {
        guard var entry = credentials[id] else { return }
        if let name { entry.credential.name = name }
        if let username { entry.username = username }
        if let password { entry.password = password }
        credentials[id] = entry
    }

    mutating func removeCredential(_ id: Int64) {
        credentials[id] = nil
        credentialOrder.removeAll { $0 == id }
    }

    /// Every credential, oldest first.
    var allCredentials: [RegistryCredential] { credentialOrder.compactMap { credentials[$0]?.credential } }
}
