import FoundationEssentials
import Libc

/// Everything that can go wrong talking to the API, typed so callers can decide what to do
/// and each case has a sentence a person can act on (`message`).
public enum PodAPIError: Error, Sendable, Equatable, CustomStringConvertible {
    /// HTTP 401/403: the key was missing or rejected. `detail` is the server's text.
    case unauthorized(httpStatus: Int, detail: String)
    /// The API answered with an envelope whose `code` is not 10000.
    case api(httpStatus: Int, code: Int, message: String, podID: Int64?)
    /// A non-2xx answer that was not an envelope; `body` is the start of its text.
    case http(status: Int, body: String)
    /// The pod does not exist (or no longer does). Servers say this in several dialects, all
    /// mapped here: HTTP 404 with or without an envelope, or code 13000, 12000, 10007 or
    /// 40400 (API notes, open question 9).
    case notFound(podID: Int64?)
    /// A volume or registry credential that does not exist (same dialects as `notFound`).
    case resourceNotFound(kind: String, id: Int64)
    /// HTTP 429. `retryAfter` is the server's Retry-After in seconds, when sent.
    case rateLimited(retryAfter: Double?)
    /// The answer could not be understood (bad JSON, wrong shape).
    case malformedResponse(String)
    /// The connection failed: refused, reset, DNS, TLS.
    case connection(String)
    /// No complete answer within the configured time.
    case timeout(seconds: Double)
    /// The request broke local rules; nothing was sent.
    case invalidRequest([FieldError])
    /// The action does not apply to the pod's status; nothing was sent.
    case actionNotAllowed(action: PodAction, status: PodStatus)
    /// The configuration is unusable (bad URL, unsafe key file, …).
    case configuration(String)
    /// The server does not offer this operation (a route it answers with HTTP 404, or code
    /// 10001 for the request as a whole): volume rename and resize, which the newest API
    /// reference no longer lists (API notes §6.3). `operation` is a phrase ("Renaming a
    /// volume"); `detail` the server's message, if any.
    case unsupported(operation: String, httpStatus: Int, code: Int?, detail: String)

    /// Business codes documented by the API.
    public enum Code {
        public static let success = 10000
        public static let invalidParameters = 10001
        public static let systemError = 10002
        public static let recordNotFound = 10007
        public static let statusInvalid = 12001
        public static let podNotFound = 13000
        /// "Pod not exist", as the official SDK's test mocks answer.
        public static let podNotExist = 12000
        /// The 404-style code of the SDK's hand-written OpenAPI mocks.
        public static let notFound40400 = 40400
        /// Every code that means "no such pod" (with a pod id in the request).
        public static let notFoundCodes: Set<Int> = [podNotFound, podNotExist, recordNotFound, notFound40400]
    }

    /// One line a person can act on.
    public var message: String {
        switch self {
        case .unauthorized(let status, _):
            return "API key rejected (HTTP \(status)): check YOTTA_API_KEY or ~/.yotta/config"
        case .notFound(let podID):
            return podID.map { "Pod ID not found: \($0)" } ?? "Pod ID not found"
        case .resourceNotFound(let kind, let id):
            return "\(kind.firstUppercased) ID not found: \(id)"
        case .api(_, let code, let message, _):
            switch code {
            case Code.statusInvalid:
                return message.isEmpty ? "Pod status does not allow this action" : message
            case Code.invalidParameters:
                return "Invalid request: \(message)"
            default:
                return "\(message) (code \(code))"
            }
        case .http(let status, let body):
            let text = body.isEmpty ? "" : ": \(body)"
            return status >= 500 ? "Server error (HTTP \(status))\(text)" : "HTTP \(status)\(text)"
        case .rateLimited(let after):
            // Clamped: the error may have been built from anything a server sent.
            return after.flatMap { $0.isFinite ? Int(checked: min(max($0, 0), RetryPolicy.longestRetryAfter).rounded(.up)) : nil }
                .map { "Rate limited (HTTP 429): retry in \($0)s" } ?? "Rate limited (HTTP 429)"
        case .malformedResponse(let why):
            return "Unreadable reply from the API: \(why)"
        case .connection(let why):
            return "Cannot reach the API: \(why)"
        case .timeout(let seconds):
            return "No reply from the API within \(Self.seconds(seconds))"
        case .invalidRequest(let errors):
            return errors.map(\.description).joined(separator: "; ")
        case .actionNotAllowed(let action, let status):
            return action.refusal(for: status) ?? "\(action.rawValue) is not allowed now"
        case .configuration(let why):
            return why
        case .unsupported(let operation, let status, let code, let detail):
            var how = status == 200 ? "" : "HTTP \(status)"
            if let code { how += (how.isEmpty ? "" : ", ") + "code \(code)" }
            if !detail.isEmpty { how += ": " + detail }
            return "\(operation) is not supported by this server (\(how))"
        }
    }

    /// A few words for a status line ("HTTP 503", "timeout", "connection refused").
    public var shortReason: String {
        switch self {
        case .unauthorized(let status, _): "HTTP \(status)"
        case .api(let status, let code, _, _): status == 200 ? "code \(code)" : "HTTP \(status), code \(code)"
        case .http(let status, _): "HTTP \(status)"
        case .rateLimited: "HTTP 429"
        case .notFound, .resourceNotFound: "not found"
        case .malformedResponse: "bad reply"
        case .connection(let why): why.count <= 40 ? why : "connection failed"
        case .timeout: "timeout"
        case .invalidRequest: "invalid request"
        case .actionNotAllowed: "not allowed"
        case .configuration: "configuration"
        case .unsupported: "not supported"
        }
    }

    /// True when retrying the same GET may succeed (network trouble, 5xx, 429).
    public var isTransient: Bool {
        switch self {
        case .connection, .timeout, .rateLimited: true
        case .http(let status, _): status >= 500
        case .api(let status, let code, _, _): status >= 500 || code == Code.systemError
        default: false
        }
    }

    /// For validation errors, the field the server or the validator named.
    public var fieldErrors: [FieldError] {
        switch self {
        case .invalidRequest(let errors): return errors
        case .api(_, Code.invalidParameters, let message, _):
            // The simulator (and, we expect, the server) says "field: problem".
            if let colon = message.firstIndex(of: ":") {
                let field = message[..<colon].trimmed
                if !field.isEmpty, !field.contains(" ") {
                    return [FieldError(field: field, message: message[message.index(after: colon)...].trimmed)]
                }
            }
            return []
        default: return []
        }
    }

    public var description: String { message }

    /// True when the server said the request was refused as invalid (HTTP 400 or code
    /// 10001): a query the server does not understand, for example.
    public var isInvalidRequestRefusal: Bool {
        switch self {
        case .api(let status, let code, _, _): status == 400 || code == Code.invalidParameters
        case .http(let status, _): status == 400
        default: false
        }
    }

    private static func seconds(_ s: Double) -> String {
        s == s.rounded() ? "\(Int(s))s" : NumberText.fixed(s, 1) + "s"
    }
}

/// Formatting of pod ids: they are 14–18 digit Int64s; the UI shortens them.
public enum PodID {
    /// `362740422811062272` → `3627…2272`; short ids are returned whole.
    public static func short(_ id: Int64) -> String {
        let text = String(id)
        guard text.count > 9 else { return text }
        return "\(text.prefix(4))…\(text.suffix(4))"
    }

    /// Parses a positive integer id; nil for anything else (the SDKs reject those too).
    public static func parse(_ text: String) -> Int64? {
        guard let id = Int64(text.trimmed), id > 0 else { return nil }
        return id
    }
}
