import PodAPI

/// Which web address of a pod to open: the first healthy HTTP port with an ingress URL, or
/// the one asked for. Only a plain `http`/`https` address is ever returned (`isSafeURL`), so
/// the `o` key's launcher, its clipboard copy and `podtui pods url` hand over nothing else.
public enum Endpoints {
    /// The pod's HTTP ports that have an ingress URL, in the API's order.
    public static func http(_ pod: Pod) -> [ExposedPort] {
        (pod.expose ?? []).filter { ["HTTP", "HTTPS"].contains($0.protocol.uppercased()) && !($0.ingressUrl ?? "").isEmpty }
    }

    /// The longest URL podtui hands over.
    public static let maxURLLength = 2000

    /// True for a plain web address: `http://` or `https://` and something after it, printable
    /// ASCII only (no space, control, bidi or other invisible character), at most
    /// `maxURLLength`. Anything else (`file:`, `smb:`, `javascript:`, `-aCalculator`, which an
    /// opener reads as an option) could start another program than a browser.
    public static func isSafeURL(_ url: String) -> Bool {
        let scheme = url.hasPrefix("https://") ? 8 : url.hasPrefix("http://") ? 7 : 0
        return scheme > 0 && url.utf8.count > scheme && url.utf8.count <= maxURLLength
            && url.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F }
    }

    /// The URL to open, or why there is none, in words.
    public static func url(for pod: Pod, port: Int? = nil) -> Result<String, Refusal> {
        let label = TextSafety.clean(pod.label)
        guard pod.status == .running else {
            return .failure(Refusal("\(label) is \(TextSafety.clean(pod.status.wireName)); its web ports work only while RUNNING"))
        }
        let ports = http(pod)
        if let port {
            guard let match = ports.first(where: { $0.port == port }), let url = match.ingressUrl else {
                return .failure(Refusal("\(label) has no HTTP URL on port \(port)" + (ports.isEmpty ? "" : " (it has \(ports.map { String($0.port) }.joined(separator: ", ")))")))
            }
            return isSafeURL(url) ? .success(url) : .failure(unsafe(url, label: label))
        }
        // The first healthy port with a plain URL, else the first with one; a port whose URL
        // is not plain is passed over, and named when it was the only kind there is.
        let safe = ports.filter { isSafeURL($0.ingressUrl ?? "") }
        guard let best = safe.first(where: { $0.healthy == true }) ?? safe.first, let url = best.ingressUrl else {
            if let odd = ports.first?.ingressUrl { return .failure(unsafe(odd, label: label)) }
            return .failure(Refusal("\(label) exposes no HTTP port with a URL"))
        }
        return .success(url)
    }

    private static func unsafe(_ url: String, label: String) -> Refusal {
        let shown = TextSafety.clean(url.count > 80 ? String(url.prefix(80)) + "…" : url)
        return Refusal("\(label)'s web URL is not a plain http(s) address (\(shown)); podtui neither opens nor copies it")
    }

    /// Why a pod has no URL to open.
    public struct Refusal: Error, Sendable, Equatable {
        public var reason: String
        public init(_ reason: String) { self.reason = reason }
    }
}
