import FoundationEssentials

/// Where the Yotta API is when nothing says otherwise.
public enum YottaAPI {
    public static let defaultBaseURL = "https://api.yottalabs.ai"
}

/// A base URL as one comparable string: lower-case scheme and host, the port when given,
/// the path without a trailing `/` (`https://api.yottalabs.ai`).
public enum EndpointKey {
    public static func of(_ url: URL?) -> String {
        guard let url else { return "" }
        var path = url.path
        while path.hasSuffix("/") { path.removeLast() }
        let host = (url.host ?? "").lowercased()
        return (url.scheme ?? "https").lowercased() + "://" + (host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host)
            + (url.port.map { ":\($0)" } ?? "") + path
    }
}
