import Foundation
import Testing
@testable import PodAPI
@testable import PodClient
@testable import PodLocal
@testable import PodProbe
@testable import PodTUICore

/// Issue 24's property: every numeric field of a pod, volume, credential, probe line and
/// header, fed each absurd value, goes through decode (both pod decoders), the list, the
/// detail pane, the raw view, `-o json`, the ledger, timers and every sort without a trap;
/// the pod stays listed and the absurd field becomes unknown.
///
/// A trap here ends the test process, which is the failure: no `#expect` can catch it.
@Suite("Absurd numbers from outside never trap")
struct HostileNumberTests {
    /// The values of the issue, as JSON.
    static let values = ["1e300", "-1e300", "1e19", "-1", "0", "9223372036854775807", "\"NaN\"", "\"inf\"", "1.5",
                         "\"1e300\"", "\"-1\"", "\"99999999999999999999\""]

    static let podFields = ["gpuCount", "createdAt", "updatedAt", "containerVolumeInGb", "persistentVolumeInGb", "shmInGb",
                            "singleCardVramInGb", "singleCardRamInGb", "singleCardVcpu", "singleCardPrice",
                            "containerRegistryAuthId", "port", "proxyPort", "status"]

    /// A RUNNING pod whose `field` is `value` (a port field goes into its `expose` item).
    static func podJSON(id: Int64, field: String, value: String, status: String = "RUNNING") -> String {
        var members: [String: String] = [
            "id": "\(id)", "name": "\"hostile-\(id)\"", "status": "\"\(status)\"", "gpuType": "\"NVIDIA_H100_80G\"",
            "gpuCount": "2", "createdAt": "1764000000000", "updatedAt": "1764000000000", "singleCardPrice": "2.4",
            "containerVolumeInGb": "100", "sshCmd": "\"ssh root@h.example -p 30003\"", "region": "\"us-east-1\"",
        ]
        var port = ["port": "8888", "proxyPort": "30004"]
        if port[field] != nil { port[field] = value } else { members[field] = value }
        let expose = "[{\"port\":\(port["port"] ?? "1"),\"protocol\":\"HTTP\",\"proxyPort\":\(port["proxyPort"] ?? "1"),"
            + "\"ingressUrl\":\"https://x.example\"}]"
        members["expose"] = expose
        return "{" + members.sorted { $0.key < $1.key }.map { "\"\($0.key)\":\($0.value)" }.joined(separator: ",") + "}"
    }

    static func listBody(_ pods: [String]) -> Data {
        Data(("{\"code\":10000,\"message\":\"ok\",\"data\":[" + pods.joined(separator: ",") + "]}").utf8)
    }

    /// Decodes a list reply as the client does: the fast path, else JSONDecoder.
    static func decode(_ body: Data) throws -> [Pod] {
        if let pods = PodListFastPath.decode(body) { return pods }
        let list: LossyArray<Pod> = try HTTPPodService.decodeReply(status: 200, body: body)
        return list.elements
    }

