import Foundation
import PodAPI

/// Volume and credential operations, with the server's rules: each answers what the API
/// would (`StorageOutcome`), and `mountCount` is counted from the pods that attach a volume.
extension SimulatorState {
    /// How one storage request ends.
    enum StorageOutcome<T: Sendable>: Sendable {
        case ok(T)
        case notFound
        /// HTTP 400 + 10001 with a `"field: problem"` message.
        case invalid(String)
        /// HTTP 200 + 12001: the resource's state does not allow it.
        case refused(String)
    }

    /// Pods that hold a volume: every pod but a TERMINATED one.
    private func mounts(of volumeID: Int64) -> [Pod] {
        currentPodsUnadvanced().filter { pod in
            pod.status != .terminated && (pod.persistentVolumes ?? []).contains { $0.volumeId == volumeID }
        }
    }

    private func withMounts(_ volume: Volume) -> Volume {
        var volume = volume
        volume.mountCount = mounts(of: volume.id).count
        return volume
    }

    /// One page of `GET /v2/volumes`; `storageType` is required.
    func volumePage(type rawType: String?, region: String?, page rawPage: String?, size rawSize: String?) -> StorageOutcome<VolumePageReply> {
        advance()
        storage.advance(now: Date())
        guard let rawType, !rawType.isEmpty else { return .invalid("storageType: is required") }
        guard let type = StorageType(rawValue: rawType.uppercased()) else {
            return .invalid("storageType: must be one of S3, R2, CEPH, VENDOR")
        }
        let page = rawPage.flatMap { Int($0) } ?? 1
        let size = rawSize.flatMap { Int($0) } ?? 10
        guard page >= 1 else { return .invalid("page: must be at least 1") }
        guard size >= 1 else { return .invalid("size: must be at least 1") }
        let pageSize = min(size, SimStorage.maxPageSize)
        let all = storage.volumes(type: type, region: region).map(withMounts)
        let start = min((page - 1) * pageSize, all.count)
        let items = Array(all[start..<min(start + pageSize, all.count)])
        let pages = max(1, (all.count + pageSize - 1) / pageSize)
        return .ok(VolumePageReply(items: items, page: page, size: pageSize, total: all.count, pages: pages))
    }

    func volume(_ id: Int64) -> Volume? {
        advance()
        storage.advance(now: Date())
        return storage.volumes[id].map { withMounts($0.volume) }
    }

    /// `POST /v2/volumes`, checked field by field as the server would (not with `VolumeRules`).
    func createVolume(_ body: SimJSON) -> StorageOutcome<Volume> {
        guard case .object = body else { return .invalid("body: must be a JSON object") }
        guard let name = body["name"]?.string, !name.trimmingCharacters(in: .whitespaces).isEmpty else { return .invalid("name: is required") }
        if name.count > 255 { return .invalid("name: length must be between 1 and 255") }
        guard let rawType = body["storageType"]?.string else { return .invalid("storageType: is required") }
        guard let type = StorageType(rawValue: rawType) else { return .invalid("storageType: must be one of S3, R2, CEPH, VENDOR") }
        let region = body["region"]?.string
        var size: Int?
        var vendorType: String?
        if type.hasSize {
            guard let region, !region.isEmpty else { return .invalid("region: is required for \(type.rawValue)") }
            guard SeedData.regionNames[region] != nil else { return .invalid("region: unknown region \(region)") }
            guard let n = body["sizeInGb"]?.integer else { return .invalid("sizeInGb: is required for \(type.rawValue)") }
            guard (1...10240).contains(n) else { return .invalid("sizeInGb: must be between 1 and 10240") }
            size = Int(n)
        }
        if type == .vendor {
            guard let kind = body["vendorVolumeType"]?.string, ["NVMe", "HDD"].contains(kind) else {
                return .invalid("vendorVolumeType: must be NVMe or HDD")
            }
            vendorType = kind
        }
        if let region, !region.isEmpty, SeedData.regionNames[region] == nil { return .invalid("region: unknown region \(region)") }
        return .ok(storage.addVolume(name: name, type: type, region: region?.isEmpty == true ? nil : region, size: size,
                                     vendorType: vendorType, now: Date(), speed: options.speed))
    }

