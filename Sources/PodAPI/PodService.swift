import FoundationEssentials
import Libc

/// The Yotta v2 pod operations podtui uses. `HTTPPodService` is the real one; tests may
/// supply in-memory ones.
public protocol PodService: Sendable {
    /// `GET /v2/pods`, optionally narrowed by region and status on the server.
    func listPods(regions: [String], statuses: [PodStatus]) async throws -> PodList
    /// `GET /v2/pods/{id}`.
    func getPod(id: Int64) async throws -> Pod
    /// `POST /v2/pods`. Never retried automatically.
    func createPod(_ request: PodV2CreateRequest) async throws -> CreateResult
    /// `POST /v2/pods/{id}/pause`. Never retried automatically.
    func pausePod(id: Int64) async throws
    /// `POST /v2/pods/{id}/resume`. Never retried automatically.
    func resumePod(id: Int64) async throws
    /// `DELETE /v2/pods/{id}`. Never retried automatically.
    func deletePod(id: Int64) async throws
    /// `GET /v2/vms/types`: GPU types with their regions and availability.
    func gpuTypes() async throws -> [GPUType]
    /// `GET /v2/container-registry-auths`.
    func registryCredentials() async throws -> [RegistryCredential]
    /// `GET /v2/pods/{id}` as the text the API sent (the raw view); errors as for `getPod`.
    func getPodRaw(id: Int64) async throws -> String

    /// `GET /v2/volumes`: every page of every storage type asked for (all when empty).
    func listVolumes(types: [StorageType], region: String?) async throws -> VolumeList
    /// `GET /v2/volumes/{id}`.
    func getVolume(id: Int64) async throws -> Volume
    /// `POST /v2/volumes`. Never retried automatically.
    func createVolume(_ request: VolumeCreateRequest) async throws -> Volume?
    /// `POST /v2/volumes/{id}/name`. Never retried automatically.
    func renameVolume(id: Int64, name: String) async throws
    /// `POST /v2/volumes/{id}/resize`. Never retried automatically.
    func resizeVolume(id: Int64, sizeInGb: Int) async throws
    /// `DELETE /v2/volumes/{id}`. Never retried automatically.
    func deleteVolume(id: Int64) async throws

    /// `GET /v2/container-registry-auths/{id}`.
    func registryCredential(id: Int64) async throws -> RegistryCredential
    /// `POST /v2/container-registry-auths`; nil when the reply held no credential.
    func createRegistryCredential(_ request: CredentialCreateRequest) async throws -> RegistryCredential?
    /// `PATCH /v2/container-registry-auths/{id}`.
    func updateRegistryCredential(id: Int64, _ request: CredentialUpdateRequest) async throws
    /// `DELETE /v2/container-registry-auths/{id}`; the server refuses while a pod uses it.
    func deleteRegistryCredential(id: Int64) async throws

    /// `GET /v2/metrics/{kind}/pods/{id}` over `start`…`end` at `step` (API notes §6.5).
    /// "Not available" is an answer; 429, 5xx and connection failures throw.
    func podMetrics(id: Int64, kind: MetricKind, start: Date, end: Date, step: MetricStep) async throws -> MetricsAnswer
}

extension PodService {
    /// Services without metrics (test doubles) say so, as a server without the routes would.
    public func podMetrics(id: Int64, kind: MetricKind, start: Date, end: Date, step: MetricStep) async throws -> MetricsAnswer {
        .notAvailable("this service has no metrics")
    }

    /// Services that keep no text (test doubles) encode the decoded pod.
    public func getPodRaw(id: Int64) async throws -> String {
        String(decoding: try JSONEncoder.api.encode(try await getPod(id: id)), as: UTF8.self)
    }

    /// All pods, unfiltered.
    public func listPods() async throws -> PodList { try await listPods(regions: [], statuses: []) }

    /// Runs one `PodAction`.
    public func perform(_ action: PodAction, id: Int64) async throws {
        switch action {
        case .pause: try await pausePod(id: id)
        case .resume: try await resumePod(id: id)
        case .delete: try await deletePod(id: id)
        }
    }
}

/// The result of a list call: the pods that decoded, and a note for each one that did not.
public struct PodList: Sendable, Equatable {
    public var pods: [Pod]
    /// Items of the reply that could not be read, with the reason; the rest are kept.
    public var skipped: [LossyArray<Pod>.ElementFailure]

    public init(pods: [Pod], skipped: [LossyArray<Pod>.ElementFailure] = []) {
        self.pods = pods
        self.skipped = skipped
    }
}

/// What a successful create gave back.
public enum CreateResult: Sendable, Equatable {
    /// The new pod: as the reply held it, or read back by the id the reply held.
    case created(Pod)
    /// The server accepted the request (code 10000) but said nothing about the pod; it
    /// shows up in the next list.
    case acceptedWithoutID

    /// The new pod, when known.
    public var pod: Pod? {
        if case .created(let pod) = self { return pod }
        return nil
    }
}

/// How `statusList` is sent: servers differ (API notes, open question 2).
public enum StatusFilterDialect: String, Sendable, Equatable {
    /// `statusList=RUNNING,PAUSED`: what Yotta's MCP server sends and its live test expects.
    case names
    /// `statusList=1,3`: the integer codes the API guide and the official CLI use.
    case codes
    /// No server-side status filter; the client filters.
    case local
}
