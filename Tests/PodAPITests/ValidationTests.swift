import Testing
import Foundation
@testable import PodAPI

@Suite("Create request validation")
struct ValidationTests {
    let valid = PodV2CreateRequest(name: "p", image: "ubuntu:22.04", gpuType: "NVIDIA_RTX_4090_24G", gpuCount: 1)

    func fields(_ r: PodV2CreateRequest) -> [String] { CreateRequestValidator.validate(r).map(\.field) }

    @Test func validRequestPasses() { #expect(CreateRequestValidator.validate(valid).isEmpty) }

    @Test("every error at once, each naming its field")
    func allErrors() {
        var r = PodV2CreateRequest(name: "", image: "", gpuType: "", gpuCount: 3)
        r.expose = [PortSpec(port: 0, protocol: "UDP"), PortSpec(port: 22, protocol: "SSH"), PortSpec(port: 22, protocol: "tcp")]
        r.environmentVars = [EnvVar(key: "", value: "x"), EnvVar(key: "A", value: "1"), EnvVar(key: "A", value: "2")]
        r.persistentVolumeInGb = 10
        #expect(fields(r) == ["name", "image", "gpuType", "gpuCount", "persistentMountPath", "environmentVars[0].key",
                              "environmentVars[2].key", "expose[0].port", "expose[0].protocol", "expose[2].port"])
    }

    @Test("gpuCount must be a power of two for GPU pods", arguments: [1, 2, 4, 8, 16])
    func powersOfTwo(_ n: Int) {
        var r = valid; r.gpuCount = n
        #expect(fields(r).isEmpty)
    }

    @Test("non-powers of two are refused with a readable message", arguments: [0, 3, 6, -2])
    func notPowersOfTwo(_ n: Int) {
        var r = valid; r.gpuCount = n
        #expect(CreateRequestValidator.validate(r) == [FieldError(field: "gpuCount", message: "must be a power of two: 1, 2, 4, 8…")])
    }

    @Test func cpuPodsDoNotNeedPowersOfTwo() {
        var r = valid; r.resourceType = "CPU"; r.gpuCount = nil
        #expect(fields(r).isEmpty)
    }

    @Test func lengthsAndRanges() {
        var r = valid
        r.name = String(repeating: "n", count: 256)
        r.image = String(repeating: "i", count: 255)
        r.minSingleCardVramInGb = 2000
        r.containerVolumeInGb = 0
        r.imagePublicType = "SECRET"
        r.regions = ["us-east-1", "us-east-1"]
        #expect(fields(r) == ["name", "regions", "imagePublicType", "minSingleCardVramInGb", "containerVolumeInGb"])
    }

    @Test func volumesNeedAbsoluteUniquePaths() {
        var r = valid
        r.persistentVolumes = [VolumeAttachment(volumeId: 1, mountPath: "/data"), VolumeAttachment(volumeId: 0, mountPath: "/data"),
                               VolumeAttachment(volumeId: 2, mountPath: "rel")]
        #expect(fields(r) == ["persistentVolumes[1].volumeId", "persistentVolumes[1].mountPath", "persistentVolumes[2].mountPath"])
    }

    @Test func portSpecParsing() {
        #expect(PortSpec(parsing: "8080/HTTP") == PortSpec(port: 8080, protocol: "http"))
        #expect(PortSpec(parsing: "22") == PortSpec(port: 22, protocol: "tcp"))
        // Sent lower-case whatever the case it was given in, as the API guide's example.
        let body = String(decoding: try! JSONEncoder.api.encode(PortSpec(port: 8888, protocol: "HTTP")), as: UTF8.self)
        #expect(body == #"{"port":8888,"protocol":"http"}"#)
        #expect(PortSpec(parsing: "x/tcp") == nil)
    }

    @Test func actionTable() {
        #expect(PodAction.pause.refusal(for: .paused) == "Pod is PAUSED; pause needs RUNNING")
        #expect(PodAction.pause.refusal(for: .running) == nil)
        #expect(PodAction.resume.refusal(for: .running) == "Pod is RUNNING; resume needs PAUSED or FAILED")
        #expect(PodAction.delete.refusal(for: .terminated) != nil)
    }
}