    func renameVolume(_ id: Int64, _ body: SimJSON) -> StorageOutcome<Bool> {
        guard storage.volumes[id] != nil else { return .notFound }
        guard let name = body["name"]?.string, !name.trimmingCharacters(in: .whitespaces).isEmpty else { return .invalid("name: is required") }
        if name.count > 255 { return .invalid("name: length must be between 1 and 255") }
        storage.rename(volume: id, to: name)
        return .ok(true)
    }

    /// Resize: active, unmounted, sized types only, and never smaller.
    func resizeVolume(_ id: Int64, _ body: SimJSON) -> StorageOutcome<Bool> {
        guard let volume = volume(id) else { return .notFound }
        guard let n = body["sizeInGb"]?.integer else { return .invalid("sizeInGb: is required") }
        guard (1...10240).contains(n) else { return .invalid("sizeInGb: must be between 1 and 10240") }
        guard volume.kind?.hasSize == true else { return .invalid("sizeInGb: \(volume.storageType ?? "this") volumes have no size") }
        if let current = volume.sizeInGb, n < current { return .invalid("sizeInGb: cannot shrink a volume (now \(current) GB)") }
        let mounted = volume.mountCount ?? 0
        if mounted > 0 { return .refused("Resource status invalid: volume is mounted by \(mounted) pod(s)") }
        guard volume.status == "active" else { return .refused("Resource status invalid: volume is \(volume.status ?? "not active")") }
        storage.resize(volume: id, to: Int(n), now: Date(), speed: options.speed)
        return .ok(true)
    }

    func deleteVolume(_ id: Int64) -> StorageOutcome<Bool> {
        guard let volume = volume(id) else { return .notFound }
        let mounted = volume.mountCount ?? 0
        if mounted > 0 { return .refused("Resource status invalid: volume is mounted by \(mounted) pod(s)") }
        storage.removeVolume(id)
        return .ok(true)
    }

    // MARK: Credentials

    func credentialList() -> [RegistryCredential] { storage.allCredentials }

    func credential(_ id: Int64) -> RegistryCredential? { storage.credentials[id]?.credential }

    /// The ids a pod may name in `containerRegistryAuthId`.
    func credentialIDs() -> Set<Int64> { Set(storage.credentials.keys) }

    func createCredential(_ body: SimJSON) -> StorageOutcome<RegistryCredential> {
        guard case .object = body else { return .invalid("body: must be a JSON object") }
        for field in ["name", "type", "username", "password"] {
            guard let text = body[field]?.string, !text.isEmpty else { return .invalid("\(field): is required") }
        }
        let type = body["type"]?.string ?? ""
        guard RegistryCredential.types.contains(type) else { return .invalid("type: must be one of \(RegistryCredential.types.joined(separator: ", "))") }
        return .ok(storage.addCredential(name: body["name"]?.string ?? "", type: type, username: body["username"]?.string ?? "",
                                         password: body["password"]?.string ?? "", now: Date()))
    }

    func updateCredential(_ id: Int64, _ body: SimJSON) -> StorageOutcome<Bool> {
        guard storage.credentials[id] != nil else { return .notFound }
        guard case .object = body else { return .invalid("body: must be a JSON object") }
        for field in ["name", "username", "password"] {
            if let value = body[field], (value.string ?? "").isEmpty { return .invalid("\(field): must be a non-empty string") }
        }
        storage.updateCredential(id, name: body["name"]?.string, username: body["username"]?.string, password: body["password"]?.string)
        return .ok(true)
    }

    /// Refused while a pod (not TERMINATED) pulls with it.
    func deleteCredential(_ id: Int64) -> StorageOutcome<Bool> {
        advance()
        guard storage.credentials[id] != nil else { return .notFound }
        let users = currentPodsUnadvanced().filter { $0.status != .terminated && $0.containerRegistryAuthId == id }
        if let first = users.first {
            return .refused("Credential is in use by \(users.count) pod(s), e.g. \(first.name ?? String(first.id))")
        }
        storage.removeCredential(id)
        return .ok(true)
    }

    /// The password stored for a credential: admin-only, for tests that check what arrived.
    public func storedPassword(credential id: Int64) -> String? { storage.credentials[id]?.password }
}

/// The `data` of one volume page.
struct VolumePageReply: Sendable {
    var items: [Volume]
    var page: Int
    var size: Int
    var total: Int
    var pages: Int
}
