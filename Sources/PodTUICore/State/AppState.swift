import Foundation
import PodAPI

/// The whole UI state, a value. `reduce` is the only thing that changes it.
public struct AppState: Sendable {
    /// Every pod of the last good reply, in reply order. Setting it recomputes the
    /// fleet summary, so frames never walk the whole list.
    public internal(set) var allPods: [Pod] = [] {
        didSet {
            summary = FleetSummary(allPods)
            searchKeys = allPods.map(PodSearchKeys.init)
            ids = allPods.map(\.id)
            nameRank = SortSpec.nameRanks(allPods, keys: searchKeys)
        }
    }
    /// The ids of `allPods`, same order.
    public private(set) var ids: [Int64] = []
    /// Each pod's place in name order, same order as `allPods` (made once per reply).
    public private(set) var nameRank: [Int] = []
    /// Indices of `allPods` in the current sort order: recomputed when the data or the sort
    /// change, not on a filter keystroke (the filter keeps this order).
    public internal(set) var sortedIndices: [Int] = []
    /// Lower-cased fields of `allPods`, same order, made once per reply for the filter and sort.
    public private(set) var searchKeys: [PodSearchKeys] = []
    /// Counts by status and the running $/h of `allPods`.
    public private(set) var summary = FleetSummary([])
    /// The pods on screen: `allPods` through the filter, in the chosen order. Recomputed
    /// when the data, the filter or the sort change, never per frame.
    public internal(set) var pods = PodView()
    /// The `/` filter in force.
    public internal(set) var filter = PodFilter("")
    /// The list's order; survives refreshes.
    public var sort = SortSpec()
    /// Marked pods (Space), for bulk actions; survive refreshes while the pod exists.
    public var marks: Set<Int64> = []
    /// The bottom input line while `/` or `:` is being typed.
    public var input: InputLine?
    /// Which main view is showing.
    public var view: MainView = .pods
    /// Status changes, actions and their results, oldest first (the events view).
    public var events: [PodEvent] = []
    /// When each pod's row last changed, so the renderer can highlight it briefly.
    public var changedAt: [Int64: Date] = [:]
    /// A bulk action being carried out.
    public var bulk: BulkProgress?
    /// Bytes for the terminal outside curses (bell, desktop notification, OSC 52 copy),
    /// numbered so the UI loop writes each once.
    public var outbox: [TerminalOutput] = []
    /// A program to run on the real terminal with the UI suspended (ssh).
    public var external: ExternalRequest?
    /// Ring the bell and send a desktop notification on RUNNING / FAILED / gone.
    public var notifications = false
    /// Last time a key was pressed or the data changed (adaptive polling).
    public var lastActivity: Date?
    /// Last HTTP 429 seen (polling slows down for a while after one).
    public var lastRateLimit: Date?
    /// The name of every pod seen, by id: results of actions on pods that have left the
    /// (filtered) list still name them.
    public var names: [Int64: String] = [:]
    /// The server-side query of the last good reply.
    public var lastReplyQuery = ServerQuery()
    /// Counter for `outbox` and `external` numbering.
    public var sequence = 0
    /// Profile names from the config file (`:profile` completion).
    public var profiles: [String] = []
    /// The terminal size the loop last reported (mouse hit-testing).
    public var screenSize = Size(width: 80, height: 24)
    /// The list columns to show, in order (by title; empty means the default set).
    public var columns: [String] = []
    /// Keys the settings give commands (replacing the defaults).
    public var keymap: [Command: [Key]] = [:]
    public var selectedID: Int64?
    /// First visible list row.
    public var scrollTop = 0
    /// First visible line of the detail pane.
    public var detailScroll = 0
    public var focus: Focus = .list
    public var overlay: Overlay?
    /// Actions sent and not yet answered, by pod.
    public var pending: [Int64: PodAction] = [:]
    public var message: Message?
    /// Status changes seen this session, per pod, oldest first.
    public var history: [Int64: [StatusChange]] = [:]
    public var connection = ConnectionHealth()
    public var revealEnv = false
    /// Shown in the header: the API host, or "demo simulator".
    public var endpoint: String
    /// Poll interval when nothing is changing, in seconds.
    public var interval: Double
    public var readOnly: Bool
    public var shouldQuit = false
    /// The clock the last action carried; rendering uses it for ages.
    public var now: Date
    /// Items of the last list reply that could not be read.
    public var skippedCount = 0
    /// Bumped on every change, so the loop redraws only when something changed.
    public var version = 0
    /// Visible rows of the list, set from the terminal size so paging knows a page.
    public var pageSize = 20
    /// The create form, while it is open.
    public var form: CreateFormState?
    /// GPU types and registry credentials for the form's pickers.
    public var catalog = Catalog()
    /// Which account the data belongs to: bumped by each `:profile` switch; effect results
    /// started under another epoch are dropped (`Action.tagged`).
    public var epoch = 0
    /// Secrets to blank out of anything drawn (server messages can echo what was sent).
    /// Views read only this, never a process-wide registry.
    public var redactor = Redactor()
    /// The zone dates and times are shown in (the runtime sets the user's; tests pin one).
    public var timeZone = TimeZone(identifier: "UTC") ?? TimeZone(secondsFromGMT: 0) ?? .current

    public init(endpoint: String, interval: Double = 3, readOnly: Bool = false, now: Date) {
        self.endpoint = endpoint
        self.interval = interval
        self.readOnly = readOnly
        self.now = now
    }

    /// The selected pod, if it still exists.
    public var selectedPod: Pod? {
        selectedIndex.map { pods[$0] }
    }

    /// Index of the selected pod in `pods`.
    public var selectedIndex: Int? {
        guard let id = selectedID else { return nil }
        return pods.firstIndex(ofID: id)
    }

    /// True while the data on screen may be out of date (the last poll failed).
    /// The data on screen is not current: the last poll failed, or the one in flight has
    /// gone unanswered too long (`overdueFor`).
    public var isStale: Bool {
        connection.lastSuccess != nil && (connection.lastError != nil || connection.overdueFor(now: now, interval: interval) != nil)
    }

    /// Sum of $/h over RUNNING pods with a known price (all pods, not just the filtered).
    public var runningCostPerHour: Double { summary.runningCostPerHour }
}
