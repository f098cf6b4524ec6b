import FoundationEssentials
import PodAPI

/// The `:volumes` and `:credentials` views: which row is selected in each, the small form
/// open over them, and the request in flight. The lists themselves live in `Catalog` (the
/// create form's pickers read the same ones).
public struct StorageState: Sendable, Equatable {
    /// The selected volume or credential, by id (kept across reloads).
    public var selectedVolume: Int64?
    public var selectedCredential: Int64?
    /// First visible row.
    public var scrollTop = 0
    /// The small form (create, rename, resize, edit), while it is open.
    public var editor: StorageEditor?
    /// A request sent and not yet answered: no second one until it is.
    public var inFlight: StorageRequest?
    /// A list request of the open view is out (never two at once), and when it was sent.
    public var listLoading = false
    public var lastListRequest: Date?

    public init() {}

    /// The ids `view` lists, in order (none for views other than `:volumes` and `:credentials`).
    public static func ids(in view: MainView, catalog: Catalog) -> [Int64] {
        switch view {
        case .volumes: (catalog.volumes.value ?? []).map(\.id)
        case .credentials: (catalog.credentials.value ?? []).map(\.id)
        default: []
        }
    }

    /// The selected row's index in `view` (the first row when none is chosen, or the chosen
    /// one is gone); nil when the view lists nothing.
    public func selectedIndex(in view: MainView, catalog: Catalog) -> Int? {
        let list = Self.ids(in: view, catalog: catalog)
        guard !list.isEmpty else { return nil }
        let selected = view == .volumes ? selectedVolume : selectedCredential
        return selected.flatMap { list.firstIndex(of: $0) } ?? 0
    }
}

extension AppState {
    /// The volume selected in `:volumes` (nil in any other view).
    public var selectedStorageVolume: Volume? {
        guard nav.view == .volumes, let i = storage.selectedIndex(in: nav.view, catalog: catalog) else { return nil }
        return catalog.volumes.value?[i]
    }

    /// The credential selected in `:credentials` (nil in any other view).
    public var selectedStorageCredential: RegistryCredential? {
        guard nav.view == .credentials, let i = storage.selectedIndex(in: nav.view, catalog: catalog) else { return nil }
        return catalog.credentials.value?[i]
    }
}

/// A change to a volume or credential, as the store sends it.
public enum StorageRequest: Sendable, Equatable {
    case createVolume(VolumeCreateRequest)
    case renameVolume(id: Int64, name: String)
    case resizeVolume(id: Int64, sizeInGb: Int)
    case deleteVolume(id: Int64, name: String)
    case createCredential(CredentialCreateRequest)
    case updateCredential(id: Int64, CredentialUpdateRequest)
    case deleteCredential(id: Int64, name: String)

    /// What it does, in a few words ("rename volume datasets").
    public var summary: String {
        switch self {
        case .createVolume(let r): "create volume \(TextSafety.clean(r.name))"
        case .renameVolume(_, let name): "rename volume to \(TextSafety.clean(name))"
        case .resizeVolume(let id, let size): "resize volume \(id) to \(size) GB"
        case .deleteVolume(_, let name): "delete volume \(TextSafety.clean(name))"
        case .createCredential(let r): "create credential \(TextSafety.clean(r.name))"
        case .updateCredential(let id, _): "update credential \(id)"
        case .deleteCredential(_, let name): "delete credential \(TextSafety.clean(name))"
        }
    }

    /// True for requests about volumes (the volume list is reloaded after them).
    public var isVolume: Bool {
        switch self {
        case .createVolume, .renameVolume, .resizeVolume, .deleteVolume: true
        default: false
        }
    }
}

/// What a storage request gave back.
public enum StorageOutcome: Sendable, Equatable {
    case done
    /// The id of what was created, when the reply named it.
    case created(id: Int64?)
}

/// What a delete confirmation is about.
public enum StorageTarget: Sendable, Equatable {
    case volume(Int64)
    case credential(Int64)
}