    @Test("pods: each field, each value, through decode, list, detail, raw view, sort, ledger, timers and JSON")
    func pods() throws {
        var screens = 0
        for field in Self.podFields {
            for (i, value) in Self.values.enumerated() {
                let id = Int64(1_000 + i)
                let hostile = Self.podJSON(id: id, field: field, value: value)
                let body = Self.listBody([Self.podJSON(id: 7, field: "name", value: "\"plain\""), hostile])
                // Both decoders, and they agree.
                let slow: LossyArray<Pod> = try HTTPPodService.decodeReply(status: 200, body: body)
                let pods = try Self.decode(body)
                #expect(pods.map(\.id) == [7, id], "\(field)=\(value) hid a pod")
                #expect(slow.elements == pods, "\(field)=\(value): the fast path and JSONDecoder disagree")
                if let pod = pods.last {
                    // Unknown, not absurd: what is kept is in range.
                    if let created = pod.createdAt { #expect(Plausible.date(created) != nil) }
                    if let price = pod.singleCardPrice { #expect(price.isFinite && price >= 0) }
                    if let count = pod.gpuCount { #expect(count >= 0 && count <= 1_000_000_000_000) }
                    for port in pod.expose ?? [] {
                        #expect((1...65_535).contains(port.port) && port.proxyPort.map { (1...65_535).contains($0) } != false)
                    }
                }
                screens += drive(pods, body: body)
                // `-o json` encodes what was decoded.
                let json = try JSONEncoder().encode(pods)
                #expect(!json.isEmpty)
            }
        }
        #expect(screens > 0)
    }

    /// Everything the UI does with a reply: returns the number of screens drawn.
    func drive(_ pods: [Pod], body: Data) -> Int {
        var state = Fixtures.loaded([])
        state.spend.session = "s"
        state.settings.timersEnabled = true
        _ = Reducer.reduce(&state, .ledgerLoaded(.success([])))
        _ = Reducer.reduce(&state, .podsLoaded(generation: 1, PodList(pods: pods), Fixtures.now))
        var next = pods
        for i in next.indices { next[i].status = .paused }
        _ = Reducer.reduce(&state, .podsLoaded(generation: 2, PodList(pods: next), Fixtures.now.addingTimeInterval(40)))
        _ = Reducer.reduce(&state, .podsLoaded(generation: 3, PodList(pods: pods), Fixtures.now.addingTimeInterval(80)))
        _ = Reducer.reduce(&state, .tick(Fixtures.now.addingTimeInterval(120)))
        let timers = pods.map { PauseTimer(podID: $0.id, name: $0.name, due: Fixtures.now.addingTimeInterval(600), created: Fixtures.now) }
        _ = Reducer.reduce(&state, .timersLoaded(.success(timers)))
        var drawn = 0
        for column in SortColumn.allCases {
            for ascending in [true, false] {
                state.fleet.sort = SortSpec(column: column, ascending: ascending)
                Reducer.refresh(&state, resort: true)
                _ = Render.render(state, size: Size(width: 160, height: 40))
                drawn += 1
            }
        }
        // The detail pane and the raw view of the hostile pod (the last one).
        for _ in pods { _ = Reducer.reduce(&state, .key(.down, Fixtures.now)) }
        _ = Reducer.reduce(&state, .key(.enter, Fixtures.now))
        for size in [Size(width: 160, height: 50), Size(width: 40, height: 12)] {
            _ = Render.render(state, size: size)
            drawn += 1
        }
        if let pod = state.selectedPod {
            let text = String(decoding: body, as: UTF8.self)
            _ = Reducer.reduce(&state, .key(.char("y"), Fixtures.now))
            _ = Reducer.reduce(&state, .rawLoaded(podID: pod.id, .success(text)))
            _ = Render.render(state, size: Size(width: 120, height: 40))
            drawn += 1
        }
        // The ledger's sums over what was recorded.
        _ = SpendLedger.compute(state.spend.lines, live: state.spend.session, now: Fixtures.now.addingTimeInterval(200))
        return drawn
    }

    @Test("volumes and credentials: each numeric field, each value")
    func storage() throws {
        for field in ["sizeInGb", "cost", "mountCount", "createdAt", "id"] {
            for value in Self.values {
                var members = ["id": "11", "name": "\"v\"", "sizeInGb": "100", "storageType": "\"CEPH\"", "region": "\"us-east-1\"",
                               "cost": "0.5", "mountCount": "0", "createdAt": "1764000000000"]
                members[field] = value
                let json = "{" + members.map { "\"\($0.key)\":\($0.value)" }.joined(separator: ",") + "}"
                if let volume = try? JSONDecoder().decode(Volume.self, from: Data(json.utf8)) {
                    _ = VolumeText.summary(volume)
                    _ = try JSONEncoder().encode(volume)
                    if let cost = volume.cost { #expect(cost.isFinite) }
                }
                let credential = "{\"id\":12,\"name\":\"c\",\"type\":\"DOCKER_HUB\",\"createdAt\":\(field == "createdAt" ? value : "1764000000000")}"
                if let decoded = try? JSONDecoder().decode(RegistryCredential.self, from: Data(credential.utf8)) {
                    _ = try JSONEncoder().encode(decoded)
                    _ = Format.dateTime(decoded.createdAt, in: .utc)
                }
            }
        }
    }

    @Test("probe lines: each figure, each value, through the parser, the column and the detail pane")
    func probes() {
        let figures = ["1e300", "-1e300", "1e19", "-1", "0", "9223372036854775807", "NaN", "inf", "1.5",
                       String(repeating: "9", count: 308), "99999999999999999999999"]
        for figure in figures {
            for column in 1...3 {
                var fields = ["0", "50", "1000", "81559"]
                fields[column] = figure
                let nvidia = "#podtui nvidia\n" + fields.joined(separator: ", ") + "\n"
                let rocm = "#podtui rocm\ndevice,GPU use (%),VRAM Total Memory (B),VRAM Total Used Memory (B)\ncard0,"
                    + (column == 1 ? figure : "50") + "," + (column == 2 ? figure : "85899345920") + "," + (column == 3 ? figure : "1073741824") + "\n"
                for output in [nvidia, rocm] {
                    guard case .success(let report) = SMIOutput.parse(output, status: 0) else { continue }
                    _ = GPUText.vram(report)
                    if let m = report.memory { _ = GPUText.memory(usedMiB: m.usedMiB, totalMiB: m.totalMiB) }
                    _ = report.meanUtilization.map(GPUText.percent)
                    for gpu in report.gpus {
                        if let used = gpu.memoryUsedMiB { #expect(used.isFinite && used <= SMIOutput.largestMiB) }
                        if let total = gpu.memoryTotalMiB { #expect(total.isFinite && total <= SMIOutput.largestMiB) }
                    }
                    var state = Fixtures.loaded([Fixtures.pod(1, "train", .running, count: 8)])
                    state.settings.probesAvailable = true
                    _ = Reducer.reduce(&state, .key(.char(":"), Fixtures.now))
                    for c in "probe on" { _ = Reducer.reduce(&state, .key(.char(c), Fixtures.now)) }
                    _ = Reducer.reduce(&state, .key(.enter, Fixtures.now))
                    _ = Reducer.reduce(&state, .probed(podID: 1, .success(report), Fixtures.now.addingTimeInterval(1)))
                    _ = Render.render(state, size: Size(width: 160, height: 40))
                    _ = Reducer.reduce(&state, .key(.enter, Fixtures.now))
                    _ = Render.render(state, size: Size(width: 160, height: 60))
                }
            }
        }
        // Sums over GPUs stay drawable even when each figure is at the bound.
        let many = ProbeReport(tool: .nvidia, gpus: (0..<64).map {
            GPUReading(index: $0, utilization: 100, memoryUsedMiB: SMIOutput.largestMiB, memoryTotalMiB: SMIOutput.largestMiB)
        })
        #expect(!GPUText.vram(many).isEmpty)
        #expect(GPUText.gib(.infinity) == "?" && GPUText.gib(.nan) == "?" && GPUText.percent(.nan) == "?%")
    }

    @Test("headers: Retry-After and HTTP dates with absurd values")
    func headers() {
        let retryAfters = ["inf", "nan", "1e300", "99999999999999999999", "-1", "0", "1.5", "9223372036854775807",
                           "Sun, 06 Nov 99999999999999 08:49:37 GMT", "Sunday, 06-Nov-9223372036854775807 08:49:37 GMT",
                           "Sun Nov  6 08:49:37 99999999999999999", "Sun, 06 Nov 1994 08:49:37 GMT"]
        for value in retryAfters {
            let parsed = RetryPolicy.parseRetryAfter(value, now: Fixtures.now)
            if let parsed { #expect(parsed.isFinite && parsed >= 0 && parsed <= RetryPolicy.longestRetryAfter, "\(value)") }
            do {
                try HTTPPodService.checkEnvelope(status: 429, retryAfter: value, body: Data(), podID: nil)
                Issue.record("a 429 must throw")
            } catch let error as PodAPIError {
                #expect(!error.message.isEmpty)
                _ = RetryPolicy().delay(beforeRetry: 1, after: error)
            } catch {
                Issue.record("not a PodAPIError: \(error)")
            }
        }
        // Retry-After's own rules: digits only, at most a day.
        #expect(RetryPolicy.parseRetryAfter("inf") == nil && RetryPolicy.parseRetryAfter("-1") == nil)
        #expect(RetryPolicy.parseRetryAfter("99999999999999999999") == RetryPolicy.longestRetryAfter)
        #expect(RetryPolicy.parseRetryAfter("30") == 30)
        #expect(HTTPDate.parse("Sun, 06 Nov 99999999999999 08:49:37 GMT") == nil)
        #expect(PodAPIError.rateLimited(retryAfter: .infinity).message == "Rate limited (HTTP 429)")
        #expect(PodAPIError.rateLimited(retryAfter: 1e300).message == "Rate limited (HTTP 429): retry in 86400s")
    }

    @Test("dates from anywhere: formatting, zones and milliseconds clamp instead of trapping")
    func dates() {
        for seconds in [1e300, -1e300, 1e19, -1e19, .infinity, -.infinity, .nan, 9.3e15, -9.3e15] {
            let date = Date(timeIntervalSince1970: seconds)
            _ = Format.dateTime(date, in: .fixed(3600))
            _ = Format.age(seconds)
            _ = ZoneOffsets(initial: 0, transitions: [.init(at: 0, offset: 3600)]).offset(at: date)
            let ms = Timestamp.milliseconds(date)
            #expect(ms >= 0 && ms <= 253_402_300_799_000)
            #expect(Timestamp.date(fromEpoch: seconds) == nil || seconds.magnitude < 1e15)
        }
        #expect(Timestamp.parse("1e300") == nil && Timestamp.parse("-1") == nil && Timestamp.parse("9999-12-31T23:59:59Z") != nil)
        #expect(Int(checked: 1e300) == nil && Int(checked: .nan) == nil && Int(checked: 1.5) == 1)
        #expect(Int(saturating: .nan) == 0 && Int(saturating: 1e300) > 0 && Int(saturating: -1e300) < 0)
    }
}
