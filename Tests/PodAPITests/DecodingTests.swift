import Foundation
import Testing
@testable import PodAPI

@Suite("Lenient decoding")
struct DecodingTests {
    func fixture(_ name: String) throws -> Data {
        let url = try #require(Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Fixtures"))
        return try Data(contentsOf: url)
    }

    @Test("a list keeps every readable pod and reports the malformed ones")
    func mixedList() throws {
        let data = try fixture("pod-list-mixed")
        try HTTPPodService.checkEnvelope(status: 200, retryAfter: nil, body: data, podID: nil)
        let list: LossyArray<Pod> = try HTTPPodService.decodeData(data)
        #expect(list.elements.map(\.name) == ["big-id", "max-id", "string-id", "alias", "odd-status", "code-6", "stopping"])
        #expect(list.failures.map(\.index) == [6, 7])
        #expect(list.failures[0].reason.contains("id"))
    }

    @Test("ids above 2^53 stay exact")
    func exactIDs() throws {
        let list: LossyArray<Pod> = try HTTPPodService.decodeData(try fixture("pod-list-mixed"))
        #expect(list.elements[0].id == 362_740_422_811_062_272)
        #expect(list.elements[1].id == Int64.max)
        #expect(list.elements[2].id == 43_264_375_788_654)
        // And back out: encoding writes the same digits.
        let json = String(decoding: try JSONEncoder.api.encode(list.elements[0]), as: UTF8.self)
        #expect(json.contains("\"id\":362740422811062272"))
    }

    @Test("status names, aliases, codes and unknown values")
    func statuses() throws {
        let list: LossyArray<Pod> = try HTTPPodService.decodeData(try fixture("pod-list-mixed"))
        #expect(list.elements.map(\.status) == [.running, .paused, .paused, .initializing, .unknown("HIBERNATING"), .failed, .pausing])
        #expect(PodStatus(parsing: "initialize") == .initializing)
        #expect(PodStatus(parsing: "5") == .terminated)
        #expect(PodStatus(parsing: "STOPPED") == .paused)
        #expect(PodStatus(code: 7) == nil)
    }

    @Test("createdAt as ms number, numeric string and ISO-8601")
    func timestamps() throws {
        let list: LossyArray<Pod> = try HTTPPodService.decodeData(try fixture("pod-list-mixed"))
        #expect(list.elements[0].createdAt == Date(timeIntervalSince1970: 1_705_306_200))
        #expect(list.elements[1].createdAt == Date(timeIntervalSince1970: 1_705_306_200))
        #expect(list.elements[2].createdAt == Date(timeIntervalSince1970: 1_705_306_200))
        let frac = try #require(list.elements[3].createdAt)
        #expect(abs(frac.timeIntervalSince1970 - 1_705_306_200.25) < 0.001)
        #expect(list.elements[4].createdAt == nil)
    }

    @Test("envVars or environmentVars, unknown keys ignored, nulls tolerated")
    func optionalFields() throws {
        let list: LossyArray<Pod> = try HTTPPodService.decodeData(try fixture("pod-list-mixed"))
        #expect(list.elements[0].envVars == [EnvVar(key: "A", value: "1")])
        #expect(list.elements[1].envVars == [EnvVar(key: "B", value: "2")])
        #expect(list.elements[0].pricePerHour == 2.4 * 8)
        #expect(list.elements[5].expose?.first?.proxyPort == 30003)
        #expect(list.elements[6].gpuCount == nil)
        #expect(list.elements[6].sshCmd == nil)
    }

    @Test("envelope rules: code checked on 2xx, envelope or text on errors")
    func envelopes() throws {
        func check(_ status: Int, _ body: String, retryAfter: String? = nil) -> PodAPIError? {
            do { try HTTPPodService.checkEnvelope(status: status, retryAfter: retryAfter, body: Data(body.utf8), podID: 3_627_404_228_110_622_73); return nil }
            catch { return error as? PodAPIError }
        }
        #expect(check(200, #"{"message":"success","code":10000,"data":true}"#) == nil)
        #expect(check(200, #"{"message":"Pod not found","code":13000,"data":null}"#)
                == .api(httpStatus: 200, code: 13000, message: "Pod not found", podID: 362_740_422_811_062_273))
        #expect(check(200, #"{"message":"Pod not found","code":13000,"data":null}"#)?.message == "Pod 3627…2273 not found")
        #expect(check(401, "Unauthorized") == .unauthorized(httpStatus: 401, detail: "Unauthorized"))
        #expect(check(401, "Unauthorized")?.message == "API key rejected (HTTP 401): check YOTTA_API_KEY")
        #expect(check(400, #"{"message":"gpuCount: must be a power of two","code":10001,"data":null}"#)?.fieldErrors
                == [FieldError(field: "gpuCount", message: "must be a power of two")])
        #expect(check(502, "<html>bad gateway</html>") == .http(status: 502, body: "<html>bad gateway</html>"))
        #expect(check(429, "slow down", retryAfter: "7") == .rateLimited(retryAfter: 7))
        if case .malformedResponse? = check(200, #"{"code":10000,"data":[{"id":1"#) {} else { Issue.record("truncated JSON must be malformed") }
        if case .malformedResponse? = check(200, "<html>") {} else { Issue.record("HTML on 200 must be malformed") }
        #expect(check(200, #"{"message":"Quota","code":19999}"#)?.message == "Quota (code 19999)")
    }

    @Test("GPU types and credentials decode from the reference examples")
    func catalog() throws {
        let types = #"{"code":10000,"message":"success","data":[{"gpuType":"NVIDIA_RTX_4090_24G","regions":[{"region":"us-east-1","regionName":"US East","available":true,"vmTypeId":1}]}]}"#
        let decoded: LossyArray<GPUType> = try HTTPPodService.decodeData(Data(types.utf8))
        #expect(decoded.elements.first?.availableRegions.map(\.region) == ["us-east-1"])
        #expect(decoded.elements.first?.displayName == "RTX 4090")
        let creds = #"{"code":10000,"message":"success","data":[{"id":123,"name":"my-docker-registry","type":"DOCKER_HUB","createdAt":"2024-01-15T10:30:00Z"}]}"#
        let credentials: LossyArray<RegistryCredential> = try HTTPPodService.decodeData(Data(creds.utf8))
        #expect(credentials.elements.first?.createdAt == Date(timeIntervalSince1970: 1_705_314_600))
    }

    @Test("Retry-After as seconds and as an HTTP date")
    func retryAfter() {
        #expect(RetryPolicy.parseRetryAfter("3") == 3)
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        let later = RetryPolicy.parseRetryAfter("Tue, 14 Nov 2023 22:13:30 GMT", now: now)
        #expect(later == 10)
        #expect(RetryPolicy.parseRetryAfter("soon") == nil)
        let policy = RetryPolicy(maxAttempts: 5, baseDelay: 1, maxDelay: 4)
        #expect(policy.delay(beforeRetry: 10, after: .connection("x"), random: 1) == 4)
        #expect(policy.delay(beforeRetry: 1, after: .rateLimited(retryAfter: 2.5)) == 2.5)
    }
}
