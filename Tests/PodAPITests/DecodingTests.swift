import Foundation
import Testing
@testable import PodAPI
@testable import PodClient

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

    @Test("only the id is required: nameless, CPU, statusless and odd-typed pods are all kept")
    func onlyIDRequired() throws {
        let body = #"""
        {"code":10000,"message":"success","data":[
          {"id":1,"status":"RUNNING","gpuType":"NVIDIA_RTX_4090_24G"},
          {"id":2,"name":null,"status":"RUNNING","resourceType":"CPU","gpuType":null,"gpuCount":0,"singleCardPrice":"0.12"},
          {"id":"3"},
          {"id":4,"name":"secs","status":"PAUSED","gpuType":"X","createdAt":1705306200,"updatedAt":"1705306200"},
          {"id":5,"name":7,"status":{"odd":true},"gpuType":["x"],"gpuCount":"2","expose":[{"port":"x"},{"port":22,"protocol":"ssh"}],
           "environmentVars":[{"value":"no key"},{"key":"A","value":1}]}
        ]}
        """#
        let list: LossyArray<Pod> = try HTTPPodService.decodeData(Data(body.utf8))
        #expect(list.failures.isEmpty)
        #expect(list.elements.map(\.id) == [1, 2, 3, 4, 5])
        let p = list.elements
        #expect(p[0].name == nil && p[0].isUnnamed && p[0].label == "pod 1")
        #expect(p[1].isCPU && p[1].gpuType == nil && p[1].gpuName == "CPU" && p[1].singleCardPrice == 0.12 && p[1].pricePerHour == 0.12)
        #expect(p[2].status == .unknown("") && p[2].name == nil)
        // Epoch seconds (below 10^11) are seconds, as a number and as a string.
        #expect(p[3].createdAt == Date(timeIntervalSince1970: 1_705_306_200))
        #expect(p[3].updatedAt == Date(timeIntervalSince1970: 1_705_306_200))
        // Whatever could be read is kept; a bad port or variable loses only itself.
        #expect(p[4].name == "7" && p[4].gpuCount == 2 && p[4].expose?.map(\.port) == [22] && p[4].envVars?.map(\.key) == ["A"])
        if case .unknown = p[4].status {} else { Issue.record("an unreadable status is unknown") }
        // A nameless pod encodes with an explicit null name, so `-o json` shows it.
        #expect(String(decoding: try JSONEncoder.api.encode(p[0]), as: UTF8.self).contains(#""name":null"#))
    }

    @Test("data: null is an empty list; create data may be a pod, an id or null")
    func nullData() throws {
        let empty: LossyArray<Pod>? = try HTTPPodService.decodeOptionalReply(status: 200, body: Data(#"{"code":10000,"message":"success","data":null}"#.utf8))
        #expect(empty == nil)
        func created(_ data: String) throws -> CreatedData? {
            try HTTPPodService.decodeOptionalReply(status: 200, body: Data(#"{"code":10000,"message":"success","data":\#(data)}"#.utf8))
        }
        if case .id(362_740_422_811_062_272)? = try created("362740422811062272") {} else { Issue.record("bare id") }
        if case .id(43)? = try created(#""43""#) {} else { Issue.record("id as string") }
        if case .pod(let pod)? = try created(#"{"id":9,"name":"n"}"#) { #expect(pod.id == 9) } else { Issue.record("pod") }
        #expect(try created("null") == nil)
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
        // Every "no such pod" dialect is one error (API notes, open question 9).
        for (status, body) in [(200, #"{"message":"Pod not found","code":13000,"data":null}"#),
                               (200, #"{"message":"Pod not exist","code":12000,"data":null}"#),
                               (200, #"{"message":"Record does not exist","code":10007,"data":null}"#),
                               (404, #"{"message":"Not Found","code":40400,"data":null}"#),
                               (404, "Not Found"), (404, "")] {
            #expect(check(status, body) == .notFound(podID: 362_740_422_811_062_273), "\(status) \(body)")
        }
        #expect(check(200, #"{"message":"Pod not found","code":13000,"data":null}"#)?.message == "Pod ID not found: 362740422811062273")
        #expect(check(401, "Unauthorized") == .unauthorized(httpStatus: 401, detail: "Unauthorized"))
        #expect(check(401, "Unauthorized")?.message == "API key rejected (HTTP 401): check YOTTA_API_KEY or ~/.yotta/config")
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
