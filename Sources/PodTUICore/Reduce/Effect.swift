import FoundationEssentials
import PodAPI
import PodLocal

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
    /// `GET /v2/pods/{id}`, kept as the API's text (the raw view).
    case fetchRaw(podID: Int64)
    /// Open a URL in the local browser (a display is there).
    case openURL(String)
    /// Write podtui's marked block (`hosts` entries) into `~/.ssh/config`.
    case writeSSHConfig(block: String, hosts: Int)
    /// Every page of every storage type of `GET /v2/volumes`.
    case loadVolumes
    /// `GET /v2/container-registry-auths`.
    case loadCredentials
    /// A change to a volume or credential; never retried.
    case storage(StorageRequest)
    /// Read the spend ledger (compacting it), and append this session's lines to it.
    case loadLedger
    case ledgerAppend([LedgerLine])
    /// Read the pause timers; set, cancel, and fire the due ones (claimed in the file first).
    case loadTimers
    case addTimers([TimerTarget], due: Date)
    case cancelTimers([Int64])
    case fireDueTimers
    /// Templates: list them, save the form as one (secret env keys saved as references), open one.
    case loadTemplates
    case saveTemplate(name: String, request: PodV2CreateRequest, secretKeys: [String])
    case openTemplate(String)
}
