import Foundation
import Testing
@testable import PodAPI
@testable import PodClient
import PodSim

/// Volumes and registry credentials: the client against the simulator over loopback, in
/// each dialect the simulator speaks, plus replies only an independent server would send.
@Suite("Volumes and credentials over HTTP")
struct StorageClientTests {
    @Test("every page of every type, in every id/number/timestamp dialect",
          arguments: ["", "ids=string", "numbers=string", "timestamps=iso", "timestamps=s,ids=string,numbers=string"])
    func listEveryPage(quirks: String) async throws {
        let sim = try await SimHarness.start(quirks: quirks)
        defer { Task { await sim.stop() } }
        for i in 0..<120 {   // the simulator caps a page at 50: three pages of S3
            _ = try await sim.service.createVolume(VolumeCreateRequest(name: "bulk-\(i)", storageType: .s3))
        }
        let all = try await sim.service.listVolumes(types: [], region: nil)
        #expect(all.problems.isEmpty)
        #expect(all.volumes.count == 125)
        #expect(Set(all.volumes.map(\.id)).count == 125)
        let datasets = try #require(all.volumes.first { $0.name == "datasets" })
        #expect(datasets.sizeInGb == 500 && datasets.mountCount == 1 && datasets.kind == .ceph && datasets.createdAt != nil)
        let s3Pages = await sim.requests().filter { $0.path == "/v2/volumes" && $0.query.contains("storageType=S3") }
        #expect(s3Pages.count == 3)
        let ceph = try await sim.service.listVolumes(types: [.ceph], region: "us-west-1")
        #expect(ceph.volumes.map(\.name) == ["scratch"])
    }

