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
