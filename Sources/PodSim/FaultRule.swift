/// A fault the simulator injects into matching API requests, for the next `count` requests
/// or a `fraction` of them (or every one, when neither is set).
///
/// Switched on at run time through `POST /_sim/faults` with this type's JSON, e.g.
/// `{"kind":"http500","count":3}` or `{"kind":"slow","delaySeconds":5,"fraction":0.5}`.
public struct FaultRule: Sendable, Codable, Equatable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// HTTP 500 with an error envelope (code 10002).
        case http500
        /// HTTP 502 with an HTML body, as a proxy in front of the API would send.
        case http502
        /// HTTP 503 with an HTML body.
        case http503
        /// HTTP 429 with `Retry-After: retryAfter`.
        case rateLimit
        /// The normal reply, after `delaySeconds`.
        case slow
        /// No reply, ever (until the server stops).
        case hang
        /// The connection is closed without a reply.
        case drop
        /// HTTP 200 with truncated JSON.
        case malformed
        /// HTTP 200 with an envelope whose code nobody documented (19999).
        case unknownCode
        /// HTTP 401 with the plain-text body `Unauthorized`.
        case unauthorized
        /// HTTP 400 with code 10001 and `message` (as the server rejects a field it checks
        /// and the client cannot, e.g. `"image: not found in the registry"`).
        case invalidParameters
        /// HTTP 200 whose body is `megabytes` MiB of JSON whitespace (streamed, never held):
        /// a reply no client should read to the end.
        case huge
    }

    public var kind: Kind
    /// Apply to this many matching requests, then remove the rule.
    public var count: Int?
    /// Apply to this share (0…1) of matching requests.
    public var fraction: Double?
    /// Only requests whose path starts with this.
    public var path: String?
    /// Only requests with this method.
    public var method: String?
    /// For `slow`.
    public var delaySeconds: Double?
    /// For `rateLimit`.
    public var retryAfter: Int?
    /// For `invalidParameters`: the envelope's message.
    public var message: String?
    /// For `huge`: the body's size in MiB (80 when unset).
    public var megabytes: Int?

    public init(kind: Kind, count: Int? = nil, fraction: Double? = nil, path: String? = nil, method: String? = nil,
                delaySeconds: Double? = nil, retryAfter: Int? = nil, message: String? = nil, megabytes: Int? = nil) {
        self.megabytes = megabytes
        self.kind = kind; self.count = count; self.fraction = fraction; self.path = path; self.method = method
        self.delaySeconds = delaySeconds; self.retryAfter = retryAfter; self.message = message
    }
}
