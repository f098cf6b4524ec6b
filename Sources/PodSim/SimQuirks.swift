/// The API dialects the simulator can speak, one switch per point where Yotta's own sources
/// disagree (API notes §9). The defaults are the reference's suggested server behaviour; each
/// other value reproduces what one of Yotta's tools or docs shows, so the client is tested
/// against every variant instead of against our own assumptions.
///
/// Written as `key=value` pairs separated by commas, on the command line
/// (`podtui sim --quirks status-filter=names,not-found=404`) or at run time
/// (`POST /_sim/quirks` with the same text).
public struct SimQuirks: Sendable, Equatable, Codable {
    /// What `statusList` the list endpoint accepts.
    public enum StatusFilter: String, Sendable, Codable, CaseIterable {
        /// Names (`RUNNING`) and integer codes (`1`), comma-separated or repeated.
        case any
        /// Names only, as Yotta's MCP server sends them; codes get HTTP 400 + 10001.
        case names
        /// Integer codes only, as the API guide and the official CLI send them.
        case codes
    }

    /// How "no such pod" is answered.
    public enum NotFound: String, Sendable, Codable, CaseIterable {
        /// HTTP 200 + code 13000 (the data model's "Pod not found").
        case code13000 = "13000"
        /// HTTP 200 + code 12000 "Pod not exist" (the official SDK's test mocks).
        case code12000 = "12000"
        /// HTTP 200 + code 10007 "Record does not exist".
        case code10007 = "10007"
        /// HTTP 404 + an envelope with code 40400 (the SDK's mocks, its hand-written OpenAPI).
        case http404 = "404"
        /// HTTP 404 with a plain-text body and no envelope (a gateway's answer).
        case http404Plain = "404-plain"
    }

    /// What `data` an empty list has.
    public enum EmptyData: String, Sendable, Codable, CaseIterable {
        case array
        /// `"data": null`.
        case null
    }

    /// What `data` a successful create has.
    public enum CreateReturns: String, Sendable, Codable, CaseIterable {
        /// The pod object (the v2 docs).
        case pod
        /// Only the new id (v1, and some SDK examples).
        case id
        /// `null` with code 10000.
        case null
    }

    /// How ids (pod and credential) are written.
    public enum IDs: String, Sendable, Codable, CaseIterable {
        case number
        /// JSON strings of digits (the docs' MCP tutorial sample).
        case string
    }

    /// Whether create requires a name.
    public enum Names: String, Sendable, Codable, CaseIterable {
        /// The API guide: `name` is required.
        case required
        /// The official SDK and CLI: `name` may be left out; such pods have none.
        case optional
    }

    /// How `createdAt` and `updatedAt` are written.
    public enum Timestamps: String, Sendable, Codable, CaseIterable {
        /// Epoch milliseconds (v2).
        case ms
        /// Epoch seconds (v1).
        case s
        /// ISO-8601 strings ([MCP] types them as strings).
        case iso
    }

    /// How prices and sizes are written.
    public enum Numbers: String, Sendable, Codable, CaseIterable {
        case number
        /// Strings (`"singleCardPrice": "0.39"`, as in the docs' MCP tutorial).
        case string
    }

    /// Which status vocabulary pods are sent with.
    public enum Statuses: String, Sendable, Codable, CaseIterable {
        /// `INITIALIZE`, `PAUSING`, `PAUSED`, … (v1 and the SDK enums).
        case names
        /// The docs' `INITIALIZING`, `STOPPING`, `STOPPED`.
        case aliases
        /// The integer codes 0–6.
        case codes
    }

    /// Whether some pods and volumes carry absurd numbers (`AbsurdNumber`).
    public enum Absurd: String, Sendable, Codable, CaseIterable {
        case off
        /// Every third pod and volume: `1e300`, `-1`, `Int64.max`, `"NaN"`… in each numeric
        /// field (timestamps, counts, sizes, prices, ports).
        case on
    }

    /// How the metrics routes (`/v2/metrics/...`) answer.
    public enum Metrics: String, Sendable, Codable, CaseIterable {
        /// Series as API notes §6.5 describe them, numbers as numbers.
        case normal
        /// HTTP 404 for every metrics route (a server without them).
        case missing
        /// HTTP 400 + code 10001 (a server that refuses metrics for these pods).
        case code10001 = "10001"
        /// `data: null` with code 10000.
        case empty
        /// Values and timestamps as strings, `latest_total` in each series.
        case strings
        /// The normal answer after 2 s.
        case slow
    }

