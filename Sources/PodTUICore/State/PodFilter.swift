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
        /// `values` as the bytes the search index is searched for.
        var needles: [[UInt8]] { values.map { Array($0.utf8) } }
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

    /// Which pods of `index` pass every word (`idle:` aside: it is the caller's, which
    /// knows what is idle): a word is searched for in all pods at once, one pass over the
    /// index per value, and the words are ANDed.
    public func hits(in index: SearchIndex) -> [Bool] {
        var result = [Bool](repeating: true, count: index.count)
        for term in terms {
            var hit = [Bool](repeating: false, count: index.count)
            for needle in term.needles { index.mark(needle, in: term.field, hits: &hit) }
            for i in result.indices where hit[i] == term.negated { result[i] = false }
        }
        return result
    }

    /// True when pod `at` of `index` passes every word (`idle:` aside, as in `hits(in:)`).
    public func matches(_ index: SearchIndex, at pod: Int) -> Bool {
        terms.allSatisfy { term in
            term.needles.contains { index.contains($0, in: term.field, of: pod) } != term.negated
        }
    }

    /// True when the pod passes every word, and `idle:` when the filter asks (for one pod:
    /// the fleet is filtered with `hits(in:)`).
    public func matches(_ pod: Pod, idle isIdle: Bool = false) -> Bool {
        if let idle, idle != isIdle { return false }
        return matches(SearchIndex([pod]), at: 0)
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