    @Test("create, rename, resize and delete follow the server's rules")
    func lifecycle() async throws {
        let sim = try await SimHarness.start(speed: 1000)
        defer { Task { await sim.stop() } }
        // Refused on this side first: nothing sent.
        let local = await apiError { _ = try await sim.service.createVolume(VolumeCreateRequest(name: "x", storageType: .ceph)) }
        #expect(local?.fieldErrors.map(\.field) == ["region", "sizeInGb"])
        #expect(await sim.requests().filter { $0.method == "POST" }.isEmpty)
        let made = try #require(try await sim.service.createVolume(
            VolumeCreateRequest(name: "fast", storageType: .vendor, region: "us-east-1", sizeInGb: 100, vendorVolumeType: "NVMe")))
        #expect(made.storageType == "VENDOR" && made.vendorVolumeType == "NVMe")
        try await eventually("the volume active") { try await sim.service.getVolume(id: made.id).status == "active" }
        try await sim.service.renameVolume(id: made.id, name: "faster")
        try await sim.service.resizeVolume(id: made.id, sizeInGb: 200)
        let resized = try await sim.service.getVolume(id: made.id)
        #expect(resized.name == "faster" && resized.sizeInGb == 200)
        try await sim.service.deleteVolume(id: made.id)
        let gone = await apiError { _ = try await sim.service.getVolume(id: made.id) }
        #expect(gone == .resourceNotFound(kind: "volume", id: made.id))
    }

    @Test("a mounted volume is refused with the server's reason, and mountCount follows the pod")
    func mounted() async throws {
        let sim = try await SimHarness.start(speed: 1000)
        defer { Task { await sim.stop() } }
        let volumes = try await sim.service.listVolumes(types: [.ceph], region: nil).volumes
        let scratch = try #require(volumes.first { $0.name == "scratch" })
        #expect(scratch.mountCount == 0)
        var request = PodV2CreateRequest(name: "with-volume", image: "ubuntu:22.04", gpuType: "NVIDIA_RTX_4090_24G", gpuCount: 1)
        request.persistentVolumes = [VolumeAttachment(volumeId: scratch.id, mountPath: "/data")]
        let pod = try #require(try await sim.service.createPod(request).pod)
        #expect(pod.region == "us-west-1")   // placed where the volume is
        #expect(pod.persistentVolumes == [VolumeAttachment(volumeId: scratch.id, mountPath: "/data")])
        #expect(try await sim.service.getVolume(id: scratch.id).mountCount == 1)
        let refused = await apiError { try await sim.service.deleteVolume(id: scratch.id) }
        #expect(refused?.message.contains("mounted") == true)
        let listed = try await sim.service.listPods().pods.first { $0.id == pod.id }
        #expect(listed?.persistentVolumes?.first?.volumeId == scratch.id)   // through the fast path too
        try await sim.service.deletePod(id: pod.id)
        try await eventually("the volume unmounted") { try await sim.service.getVolume(id: scratch.id).mountCount == 0 }
        // A volume in another region than the pod may use is the server's refusal, by field.
        var elsewhere = PodV2CreateRequest(name: "elsewhere", image: "ubuntu:22.04", gpuType: "NVIDIA_RTX_4090_24G", gpuCount: 1)
        elsewhere.regions = ["us-east-1"]
        elsewhere.persistentVolumes = [VolumeAttachment(volumeId: scratch.id, mountPath: "/data")]
        let wrongRegion = await apiError { _ = try await sim.service.createPod(elsewhere) }
        #expect(wrongRegion?.fieldErrors.first?.field == "persistentVolumes[0].volumeId")
    }

    @Test("not found in each dialect names the volume or credential", arguments: ["not-found=13000", "not-found=404", "not-found=404-plain"])
    func notFound(quirks: String) async throws {
        let sim = try await SimHarness.start(quirks: quirks)
        defer { Task { await sim.stop() } }
        #expect(await apiError { _ = try await sim.service.getVolume(id: 42) } == .resourceNotFound(kind: "volume", id: 42))
        #expect(await apiError { try await sim.service.deleteRegistryCredential(id: 42) } == .resourceNotFound(kind: "credential", id: 42))
    }

    @Test("credentials: create sends the password once, update only what changed, delete refused while used")
    func credentials() async throws {
        let sim = try await SimHarness.start()
        defer { Task { await sim.stop() } }
        let made = try #require(try await sim.service.createRegistryCredential(
            CredentialCreateRequest(name: "ghcr", type: "private", username: "bob", password: RegistryPassword("s3cret-pass-word"))))
        #expect(made.type == "PRIVATE" && made.name == "ghcr")
        #expect(await sim.server.state.storedPassword(credential: made.id) == "s3cret-pass-word")
        try await sim.service.updateRegistryCredential(id: made.id, CredentialUpdateRequest(name: "ghcr-2"))
        let patch = await sim.requests().last { $0.method == "PATCH" }
        #expect(patch?.body == #"{"name":"ghcr-2"}"#)
        #expect(try await sim.service.registryCredential(id: made.id).name == "ghcr-2")
        var request = PodV2CreateRequest(name: "private-image", image: "ghcr.io/me/x:1", gpuType: "NVIDIA_RTX_4090_24G", gpuCount: 1)
        request.containerRegistryAuthId = made.id
        request.imagePublicType = "PRIVATE"
        _ = try await sim.service.createPod(request)
        let inUse = await apiError { try await sim.service.deleteRegistryCredential(id: made.id) }
        #expect(inUse?.message.contains("in use") == true)
        let empty = await apiError { try await sim.service.updateRegistryCredential(id: made.id, CredentialUpdateRequest()) }
        #expect(empty?.fieldErrors.isEmpty == false)
        #expect("\(RegistryPassword("s3cret-pass-word"))" == "<redacted>")
    }

    @Test("replies an independent server may send", arguments: [
        #"{"code":10000,"data":[{"id":"7","name":"a","storageType":"S3"}]}"#,                           // a bare array
        #"{"code":10000,"data":{"records":[{"id":7,"name":"a","sizeInGb":"10","mountCount":"0"}],"total":1}}"#,
        #"{"code":10000,"data":{"items":[{"id":7},{"name":"no id"}],"page":1,"pages":1}}"#,             // one unreadable item
    ])
    func lenientPages(body: String) throws {
        let page: VolumePage? = try HTTPPodService.decodeOptionalReply(status: 200, body: Data(body.utf8))
        #expect(page?.items?.elements.map(\.id) == [7])
    }

    @Test("a page with data null is an empty list")
    func nullPage() throws {
        let page: VolumePage? = try HTTPPodService.decodeOptionalReply(status: 200, body: Data(#"{"code":10000,"data":null}"#.utf8))
        #expect(page == nil)
    }

    @Test("volume rules", arguments: [
        (VolumeCreateRequest(name: "a", storageType: .s3), [String]()),
        (VolumeCreateRequest(name: "", storageType: .r2), ["name"]),
        (VolumeCreateRequest(name: "a", storageType: .ceph, region: "r", sizeInGb: 0), ["sizeInGb"]),
        (VolumeCreateRequest(name: "a", storageType: .ceph, region: "r", sizeInGb: 10241), ["sizeInGb"]),
        (VolumeCreateRequest(name: "a", storageType: .vendor, region: "r", sizeInGb: 5), ["vendorVolumeType"]),
        (VolumeCreateRequest(name: "a", storageType: .vendor, region: "r", sizeInGb: 5, vendorVolumeType: "SSD"), ["vendorVolumeType"]),
        (VolumeCreateRequest(name: "a", storageType: .s3, vendorVolumeType: "HDD"), ["vendorVolumeType"]),
    ])
    func rules(request: VolumeCreateRequest, fields: [String]) {
        #expect(VolumeRules.validate(request).map(\.field) == fields)
    }
}
