import Foundation
import PodAPI

/// Everything that can happen to the UI: keys, clock ticks, and results of effects.
public enum Action: Sendable {
    /// First action: ask for the pods at once.
    case start(Date)
    case key(Key, Date)
    /// The poll timer (about once a second); polls when one is due.
    case tick(Date)
    case podsLoaded(generation: Int, PodList, Date)
    case podsFailed(generation: Int, PodAPIError, Date)
    case actionFinished(podID: Int64, PodAction, PodAPIError?, Date)
    /// The list area now shows this many rows.
    case pageSize(Int)
    case gpuTypesLoaded(Result<[GPUType], PodAPIError>)
    case credentialsLoaded(Result<[RegistryCredential], PodAPIError>)
    case podCreated(Pod, Date)
    /// The server accepted a create but its reply named no pod (`data: null`); the pod
    /// appears with the next list. Carries the name the form sent.
    case podCreatedWithoutID(name: String, Date)
    case createFailed(PodAPIError, Date)
    /// A program run with `external` finished, with its exit status (or why it could not run).
    case externalFinished(seq: Int, Result<Int32, ExternalFailure>, Date)
    /// A mouse event at a cell.
    case mouse(MouseEvent, Date)
    /// The terminal is now this big.
    case screenSize(Size)
    /// `:profile` worked: the store now talks to this endpoint.
    case profileSwitched(name: String, endpoint: String, readOnly: Bool, Date)
    case profileFailed(String, Date)
}

/// Why an external program could not run.
public struct ExternalFailure: Error, Sendable, Equatable {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
}

/// A mouse event, in screen cells.
public struct MouseEvent: Sendable, Hashable {
    public enum Kind: Sendable, Hashable { case click, doubleClick, wheelUp, wheelDown }
    public var kind: Kind
    public var row: Int
    public var col: Int
    public init(_ kind: Kind, row: Int, col: Int) { self.kind = kind; self.row = row; self.col = col }
}

/// I/O the reducer asks for; the store runs it and feeds the result back as an action.
public enum Effect: Sendable, Equatable {
    case fetchPods(generation: Int, ServerQuery)
    case perform(PodAction, podID: Int64)
    /// Fetch GPU types and registry credentials for the form's pickers.
    case loadCatalog
    /// `POST /v2/pods`, once; never retried.
    case createPod(PodV2CreateRequest)
    /// Re-resolve the connection from a config profile and use it from now on.
    case switchProfile(String)
}
