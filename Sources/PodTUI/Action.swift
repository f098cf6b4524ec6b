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
    case createFailed(PodAPIError, Date)
}

/// I/O the reducer asks for; the store runs it and feeds the result back as an action.
public enum Effect: Sendable, Equatable {
    case fetchPods(generation: Int)
    case perform(PodAction, podID: Int64)
    /// Fetch GPU types and registry credentials for the form's pickers.
    case loadCatalog
    /// `POST /v2/pods`, once; never retried.
    case createPod(PodV2CreateRequest)
}