    /// Whether the volume rename and resize routes exist (the newest API reference lists
    /// neither; API notes §6.3).
    public enum Volumes: String, Sendable, Codable, CaseIterable {
        /// Both routes, with their rules.
        case normal
        /// `POST /v2/volumes/{id}/name` answers a plain HTTP 404.
        case norename
        /// `POST /v2/volumes/{id}/resize` answers a plain HTTP 404.
        case noresize
        /// Neither route (both plain HTTP 404).
        case noedit
        /// Both refused as a whole: HTTP 400 + code 10001, no field named.
        case code10001 = "10001"

        /// True when the rename route answers as if missing.
        public var lacksRename: Bool { self == .norename || self == .noedit }
        /// True when the resize route answers as if missing.
        public var lacksResize: Bool { self == .noresize || self == .noedit }
    }

    public var statusFilter: StatusFilter = .any
    public var notFound: NotFound = .code13000
    public var emptyData: EmptyData = .array
    public var createReturns: CreateReturns = .pod
    public var ids: IDs = .number
    public var names: Names = .required
    public var timestamps: Timestamps = .ms
    public var numbers: Numbers = .number
    public var statuses: Statuses = .names
    public var absurd: Absurd = .off
    public var metrics: Metrics = .normal
    public var volumes: Volumes = .normal

    public init() {}

    /// The switches by their command-line names, with the values each takes.
    public static let keys: [(name: String, values: [String])] = [
        ("status-filter", StatusFilter.allCases.map(\.rawValue)),
        ("not-found", NotFound.allCases.map(\.rawValue)),
        ("empty-data", EmptyData.allCases.map(\.rawValue)),
        ("create-returns", CreateReturns.allCases.map(\.rawValue)),
        ("ids", IDs.allCases.map(\.rawValue)),
        ("names", Names.allCases.map(\.rawValue)),
        ("timestamps", Timestamps.allCases.map(\.rawValue)),
        ("numbers", Numbers.allCases.map(\.rawValue)),
        ("statuses", Statuses.allCases.map(\.rawValue)),
        ("absurd", Absurd.allCases.map(\.rawValue)),
        ("metrics", Metrics.allCases.map(\.rawValue)),
        ("volumes", Volumes.allCases.map(\.rawValue)),
    ]

    /// Why a quirk string was refused.
    public struct ParseError: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// Parses `key=value,key=value` over the defaults. Empty text gives the defaults.
    public init(parsing text: String) throws(ParseError) {
        self.init()
        for pair in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !pair.isEmpty {
            let parts = pair.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2 else {
                throw ParseError(description: "quirk \"\(pair)\" is not key=value")
            }
            try set(parts[0], parts[1])
        }
    }

    private mutating func set(_ key: String, _ value: String) throws(ParseError) {
        func pick<T: RawRepresentable & CaseIterable>(_ type: T.Type) throws(ParseError) -> T where T.RawValue == String {
            guard let v = T(rawValue: value) else {
                throw ParseError(description: "quirk \(key) takes \(T.allCases.map(\.rawValue).joined(separator: "|")), not \(value)")
            }
            return v
        }
        switch key {
        case "status-filter": statusFilter = try pick(StatusFilter.self)
        case "not-found": notFound = try pick(NotFound.self)
        case "empty-data": emptyData = try pick(EmptyData.self)
        case "create-returns": createReturns = try pick(CreateReturns.self)
        case "ids": ids = try pick(IDs.self)
        case "names": names = try pick(Names.self)
        case "timestamps": timestamps = try pick(Timestamps.self)
        case "numbers": numbers = try pick(Numbers.self)
        case "statuses": statuses = try pick(Statuses.self)
        case "absurd": absurd = try pick(Absurd.self)
        case "metrics": metrics = try pick(Metrics.self)
        case "volumes": volumes = try pick(Volumes.self)
        default:
            throw ParseError(description: "unknown quirk \(key); known: \(Self.keys.map(\.name).joined(separator: ", "))")
        }
    }

    /// The settings as `key=value,…`, every key included.
    public var text: String {
        [("status-filter", statusFilter.rawValue), ("not-found", notFound.rawValue), ("empty-data", emptyData.rawValue),
         ("create-returns", createReturns.rawValue), ("ids", ids.rawValue), ("names", names.rawValue),
         ("timestamps", timestamps.rawValue), ("numbers", numbers.rawValue), ("statuses", statuses.rawValue),
         ("absurd", absurd.rawValue), ("metrics", metrics.rawValue), ("volumes", volumes.rawValue)]
            .map { "\($0.0)=\($0.1)" }.joined(separator: ",")
    }
}
