import PodAPI

/// Test doubles that model no volumes or credentials: every storage call fails alike, so a
/// test that reaches one by mistake fails with a clear reason.
protocol NoStorageService: PodService {}

extension NoStorageService {
    private var unmodelled: PodAPIError { .connection("not modelled by this test double") }
    func listVolumes(types: [StorageType], region: String?) async throws -> VolumeList { throw unmodelled }
    func getVolume(id: Int64) async throws -> Volume { throw unmodelled }
    func createVolume(_ request: VolumeCreateRequest) async throws -> Volume? { throw unmodelled }
    func renameVolume(id: Int64, name: String) async throws { throw unmodelled }
    func resizeVolume(id: Int64, sizeInGb: Int) async throws { throw unmodelled }
    func deleteVolume(id: Int64) async throws { throw unmodelled }
    func registryCredential(id: Int64) async throws -> RegistryCredential { throw unmodelled }
    func createRegistryCredential(_ request: CredentialCreateRequest) async throws -> RegistryCredential? { throw unmodelled }
    func updateRegistryCredential(id: Int64, _ request: CredentialUpdateRequest) async throws { throw unmodelled }
    func deleteRegistryCredential(id: Int64) async throws { throw unmodelled }
}
