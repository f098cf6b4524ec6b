import PodAPI

/// Which web address of a pod to open: the first healthy HTTP port with an ingress URL, or
/// the one asked for.
public enum Endpoints {
    /// The pod's HTTP ports that have an ingress URL, in the API's order.
    public static func http(_ pod: Pod) -> [ExposedPort] {
        (pod.expose ?? []).filter { ["HTTP", "HTTPS"].contains($0.protocol.uppercased()) && !($0.ingressUrl ?? "").isEmpty }
    }

    /// The URL to open, or why there is none, in words.
    public static func url(for pod: Pod, port: Int? = nil) -> Result<String, Refusal> {
        guard pod.status == .running else {
            return .failure(Refusal("\(pod.label) is \(pod.status.wireName); its web ports work only while RUNNING"))
        }
        let ports = http(pod)
        if let port {
            guard let match = ports.first(where: { $0.port == port }), let url = match.ingressUrl else {
                return .failure(Refusal("\(pod.label) has no HTTP URL on port \(port)" + (ports.isEmpty ? "" : " (it has \(ports.map { String($0.port) }.joined(separator: ", ")))")))
            }
            return .success(url)
        }
        guard let best = ports.first(where: { $0.healthy == true }) ?? ports.first, let url = best.ingressUrl else {
            return .failure(Refusal("\(pod.label) exposes no HTTP port with a URL"))
        }
        return .success(url)
    }

    /// Why a pod has no URL to open.
    public struct Refusal: Error, Sendable, Equatable {
        public var reason: String
        public init(_ reason: String) { self.reason = reason }
    }
}
