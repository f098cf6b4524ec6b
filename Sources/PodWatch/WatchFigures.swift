import FoundationEssentials

/// What the watcher's `/metrics` page shows: one look at the fleet and the watcher's own
/// health, as plain values (made from the store's state by `WatchFigures.from`, rendered
/// into the Prometheus text format by the runtime). Carries no secret: no key, no URL, no
/// ssh command; only ids, names, statuses and numbers.
public struct WatchFigures: Sendable, Equatable {
    /// One pod as the page shows it.
    public struct PodFigures: Sendable, Equatable {
        public var id: Int64
        /// The name as the API sent it (cleaned of control characters), or "" for none.
        public var name: String
        /// The wire status (`RUNNING`, `PAUSED`, ...).
        public var status: String
        /// $/h, when the API sent a believable one.
        public var pricePerHour: Double?
        /// GPU utilization percent per GPU index, from the newest figures (API metrics or
        /// probes), for RUNNING pods that have them.
        public var gpuUtilization: [GPUFigure]
        /// How long every GPU has been idle, seconds, when a source speaks for the pod.
        public var idleSeconds: Double?

        public init(id: Int64, name: String, status: String, pricePerHour: Double?, gpuUtilization: [GPUFigure], idleSeconds: Double?) {
            self.id = id; self.name = name; self.status = status; self.pricePerHour = pricePerHour
            self.gpuUtilization = gpuUtilization; self.idleSeconds = idleSeconds
        }
    }

    /// One GPU's utilization.
    public struct GPUFigure: Sendable, Equatable {
        /// The GPU's index as the source said it (its place in the list when it did not).
        public var gpu: Int
        public var percent: Double
        public init(gpu: Int, percent: Double) { self.gpu = gpu; self.percent = percent }
    }

    /// Every pod of the last good reply, in reply order.
    public var pods: [PodFigures]
    /// The statuses the page reports for every pod (1 for the current, 0 for the others), so a
    /// pod that changes status moves its 1 instead of leaving a stale series behind.
    public var statuses: [String]
    /// Sum of the RUNNING pods' $/h.
    public var fleetBurnPerHour: Double
    /// Dollars the ledger saw spent, every pod, since the ledger began.
    public var spendObservedTotal: Double
    /// When an API list last answered, if ever.
    public var lastSuccess: Date?
    /// API requests that failed since the watcher started.
    public var apiErrors: Int
    /// Events the watcher emitted since it started, per kind.
    public var events: [WatchEventKind: Int]
    /// Deliveries waiting in the outbox (all targets).
    public var pendingDeliveries: Int

    public init(pods: [PodFigures] = [], statuses: [String] = [], fleetBurnPerHour: Double = 0, spendObservedTotal: Double = 0,
                lastSuccess: Date? = nil, apiErrors: Int = 0, events: [WatchEventKind: Int] = [:], pendingDeliveries: Int = 0) {
        self.pods = pods; self.statuses = statuses; self.fleetBurnPerHour = fleetBurnPerHour
        self.spendObservedTotal = spendObservedTotal; self.lastSuccess = lastSuccess; self.apiErrors = apiErrors
        self.events = events; self.pendingDeliveries = pendingDeliveries
    }
}
