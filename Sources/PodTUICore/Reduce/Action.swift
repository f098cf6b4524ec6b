import FoundationEssentials
import PodAPI
import PodLocal
import PodProbe

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
    case volumesLoaded(Result<VolumeList, PodAPIError>)
    case ledgerLoaded(Result<[LedgerLine], ExternalFailure>)
    case timersLoaded(Result<[PauseTimer], ExternalFailure>)
    /// Whether a `podtui watch` holds this profile's lock (read with every timer reload).
    case watcherSeen(WatcherSeen?)
    /// Due timers fired by this process, each with what it did.
    case timersFired([TimerOutcome], Date)
    case templatesLoaded([String])
    /// The idle clocks saved by earlier runs (empty when there were none or they could not be read).
    case idleClocksLoaded([Int64: IdleRecord])
    /// A GPU probe's answer: the pod's GPUs, or why there are none.
    case probed(podID: Int64, Result<ProbeReport, ProbeFailure>, Date)
    /// A metrics request's answer.
    case metricsLoaded(MetricsRequest, MetricsResult, Date)
    /// A template read for the form: its request and the env keys it holds as references.
    case templateLoaded(name: String, Result<TemplateData, ExternalFailure>)
    /// A storage request's answer.
    case storageFinished(StorageRequest, Result<StorageOutcome, PodAPIError>, Date)
    case podCreated(Pod, Date)
    /// The server accepted a create but its reply named no pod (`data: null`); the pod
    /// appears with the next list. Carries the name the form sent.
    case podCreatedWithoutID(name: String, Date)
    case createFailed(PodAPIError, Date)
    /// A program run with `external` finished, with its exit status (or why it could not run).
    case externalFinished(seq: Int, Result<Int32, ExternalFailure>, Date)
    /// What became of a port-forward (started, listening, ended).
    case forwardEvent(id: Int, ForwardEvent, Date)
    /// A background plugin ended (or could not start).
    case pluginFinished(id: Int, PluginResult, Date)
    /// A mouse event at a cell.
    case mouse(MouseEvent, Date)
    /// The terminal is now this big.
    case screenSize(Size)
    /// `:profile` worked: the store now talks to this endpoint.
    /// `secrets` holds what the new connection must keep off the screen (its API key).
    case profileSwitched(name: String, endpoint: String, readOnly: Bool, secrets: Redactor, Date)
    case profileFailed(String, Date)
    /// The raw view's reply: the whole body, or why it failed.
    case rawLoaded(podID: Int64, Result<String, PodAPIError>)
    /// Something the runtime did for an effect, in words (ssh config written, a browser that
    /// would not start).
    case notice(String, isError: Bool, Date)
    /// config.yaml read again (`podtui watch` on SIGHUP): the budget, poll interval, idle
    /// thresholds and metrics rate take the new values.
    case settingsReloaded(Settings)
    /// The result of an effect, with the account epoch (`AppState.epoch`) it was started
    /// under: applied only while that is still the current one.
    indirect case tagged(epoch: Int, Action)
}

extension Action {
    /// The case's name, for logs ("slow reduce: 7 ms for tick"). Spelled out because release
    /// builds of this target carry no reflection metadata, where `String(describing:)` says
    /// only "Action"; a tagged result is named by what it carries.
    public var name: String {
        switch self {
        case .start: "start"
        case .key: "key"
        case .tick: "tick"
        case .podsLoaded: "podsLoaded"
        case .podsFailed: "podsFailed"
        case .actionFinished: "actionFinished"
        case .pageSize: "pageSize"
        case .gpuTypesLoaded: "gpuTypesLoaded"
        case .credentialsLoaded: "credentialsLoaded"
        case .volumesLoaded: "volumesLoaded"
        case .ledgerLoaded: "ledgerLoaded"
        case .timersLoaded: "timersLoaded"
        case .watcherSeen: "watcherSeen"
        case .timersFired: "timersFired"
        case .templatesLoaded: "templatesLoaded"
        case .idleClocksLoaded: "idleClocksLoaded"
        case .probed: "probed"
        case .metricsLoaded: "metricsLoaded"
        case .templateLoaded: "templateLoaded"
        case .storageFinished: "storageFinished"
        case .podCreated: "podCreated"
        case .podCreatedWithoutID: "podCreatedWithoutID"
        case .createFailed: "createFailed"
        case .externalFinished: "externalFinished"
        case .forwardEvent: "forwardEvent"
        case .pluginFinished: "pluginFinished"
        case .mouse: "mouse"
        case .screenSize: "screenSize"
        case .profileSwitched: "profileSwitched"
        case .profileFailed: "profileFailed"
        case .rawLoaded: "rawLoaded"
        case .notice: "notice"
        case .settingsReloaded: "settingsReloaded"
        case .tagged(_, let inner): inner.name
        }
    }

    /// An action after which an unfocused terminal's frame is drawn at the new clock: a key,
    /// the mouse, or a list reply (its "updated 0s ago"). Anything else (a tick, a timer file
    /// read, a ledger write) may change cells but not move the clock the ages are drawn at.
    var movesHeldClock: Bool {
        switch self {
        case .key, .mouse, .podsLoaded, .podsFailed: return true
        default: return false
        }
    }

    /// The instant an action carries, if it carries one (the reducer makes it `state.now`
    /// before anything else, once, instead of in each case).
    var time: Date? {
        switch self {
        case .start(let t), .key(_, let t), .tick(let t), .podsLoaded(_, _, let t), .podsFailed(_, _, let t),
             .actionFinished(_, _, _, let t), .timersFired(_, let t), .probed(_, _, let t), .metricsLoaded(_, _, let t), .storageFinished(_, _, let t),
             .podCreated(_, let t), .podCreatedWithoutID(_, let t), .createFailed(_, let t), .externalFinished(_, _, let t),
             .forwardEvent(_, _, let t), .pluginFinished(_, _, let t),
             .mouse(_, let t), .profileSwitched(_, _, _, _, let t), .profileFailed(_, let t), .notice(_, _, let t):
            return t
        case .tagged(_, let inner):
            return inner.time
        case .pageSize, .gpuTypesLoaded, .credentialsLoaded, .volumesLoaded, .ledgerLoaded, .timersLoaded, .templatesLoaded,
             .idleClocksLoaded, .templateLoaded, .screenSize, .rawLoaded, .settingsReloaded, .watcherSeen:
            return nil
        }
    }
}
