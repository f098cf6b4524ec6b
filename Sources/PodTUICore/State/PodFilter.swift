import FoundationEssentials
import PodAPI

/// The `/` filter language.
///
/// Words are ANDed. A plain word matches a substring (any case) of the name, image, GPU
/// (code or display name), region, status or id. `field:value` narrows to one field
/// (`name`, `image`, `gpu`, `region`, `status`, `id`); `field:a,b` matches either value.
/// A leading `!` negates a word. Example: `status:paused region:us-east-1 gpu:h100 !test`.
/// `idle:yes` (or `idle:no`) keeps the pods GPU probes have seen idle (or not idle).
public struct PodFilter: Sendable, Equatable {
    public enum Field: String, Sendable, CaseIterable {
        case name, image, gpu, region, status, id
    }

    public struct Term: Sendable, Equatable {
        /// Nil: any field.
        public var field: Field?
        /// Lower-cased alternatives; the term matches when any of them does.
        public var values: [String]
        public var negated: Bool
    }

    public let text: String
    public let terms: [Term]
    /// Words that looked like `field:value` with an unknown field (matched as plain text).
    public let unknownFields: [String]
    /// `idle:yes` (true) or `idle:no` (false); nil when the filter does not ask.
    public let idle: Bool?

    public init(_ text: String) {
        self.text = text
        var terms: [Term] = []
        var unknown: [String] = []
        var idle: Bool?
        for word in text.split(whereSeparator: \.isWhitespace) {
            var w = Substring(word)
            let negated = w.hasPrefix("!")
            if negated { w = w.dropFirst() }
            guard !w.isEmpty else { continue }
            if let colon = w.firstIndex(of: ":"), colon != w.startIndex {
                let name = w[..<colon].lowercased()
                let rest = w[w.index(after: colon)...]
                if name == "idle", let yes = ["yes": true, "y": true, "true": true, "1": true, "no": false, "n": false, "false": false, "0": false][rest.lowercased()] {
                    idle = yes != negated
                    continue
                }
                if let field = Field(rawValue: name) {
                    let values = rest.split(separator: ",").map { $0.lowercased() }
                    if !values.isEmpty { terms.append(Term(field: field, values: values, negated: negated)) }
                    continue
                }
                unknown.append(name)
            }
            terms.append(Term(field: nil, values: [w.lowercased()], negated: negated))
        }
        self.terms = terms
        self.unknownFields = unknown
        self.idle = idle
    }

    public var isEmpty: Bool { terms.isEmpty && idle == nil }

    /// Substring test on UTF-8 bytes: Foundation's `String.contains` allocates and bridges,
    /// which made a 10,000-pod filter keystroke several times slower. Both sides are
    /// lower-cased already, so a byte match is a case-insensitive match.
    static func contains(_ haystack: String, _ needle: String) -> Bool {
        if needle.isEmpty { return true }
        // Native strings are contiguous UTF-8: no copy. Others (rare) take the slow path.
        let result = haystack.utf8.withContiguousStorageIfAvailable { hb in
            needle.utf8.withContiguousStorageIfAvailable { nb in
                let count = nb.count
                guard count <= hb.count else { return false }
                let first = nb[0]
                var i = 0
                let last = hb.count - count
                while i <= last {
                    if hb[i] == first {
                        var j = 1
                        while j < count && hb[i + j] == nb[j] { j += 1 }
                        if j == count { return true }
                    }
                    i += 1
                }
                return false
            }
        }
        return (result ?? nil) ?? haystack.contains(needle)
    }

    /// True when the pod passes every term, judged on its search keys (made once per reply,
    /// so a keystroke costs no lower-casing).
    public func matches(_ keys: PodSearchKeys, idle isIdle: Bool = false) -> Bool {
        matches([keys], at: 0, idle: isIdle)
    }

    /// `matches(_:idle:)` for the pod at `index` of `keys`, read in place: handing a pod's
    /// keys over by value copies seven strings (a retain and a release each), which was half
    /// of a filter keystroke at 10,000 pods.
    public func matches(_ keys: [PodSearchKeys], at index: Int, idle isIdle: Bool = false) -> Bool {
        if let idle, idle != isIdle { return false }
        for term in terms {
            let hit = term.values.contains { value in
                if let field = term.field { return Self.contains(keys[index][field], value) }
                return Self.contains(keys[index].all, value)
            }
            if hit == term.negated { return false }
        }
        return true
    }

    /// The part the API can do for us: positive `status:` words naming known statuses and
    /// positive `region:` words naming a region exactly (from `knownRegions`). The list
    /// request then carries `statusList`/`regionList`, so big fleets are cut by the server;
    /// the local match still runs on what comes back.
    public func serverQuery(knownRegions: Set<String>) -> ServerQuery {
        var statuses: [PodStatus] = []
        var regions: [String] = []
        for term in terms where !term.negated {
            switch term.field {
            case .status?:
                // Only exact status names: a partial one ("status:pau") stays local, or the
                // server would drop pods the user wants.
                let parsed = term.values.map { PodStatus(parsing: $0.uppercased()) }
                if zip(parsed, term.values).allSatisfy({ $0.wireName.lowercased() == $1 && !$0.isUnknown }) {
                    statuses += parsed.filter { !statuses.contains($0) }
                }
            case .region?:
                if term.values.allSatisfy(knownRegions.contains) { regions += term.values.filter { !regions.contains($0) } }
            default: break
            }
        }
        return ServerQuery(regions: regions, statuses: statuses)
    }
}

extension PodStatus {
    /// True for a status the client does not know.
    var isUnknown: Bool { if case .unknown = self { true } else { false } }
}
