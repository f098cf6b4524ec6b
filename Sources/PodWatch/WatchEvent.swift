import FoundationEssentials

/// One thing that happened, as the watcher tells it: to webhooks (the JSON body), exec hooks
/// (environment variables), the journal and the log. Made once per occurrence by
/// `EventDetector`, which gives it a `seq` that never repeats for a state directory and
/// profile (the journal keeps the counter across restarts).
public struct WatchEvent: Sendable, Codable, Equatable {
    /// The pod an event is about, as it was when the event happened.
    public struct PodRef: Sendable, Codable, Equatable {
        public var id: Int64
        /// The name as the API sent it (control characters removed), or nil for none.
        public var name: String?
        /// The wire status then (`RUNNING`, `FAILED`, or the last one seen for `gone`).
        public var status: String

        public init(id: Int64, name: String?, status: String) { self.id = id; self.name = name; self.status = status }

        /// What to call the pod in a sentence.
        public var label: String { name.map { $0.isEmpty ? "pod \(id)" : "\($0) (\(id))" } ?? "pod \(id)" }
    }

    /// Its place in the journal: increasing, never reused.
    public var seq: Int64
    public var kind: WatchEventKind
    /// The pod, or nil for a fleet event (`over_budget`, `under_budget`).
    public var pod: PodRef?
    /// One readable line, complete on its own (Slack and Mattermost show just this).
    public var text: String
    public var time: Date

    public init(seq: Int64, kind: WatchEventKind, pod: PodRef?, text: String, time: Date) {
        self.seq = seq; self.kind = kind; self.pod = pod; self.text = text; self.time = time
    }
}
