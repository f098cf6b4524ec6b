/// How a simulator instance behaves.
public struct SimulatorOptions: Sendable {
    /// Which fleet it starts with.
    public enum Scenario: String, Sendable, CaseIterable {
        /// About a dozen realistic pods over several regions, GPU types and statuses.
        case demo
        /// No pods at all.
        case empty
        /// A generated fleet of `podCount` pods, for scale work.
        case many
    }

    /// The key clients must send in `X-Api-Key`.
    public var apiKey: String
    public var scenario: Scenario
    /// Size of the generated fleet (`many`), or extra generated pods for other scenarios.
    public var podCount: Int?
    /// Lifecycle speed: 10 makes every transition ten times faster.
    public var speed: Double
    /// Seed for generated data and random lifecycle outcomes.
    public var seed: UInt64
    /// Seconds (at speed 1) a TERMINATED pod stays listed before it is gone.
    public var keepTerminated: Double
    /// The API dialect to start in (`--quirks`); `/_sim/quirks` changes it at run time.
    public var quirks: SimQuirks
    /// Address to bind; loopback by default.
    public var host: String
    /// Port to bind; 0 picks a free one.
    public var port: Int
    /// Every list request first touches one pod (round robin: its `updatedAt` becomes now),
    /// so each poll brings a reply that differs in one pod: the realistic fleet, where a
    /// client cannot skip decoding an unchanged body (`--churn`; scripts/measure.py).
    public var churn = false

    public init(apiKey: String, scenario: Scenario = .demo, podCount: Int? = nil, speed: Double = 1, seed: UInt64 = 42,
                keepTerminated: Double = 30, statusAliases: Bool = false, quirks: SimQuirks = SimQuirks(),
                host: String = "127.0.0.1", port: Int = 0) {
        self.apiKey = apiKey; self.scenario = scenario; self.podCount = podCount; self.speed = max(speed, 0.001)
        self.seed = seed; self.keepTerminated = keepTerminated
        self.quirks = quirks
        // The older flag for the docs' status aliases (INITIALIZING, STOPPING, STOPPED).
        if statusAliases { self.quirks.statuses = .aliases }
        self.host = host; self.port = port
    }
}

/// Lifecycle durations in seconds at speed 1 (divided by `speed`).
enum Durations {
    static let initialize = 20.0
    static let pausing = 10.0
    static let resuming = 15.0
    static let terminating = 8.0
}
