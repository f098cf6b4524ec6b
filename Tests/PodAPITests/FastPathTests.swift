import Foundation
import Testing
@testable import PodAPI
@testable import PodClient
import PodSim

/// `PodListFastPath` may decline any body, but whenever it answers it must answer exactly
/// what the `Decodable` path (`LossyArray<Pod>` through `JSONDecoder`) gives, with no pod
/// skipped. Checked on the fixture, on generated fleets with every lenient form the API
/// may send, and on thousands of mutated bodies; the dialect tests run it over real HTTP.
@Suite("List fast path")
struct FastPathTests {
    static let iterations = ProcessInfo.processInfo.environment["PODTUI_FUZZ_ITERATIONS"].flatMap(Int.init) ?? 4_000

    /// The Decodable path's answer when it is a clean one (every element read), else nil.
    func slow(_ body: Data) -> [Pod]? {
        let decoded: LossyArray<Pod>?? = try? HTTPPodService.decodeOptionalReply(status: 200, body: body)
        guard let outer = decoded, let list = outer, list.failures.isEmpty else { return nil }
        return list.elements
    }

    func check(_ body: Data, mustAnswer: Bool = false, _ comment: Comment? = nil) {
        let fast = PodListFastPath.decode(body)
        if mustAnswer { #expect(fast != nil, comment) }
        guard let fast else { return }
        let reference = slow(body)
        #expect(reference != nil, "fast path answered a body the Decodable path does not read cleanly: \(String(decoding: body.prefix(300), as: UTF8.self))")
        if let reference {
            #expect(fast == reference, "fast and Decodable paths differ on \(String(decoding: body.prefix(300), as: UTF8.self))")
        }
    }

    func fixture() throws -> Data {
        let url = try #require(Bundle.module.url(forResource: "pod-list-mixed", withExtension: "json", subdirectory: "Fixtures"))
        return try Data(contentsOf: url)
    }

    @Test("every field of Pod survives the fast path: a pod with all of them set reads back whole")
    func everyField() throws {
        // One source for the field list: the fast path's duplicate check is built from the
        // CodingKeys the Decodable path uses (and its switch over them is exhaustive).
        #expect(Set(PodListFastPath.Reader.podFields.names) == Set(Pod.CodingKeys.allCases.map(\.rawValue)))
        #expect(Set(PodListFastPath.Reader.portFields.names) == Set(ExposedPort.CodingKeys.allCases.map(\.rawValue)))
        #expect(Set(PodListFastPath.Reader.envFields.names) == Set(EnvVar.CodingKeys.allCases.map(\.rawValue)))
        #expect(Set(PodListFastPath.Reader.volumeFields.names) == Set(VolumeAttachment.CodingKeys.allCases.map(\.rawValue)))
        // Each name's bytes find its own field, with a bit of its own; near misses find none.
        #expect(Pod.CodingKeys.allCases.count < 64)
        var bits: UInt64 = 0
        for key in Pod.CodingKeys.allCases {
            for (text, found) in [(key.rawValue, true), (key.rawValue + "x", false), (String(key.rawValue.dropLast()) + "_", false),
                                  ("_" + key.rawValue.dropFirst(), false)] {
                let bytes = Array(text.utf8)
                let hit = bytes.withUnsafeBufferPointer { PodListFastPath.Reader.podFields.find($0[...]) }
                if found {
                    #expect(hit?.field == key, "\(text)")
                    if let bit = hit?.bit { #expect(bit != 0 && bits & bit == 0, "\(text)"); bits |= bit }
                } else {
                    #expect(hit == nil || hit?.field.rawValue == text, "\(text)")
                }
            }
        }
        let at = Date(timeIntervalSince1970: 1_764_000_000)
        let full = Pod(id: 362_740_422_811_062_999, name: "all-fields", status: .running, gpuType: "NVIDIA_H100_80G",
                       image: "ubuntu:22.04", imageRegistry: "https://index.docker.io/v1/", gpuDisplayName: "H100 80G",
                       gpuCount: 8, createdAt: at, updatedAt: at.addingTimeInterval(60), sshCmd: "ssh root@h -p 30003",
                       resourceType: "GPU", region: "us-east-1", cloudType: "SECURE", containerVolumeInGb: 100,
                       persistentVolumeInGb: 200, persistentMountPath: "/data", shmInGb: 64, singleCardVramInGb: 80,
                       singleCardRamInGb: 128, singleCardVcpu: 16, singleCardPrice: 2.4,
                       envVars: [EnvVar(key: "K", value: "v")],
                       expose: [ExposedPort(port: 8888, protocol: "HTTP", proxyPort: 30004, host: "h", healthy: true,
                                            ingressUrl: "https://x.example", serviceName: "svc")],
                       initializationCommand: "echo hi", internalIp: "10.0.0.2", imagePublicType: "PUBLIC",
                       containerRegistryAuthId: 331_864_222_263_676_929,
                       persistentVolumes: [VolumeAttachment(volumeId: 7, mountPath: "/data", needBackup: true)])
        let pod = try JSONEncoder().encode(full)
        let body = Data(#"{"code":10000,"message":"ok","data":["#.utf8) + pod + Data("]}".utf8)
        let fast = try #require(PodListFastPath.decode(body))
        #expect(fast == [full])
        // Every stored property was set, so a field Pod gains and the fast path drops fails here.
        // (Pod keeps its fields in a shared box: the stored properties are the box's.)
        let fields = try #require(Mirror(reflecting: full).descendant("box", "fields"))
        #expect(Mirror(reflecting: fields).children.count >= 29)
        for (label, value) in Mirror(reflecting: fields).children {
            let inner = Mirror(reflecting: value)
            if inner.displayStyle == .optional && inner.children.isEmpty { Issue.record("the full pod leaves \(label ?? "?") unset") }
        }
    }

    @Test("the mixed fixture: the same pods, or declined")
    func fixtureBody() throws {
        check(try fixture())
    }

    /// A list reply written by hand, so fields can take every form the reference allows.
    func reply(_ pods: [String], code: String = "10000") -> Data {
        Data("{\"message\":\"success\",\"code\":\(code),\"data\":[\(pods.joined(separator: ","))]}".utf8)
    }

    @Test("every lenient form of every field, as the Decodable path reads it")
    func lenientForms() {
        let pods = [
            #"{"id":362740422853070317,"name":"llama","status":"RUNNING","gpuType":"NVIDIA_H100_80G","gpuCount":8,"createdAt":1780000000000,"singleCardPrice":2.4,"region":"us-east-1","expose":[{"port":22,"protocol":"SSH","proxyPort":30003,"healthy":true}],"envVars":[{"key":"A","value":"1"},{"key":"B","value":7}]}"#,
            #"{"id":"362740422853070318","name":null,"status":3,"gpuType":null,"resourceType":"CPU","gpuCount":"2","createdAt":"1780000000","updatedAt":"2026-05-28T21:46:40Z","singleCardPrice":1}"#,
            #"{"id":5,"name":12345,"status":"initializing","createdAt":1780000000,"environmentVars":[{"key":"X","value":true}],"podInternalIp":"10.0.0.2","extra":{"nested":[1,2,{"a":null}],"s":"\u00e9\ud83d\ude00"}}"#,
            #"{"id":6,"name":"esc \"q\" \\ \/ \b\f\n\r\t \u001b[2J","status":"weird-status","image":"日本語","expose":[],"envVars":null,"environmentVars":[{"key":"Y"}]}"#,
            #"{"id":7,"status":null,"containerRegistryAuthId":99,"healthy":false,"internalIp":"10.1.1.1","podInternalIp":"10.9.9.9","shmInGb":-1,"singleCardPrice":-0.5e1}"#,
            #"{"id":8}"#,
            #"{"id":10,"persistentVolumes":[{"volumeId":"12","mountPath":"/data"},{"volumeId":13,"needBackup":true,"extra":1}]}"#,
            #"{"id":11,"persistentVolumes":null}"#,
            #" { "id" : 9 , "name" : "spaced" , "status" : "PAUSED" } "#,
        ]
        for pod in pods { check(reply([pod]), mustAnswer: true, "\(pod)") }
        check(reply(pods), mustAnswer: true)
        check(reply([]), mustAnswer: true)
    }

    @Test("forms it leaves to the Decodable path")
    func declines() {
        let declined = [
            reply([#"{"name":"no id"}"#]),                      // skipped there, with a reason
            reply([#"{"id":1,"gpuCount":24.0}"#]),               // a whole-valued float
            reply([#"{"id":1,"createdAt":1.78e12}"#]),
            reply([#"{"id":1,"id":2}"#]),                       // duplicate field
            reply([#"{"id":1,"name":{"first":"x"}}"#]),
            reply([#"{"id":1,"expose":[{"protocol":"SSH"}]}"#]), // a port without a port
            reply([#"{"id":1,"persistentVolumes":[{"mountPath":"/x"}]}"#]), // a volume without an id
            reply([#"{"id":99999999999999999999}"#]),           // beyond Int64
            reply([#"{"id":1,"name":"\ud800"}"#]),              // lone surrogate
            reply(["1"]),
            reply([#"{"id":1}"#], code: "10001"),
            Data(#"{"code":10000,"data":null}"#.utf8),
            Data(#"{"code":10000,"data":[{"id":1}]} trailing"#.utf8),
            Data([0x7B, 0x22, 0x63, 0x6F, 0x64, 0x65, 0x22, 0x3A, 0xFF]),
        ]
        for body in declined {
            #expect(PodListFastPath.decode(body) == nil, "\(String(decoding: body, as: UTF8.self))")
        }
    }

    @Test("generated fleets of the simulator's shape are answered, and identically")
    func generated() throws {
        var rng = SeededRandom(seed: 7)
        for size in [1, 10, 500] {
            var pods: [String] = []
            for i in 0..<size {
                let name = ["a", "\u{1F600} emoji", "quote \\\" in", "tab\\t", "ü"][Int(rng.next() % 5)] + String(i)
                pods.append(#"{"id":\#(362_740_422_811_062_272 + Int64(i)),"name":"\#(name)","status":\#(["\"RUNNING\"", "2", "\"PAUSED\"", "\"FAILED\""][i % 4]),"gpuCount":\#(i % 8),"createdAt":\#(1_780_000_000_000 + Int64(i)),"singleCardPrice":\#(Double(i % 7) * 0.37),"expose":[{"port":22,"protocol":"SSH"}],"envVars":[{"key":"K\#(i)","value":"v"}]}"#)
            }
            check(reply(pods), mustAnswer: true, "size \(size)")
        }
    }

    @Test("mutated bodies: when it answers, it answers what JSONDecoder does")
    func mutations() async throws {
        let seed = reply([
            #"{"id":1,"name":"one","status":"RUNNING","gpuCount":2,"createdAt":1780000000000,"singleCardPrice":2.4,"expose":[{"port":22,"protocol":"SSH","healthy":true}],"envVars":[{"key":"A","value":"1"}]}"#,
            #"{"id":"2","name":"two \u00e9","status":3,"region":"us-east-1","updatedAt":"2026-05-28T21:46:40Z"}"#,
        ])
        let bodies = [seed, try fixture()]
        var rng = SeededRandom(seed: 0xFA57)
        let tokens: [[UInt8]] = ["null", "[", "]", "{", "}", "\"", ",", ":", "1e3", "-0", "9223372036854775808", "24.0",
                                 "\"\\u0000\"", "\"\\ud800\"", "true", "\"12\"", "\u{1B}[2J", "日本", " "].map { Array($0.utf8) }
        for i in 0..<Self.iterations {
            var bytes = Array(bodies[i % bodies.count])
            ByteMutation.mutate(&bytes, tokens: tokens, rng: &rng)
            check(Data(bytes))
            if i % 200 == 0 { await Task.yield() }
        }
    }

    @Test("a long string that repeats from pod to pod is held once; equal either way")
    func repeatedTextShared() throws {
        let image = "yottalabsai/skyrl:ray2.51-py3.11-cuda12.1-cudnn-devel-ubuntu22.04"
        let pods = (1...3).map { Pod(id: Int64($0), name: "p\($0)", status: .running, gpuType: nil, image: image,
                                     envVars: [EnvVar(key: "PYTHONUNBUFFERED_LONG", value: "a value longer than fifteen")]) }
        let body = Data(#"{"code":10000,"message":"ok","data":"#.utf8) + (try JSONEncoder().encode(pods)) + Data("}".utf8)
        let fast = try #require(PodListFastPath.decode(body))
        #expect(fast == pods)
        func storage(_ text: String?) -> UnsafeRawPointer? {
            var copy = text ?? ""
            return copy.withUTF8 { UnsafeRawPointer($0.baseAddress) }
        }
        #expect(storage(fast[0].image) == storage(fast[2].image))
        #expect(storage(fast[0].envVars?.first?.value) == storage(fast[1].envVars?.first?.value))
        #expect(storage(fast[0].envVars?.first?.key) == storage(fast[1].envVars?.first?.key))
    }
}
