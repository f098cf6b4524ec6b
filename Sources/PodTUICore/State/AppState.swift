import FoundationEssentials
import PodAPI

/// The whole UI state, a value. `reduce` is the only thing that changes it. Its parts: the
/// fleet and its indexes, navigation, the form and its catalogue, output queues for the
/// loop, the run's settings, and the session (connection, messages, events, clock).
public struct AppState: Sendable {
    /// Pods, their indexes and what is on screen.
    public var fleet = FleetState()
    /// Selection, scrolling, panes and boxes.
    public var nav = Navigation()
    /// The create form, while it is open.
    public var form: CreateFormState?
    /// GPU types, registry credentials and volumes (the pickers and the storage views).
    public var catalog = Catalog()
    /// `:volumes` and `:credentials`: selection, the small form, the request in flight.
    public var storage = StorageState()
    /// The spend ledger: what each pod was seen to spend.
    public var spend = SpendState()
    /// Pause timers.
    public var timers = TimerState()
    /// GPU probes over ssh: the schedule and each RUNNING pod's figures and idle clock.
    public var probe = ProbeState()
    /// API metrics: the request schedule, each RUNNING pod's latest figures and idle clock,
    /// and the selected pod's history.
    public var metrics = MetricsState()
    /// Port-forwards started with `F` (`:forwards`).
    public var forwards = ForwardState()
    /// The user's plugins and the background ones' runs (`:plugins`).
    public var plugins = PluginState()
    /// Saved create forms: their names, and the "start from" list while `n` shows it.
    public var templates: [String] = []
    public var templateChooser: Int?
    /// Whether the burn rate was over the budget at the last reply (announced once per crossing).
    public var overBudget = false
    /// The raw view's pod, while it is open or loading.
    public var raw: RawPodState?
    /// Work for the UI loop outside curses.
    public var io = OutputQueues()
    /// Endpoint, interval, read-only, columns, keys, notifications, redaction, time zone.
    public var settings: UISettings

    // The session.
    public var connection = ConnectionHealth()
    public var message: Message?
    /// Status changes, actions and their results, oldest first (the events view).
    public var events: [PodEvent] = []
    /// A bulk action being carried out.
    public var bulk: BulkProgress?
    /// Last time a key was pressed or the data changed (adaptive polling).
    public var lastActivity: Date?
    /// Last HTTP 429 seen (polling slows down for a while after one).
    public var lastRateLimit: Date?
    public var shouldQuit = false
    /// The clock the last action carried; rendering uses it for ages.
    public var now: Date
    /// The terminal has the focus. True until a focus-out report (`CSI O`, mode 1004) says
    /// otherwise, so a terminal that never sends focus events loses nothing.
    public var focused = true
    /// While unfocused: the clock of the last list reply or input (`Action.movesHeldClock`).
    /// Frames are drawn at it (`forDrawing`), so ages and clocks do not redraw every second.
    public var drawnAt: Date?
    /// Bumped on every change, so the loop redraws only when something changed.
    public var version = 0
    /// Which account the data belongs to: bumped by each `:profile` switch; effect results
    /// started under another epoch are dropped (`Action.tagged`).
    public var epoch = 0

    public init(endpoint: String, interval: Double = 3, readOnly: Bool = false, now: Date) {
        self.settings = UISettings(endpoint: endpoint, interval: interval, readOnly: readOnly)
        self.now = now
    }

    /// The selected pod, if it still exists.
    public var selectedPod: Pod? {
        selectedIndex.map { fleet.pods[$0] }
    }

    /// Index of the selected pod in `fleet.pods`.
    public var selectedIndex: Int? {
        guard let id = nav.selectedID else { return nil }
        return fleet.pods.firstIndex(ofID: id)
    }

    /// The data on screen is not current: the last poll failed, or the one in flight has
    /// gone unanswered too long (`overdueFor`).
    public var isStale: Bool {
        connection.lastSuccess != nil && (connection.lastError != nil || connection.overdueFor(now: now, interval: settings.interval) != nil)
    }

    /// The state as the loop draws it: itself while focused; unfocused, with the clock held
    /// at `drawnAt`, so a tick alone draws the same frame and nothing reaches the terminal.
    public var forDrawing: AppState {
        guard !focused, let at = drawnAt else { return self }
        var frozen = self
        frozen.now = at
        return frozen
    }

    /// How long a row whose status changed stays highlighted.
    public static let highlightSeconds = 3.0

    /// Sum of $/h over RUNNING pods with a known price (all pods, not just the filtered).
    public var runningCostPerHour: Double { fleet.summary.runningCostPerHour }
}
