import Foundation
import PodAPI

/// The whole UI state, a value. `reduce` is the only thing that changes it.
public struct AppState: Sendable {
    /// Pods as the last good reply had them, sorted for display (by name, then id).
    public internal(set) var pods: [Pod] = []
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
        guard let id = selectedID else { return nil }
        return pods.first { $0.id == id }
    }

    /// Index of the selected pod in `pods`.
    public var selectedIndex: Int? {
        guard let id = selectedID else { return nil }
        return pods.firstIndex { $0.id == id }
    }

    /// True while the data on screen may be out of date (the last poll failed).
    public var isStale: Bool { connection.lastError != nil && connection.lastSuccess != nil }

    /// Sum of $/h over RUNNING pods with a known price.
    public var runningCostPerHour: Double {
        pods.reduce(0) { $0 + ($1.status == .running ? ($1.pricePerHour ?? 0) : 0) }
    }
}

/// A popup above the panes.
public enum Overlay: Sendable, Equatable {
    case help
    /// Delete confirmation for one pod; `deleteFocused` is false until the user moves to
    /// the Delete button, so Enter alone cancels.
    case confirmDelete(podID: Int64, name: String, deleteFocused: Bool)
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
    /// When the next poll is due.
    public var nextPoll: Date?
    public init() {}
}
