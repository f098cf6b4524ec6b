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
    /// A timer with this trigger for each pod.
    case addTimers([TimerTarget], PauseTimer.Trigger)
    case cancelTimers([Int64])
    /// Fire the timers due by the clock, and the "when idle" ones whose pod has been idle
    /// long enough (`idle`: seconds idle per pod, from the probes).
    case fireDueTimers(idle: [Int64: Double])
    /// Read the idle clocks saved by earlier runs; save changed ones (and drop stopped ones).
    case loadIdleClocks
    case saveIdleClocks([Int64: IdleRecord], cleared: [Int64])
    /// Ask the metrics API (each request for one pod and kind; the reducer keeps the budget).
    case fetchMetrics([MetricsRequest])
    /// Probe these pods' GPUs over ssh (each at most once at a time; the reducer keeps the cap).
    case probe([ProbeJob])
    /// Templates: list them, save the form as one (secret env keys saved as references), open one.
    case loadTemplates
    case saveTemplate(name: String, request: PodV2CreateRequest, secretKeys: [String])
    case openTemplate(String)
    /// Start a port-forward (`ssh -N -L`) as a background child: the runtime picks the local
    /// port and answers `forwardEvent`s until it ends.
    case startForward(ForwardRequest)
    /// End forward `id`'s ssh.
    case stopForward(Int)
    /// Run a background plugin (no terminal, `Plugin.deadline`); answered by `pluginFinished`.
    case runPlugin(PluginRun)
}

/// One metrics request: the schedule's job, and the window and step it asks for.
public struct MetricsRequest: Sendable, Equatable {
    public var job: MetricsSchedule.Job
    public var start: Date
    public var end: Date
    public var step: MetricStep

    public init(job: MetricsSchedule.Job, start: Date, end: Date, step: MetricStep) {
        self.job = job; self.start = start; self.end = end; self.step = step
    }
}

/// What a metrics request came back with: the route's answer, or a failure that is not
/// about the pod (429, 5xx, the connection), with the server's Retry-After when it sent one.
public enum MetricsResult: Sendable, Equatable {
    case answer(MetricsAnswer)
    case failed(String, retryAfter: Double?)
}
