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

    public init(endpoint: String, interval: Double = 3, readOnly: Bool = false, now: Date = Date()) {
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

/// The visible pods: positions in `allPods`, in display order. A view rather than a copy,
/// so a filter keystroke on 10,000 pods moves integers, not 10,000 pod structs.
public struct PodView: RandomAccessCollection, Sendable {
    public let all: [Pod]
    /// The ids of `all`, same order: finding the selected pod reads integers, not pods.
    public let ids: [Int64]
    public let order: [Int]
    public init(all: [Pod] = [], ids: [Int64] = [], order: [Int] = []) { self.all = all; self.ids = ids; self.order = order }
    public var startIndex: Int { 0 }
    public var endIndex: Int { order.count }
    public subscript(position: Int) -> Pod { all[order[position]] }

    /// The position of the pod with this id, comparing ids only.
    public func firstIndex(ofID id: Int64) -> Int? {
        order.firstIndex { ids[$0] == id }
    }
}

/// What the header shows about the whole fleet, computed once per reply.
public struct FleetSummary: Sendable, Equatable {
    public var counts: [PodStatus: Int] = [:]
    public var runningCostPerHour = 0.0
    /// Every region a pod is in (the filter sends exact region names to the server).
    public var regions: Set<String> = []

    public init(_ pods: [Pod]) {
        for pod in pods {
            if let region = pod.region { regions.insert(region) }
            counts[pod.status, default: 0] += 1
            if pod.status == .running, let price = pod.pricePerHour { runningCostPerHour += price }
        }
    }
}

/// The main views (`:pods`, `:gpus`, `:events`).
public enum MainView: String, Sendable, CaseIterable {
    case pods, gpus, events
}

/// The bottom input line: a filter being typed, or a `:` command.
public struct InputLine: Sendable, Equatable {
    public enum Kind: Sendable, Equatable { case filter, command }
    public var kind: Kind
    public var editor: LineEditor
    /// A new input line, optionally holding `text` (the filter in force, when `/` reopens it).
    public init(kind: Kind, text: String = "") { self.kind = kind; self.editor = LineEditor(text) }
}

/// One line of the events view.
public struct PodEvent: Sendable, Equatable {
    public enum Kind: Sendable, Equatable { case info, good, bad }
    public var at: Date
    public var podID: Int64?
    public var text: String
    public var kind: Kind
}

/// Progress of a bulk pause/resume/delete.
public struct BulkProgress: Sendable, Equatable {
    public var action: PodAction
    public var total: Int
    public var done = 0
    public var failed: [String] = []
    public var skipped: Int
    /// Pods still waiting for their reply.
    public var waiting: Set<Int64>
}

/// Something to write to the terminal outside curses.
public struct TerminalOutput: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case bell
        /// OSC 9 and OSC 777 desktop notification (title, body).
        case notify(String, String)
        /// OSC 52 clipboard copy.
        case copy(String)
    }
    public var seq: Int
    public var kind: Kind
}

/// A program to run with the terminal handed over.
public struct ExternalRequest: Sendable, Equatable {
    public var seq: Int
    /// argv, program first (looked up in PATH).
    public var arguments: [String]
    /// For messages: "ssh to llama-ft-7".
    public var title: String
}

/// A popup above the panes.
public enum Overlay: Sendable, Equatable {
    case help
    /// Delete confirmation for one pod; `deleteFocused` is false until the user moves to
    /// the Delete button, so Enter alone cancels.
    case confirmDelete(podID: Int64, name: String, deleteFocused: Bool)
    /// Bulk action confirmation for the marked pods.
    case confirmBulk(PodAction)
}

/// The message line.
public struct Message: Sendable, Equatable {
    public enum Kind: Sendable, Equatable { case info, success, error }
    public var text: String
    public var kind: Kind
    public var at: Date
    public init(_ text: String, kind: Kind, at: Date) { self.text = text; self.kind = kind; self.at = at }
}

/// One status change seen for a pod.
public struct StatusChange: Sendable, Equatable {
    public var status: PodStatus
    public var at: Date
}

/// How polling is going.
public struct ConnectionHealth: Sendable {
    public var lastSuccess: Date?
    /// The error of the last poll, cleared by a success.
    public var lastError: PodAPIError?
    /// Polls failed in a row.
    public var failures = 0
    /// A list request is in flight (never two).
    public var fetching = false
    /// Generation of the newest list request; replies from older ones are dropped.
    public var generation = 0
    /// What the newest list request asked the server to filter by.
    public var requestedQuery: ServerQuery?
    /// When the next poll is due.
    public var nextPoll: Date?
    /// When the list request in flight was sent.
    public var fetchStartedAt: Date?
    public init() {}

    /// Seconds the request in flight has gone unanswered, once that reaches max(5 s, the
    /// poll interval); nil otherwise. A reply that does not come makes the data stale at
    /// once, not when the request finally times out (15 s without a byte).
    public func overdueFor(now: Date, interval: Double) -> Double? {
        guard fetching, let started = fetchStartedAt else { return nil }
        let waited = now.timeIntervalSince(started)
        // Ticks come about once a second with up to 0.1 s leeway: a quarter second of slack
        // keeps the mark from slipping a whole tick past the limit.
        return waited >= max(5, interval) - 0.25 ? waited : nil
    }
}
