import AsyncHTTPClient
import FoundationEssentials
import NIOCore
import NIOHTTP1
import PodAPI

/// What one cheap authenticated GET found, for `podtui doctor`: whether the API answered,
/// whether it took the key, and how far this machine's clock is from the server's.
public struct APIAccessReport: Sendable {
    /// The HTTP status of the answer; nil when none came (refused, timed out, DNS, TLS).
    public var httpStatus: Int?
    /// Why the request did not succeed; nil when the API answered and took the key.
    public var error: PodAPIError?
    /// The reply's `Date` header, when it had a readable one.
    public var serverDate: Date?
    /// This machine's clock halfway through the request (the best guess at when the
    /// server wrote its `Date`).
    public var localDate: Date
    /// Seconds from sending to the whole reply.
    public var seconds: Double

    /// Seconds this clock is ahead of the server's (negative: behind); nil without a Date.
    /// A Date header holds whole seconds (the server's clock cut down), so the server's time
    /// is taken as the middle of that second.
    public var clockSkew: Double? { serverDate.map { localDate.timeIntervalSince($0) - 0.5 } }
    /// True when an answer came (whatever it said).
    public var answered: Bool { httpStatus != nil }
}

extension HTTPPodService {
    /// Sends one GET /v2/pods (the route every login may use) to `baseURL`, with `apiKey`
    /// when there is one, no retries and short timeouts, and reports what came back. Never
    /// throws: every failure is a value the doctor explains.
    public static func checkAccess(baseURL: URL, apiKey: APIKey?, connectTimeout: Double = 3, deadline: Double = 10,
                                   userAgent: String = "podtui/\(PodTUIVersion.current)") async -> APIAccessReport {
        let started = Date()
        let clock = ContinuousClock.now
        func report(status: Int?, error: PodAPIError?, date: Date?) -> APIAccessReport {
            let elapsed = ContinuousClock.now - clock
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            return APIAccessReport(httpStatus: status, error: error, serverDate: date,
                                   localDate: started.addingTimeInterval(seconds / 2), seconds: seconds)
        }
        let base = baseURL.absoluteString.hasSuffix("/") ? String(baseURL.absoluteString.dropLast()) : baseURL.absoluteString
        var request = HTTPClientRequest(url: base + "/v2/pods")
        request.method = .GET
        if let apiKey { request.headers.add(name: "X-Api-Key", value: apiKey.secret) }
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "User-Agent", value: userAgent)
        let client = SharedHTTPClients.client(connectTimeout: connectTimeout, readIdle: deadline)
        let status: Int
        let date: Date?
        let body: Data
        do {
            let response = try await client.execute(request, timeout: .milliseconds(Int64(saturating: deadline * 1000)))
            status = Int(response.status.code)
            date = response.headers.first(name: "Date").flatMap(HTTPDate.parse)
            body = Data(try await response.body.collect(upTo: replyLimit(.GET, "/v2/pods")).readableBytesView)
        } catch is NIOTooManyBytesError {
            return report(status: nil, error: .malformedResponse("the reply is larger than 64 MiB"), date: nil)
        } catch {
            return report(status: nil, error: map(transportError: error, timeout: connectTimeout, deadline: deadline), date: nil)
        }
        do {
            try checkEnvelope(status: status, retryAfter: nil, body: body, podID: nil)
            return report(status: status, error: nil, date: date)
        } catch {
            return report(status: status, error: error as? PodAPIError ?? .malformedResponse(String(describing: error)), date: date)
        }
    }
}
