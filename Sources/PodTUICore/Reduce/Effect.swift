import Foundation
import PodAPI

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
