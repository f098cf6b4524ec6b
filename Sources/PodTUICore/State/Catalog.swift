import PodAPI

/// What the pickers choose from: GPU types with their regions (`/v2/vms/types`) and stored
/// registry credentials (`/v2/container-registry-auths`).
public struct Catalog: Sendable, Equatable {
    public var gpuTypes: Loadable<[GPUType]> = .notLoaded
    public var credentials: Loadable<[RegistryCredential]> = .notLoaded
    public init() {}

    /// The type entry for a code, when the list is loaded and has it.
    public func gpuType(_ code: String) -> GPUType? {
        gpuTypes.value?.first { $0.gpuType == code }
    }
}
