import PodAPI

/// What the pickers choose from: GPU types with their regions (`/v2/vms/types`) and stored
/// registry credentials (`/v2/container-registry-auths`).
public struct Catalog: Sendable, Equatable {
    public var gpuTypes: Loadable<[GPUType]> = .notLoaded
    public var credentials: Loadable<[RegistryCredential]> = .notLoaded
    /// Persistent volumes (`:volumes`, the form's volume picker, the detail pane's names).
    public var volumes: Loadable<[Volume]> = .notLoaded
    /// What the last volume list could not read (items, refused storage types), in words.
    public var volumeProblems: [String] = []
    public init() {}

    /// The volume with an id, when the list is loaded and has it.
    public func volume(_ id: Int64) -> Volume? {
        volumes.value?.first { $0.id == id }
    }

    /// The type entry for a code, when the list is loaded and has it.
    public func gpuType(_ code: String) -> GPUType? {
        gpuTypes.value?.first { $0.gpuType == code }
    }
}
