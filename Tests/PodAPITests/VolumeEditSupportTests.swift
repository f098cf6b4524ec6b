import Foundation
import Testing
@testable import PodAPI
@testable import PodClient
import PodSim

/// Volume rename and resize on a server that lacks them (the newest API reference lists
/// neither; API notes §6.3): "not supported by this server", the volume as it was, one
/// request and no retry. Over loopback against the simulator's `volumes=` quirk.
@Suite("Volume rename and resize a server may lack")
struct VolumeEditSupportTests {
    /// The CEPH volume "scratch" of the demo fleet: active and unmounted, so resizable.
    func scratch(_ sim: SimHarness) async throws -> Volume {
        try #require(try await sim.service.listVolumes(types: [.ceph], region: nil).volumes.first { $0.name == "scratch" })
    }

    @Test("a missing rename route (plain HTTP 404) is 'not supported', sent once, the volume kept; resize still works")
    func noRename() async throws {
        let sim = try await SimHarness.start(speed: 1000, quirks: "volumes=norename")
        defer { Task { await sim.stop() } }
        let volume = try await scratch(sim)
        let error = await apiError { try await sim.service.renameVolume(id: volume.id, name: "renamed") }
        #expect(error == .unsupported(operation: "Renaming a volume", httpStatus: 404, code: nil, detail: ""))
        #expect(error?.message == "Renaming a volume is not supported by this server (HTTP 404)")
        #expect(error?.isTransient == false)
        let posts = await sim.requests().filter { $0.method == "POST" }
        #expect(posts.count == 1 && posts.first?.path == "/v2/volumes/\(volume.id)/name")
        #expect(try await sim.service.getVolume(id: volume.id).name == "scratch")
        try await sim.service.resizeVolume(id: volume.id, sizeInGb: 150)
        try await eventually("the resize applied") { try await sim.service.getVolume(id: volume.id).sizeInGb == 150 }
    }

    @Test("a missing resize route is 'not supported' and the size is kept; rename still works")
    func noResize() async throws {
        let sim = try await SimHarness.start(speed: 1000, quirks: "volumes=noresize")
        defer { Task { await sim.stop() } }
        let volume = try await scratch(sim)
        let error = await apiError { try await sim.service.resizeVolume(id: volume.id, sizeInGb: 150) }
        #expect(error?.message == "Resizing a volume is not supported by this server (HTTP 404)")
        #expect(try await sim.service.getVolume(id: volume.id).sizeInGb == volume.sizeInGb)
        try await sim.service.renameVolume(id: volume.id, name: "scratch-2")
        #expect(try await sim.service.getVolume(id: volume.id).name == "scratch-2")
    }

    @Test("code 10001 for the request as a whole is 'not supported', with the code and the server's words")
    func code10001() async throws {
        let sim = try await SimHarness.start(speed: 1000, quirks: "volumes=10001")
        defer { Task { await sim.stop() } }
        let volume = try await scratch(sim)
        let rename = await apiError { try await sim.service.renameVolume(id: volume.id, name: "renamed") }
        #expect(rename?.message == "Renaming a volume is not supported by this server (HTTP 400, code 10001: Unsupported operation)")
        let resize = await apiError { try await sim.service.resizeVolume(id: volume.id, sizeInGb: 150) }
        #expect(resize?.shortReason == "not supported")
        let after = try await sim.service.getVolume(id: volume.id)
        #expect(after.name == "scratch" && after.sizeInGb == volume.sizeInGb)
    }

    @Test("a 10001 naming the request's field stays the server's validation, not 'not supported'")
    func fieldRefusalKept() async throws {
        let sim = try await SimHarness.start(speed: 1000)
        defer { Task { await sim.stop() } }
        let volume = try await scratch(sim)
        let shrink = await apiError { try await sim.service.resizeVolume(id: volume.id, sizeInGb: 10) }
        #expect(shrink?.fieldErrors.first?.field == "sizeInGb")
        if case .unsupported? = shrink { Issue.record("a field refusal must not read as 'not supported'") }
    }

    @Test("a volume that is gone is still 'not found' when the route is missing too, in each not-found dialect",
          arguments: ["not-found=13000", "not-found=404", "not-found=404-plain"])
    func goneVolume(dialect: String) async throws {
        let sim = try await SimHarness.start(speed: 1000, quirks: "volumes=noedit," + dialect)
        defer { Task { await sim.stop() } }
        #expect(await apiError { try await sim.service.renameVolume(id: 42, name: "x") } == .resourceNotFound(kind: "volume", id: 42))
        #expect(await apiError { try await sim.service.resizeVolume(id: 42, sizeInGb: 10) } == .resourceNotFound(kind: "volume", id: 42))
        // With the routes present, the same answer as before.
        try await sim.setQuirks(dialect)
        #expect(await apiError { try await sim.service.renameVolume(id: 42, name: "x") } == .resourceNotFound(kind: "volume", id: 42))
    }

    @Test("the quirk is listed and parsed")
    func quirkParses() throws {
        #expect(SimQuirks.keys.contains { $0.name == "volumes" && $0.values.contains("norename") })
        let q = try SimQuirks(parsing: "volumes=noedit")
        #expect(q.volumes.lacksRename && q.volumes.lacksResize)
        #expect(try SimQuirks(parsing: q.text) == q)
    }

    @Test("podtui volumes rename/resize say 'not supported by this server' and exit 1")
    func cli() async throws {
        let sim = try await SimHarness.start(speed: 1000, quirks: "volumes=noedit")
        defer { Task { await sim.stop() } }
        let volume = try await scratch(sim)
        let rename = try await CLITests().run(["volumes", "rename", String(volume.id), "renamed"], sim: sim.server)
        #expect(rename.status == 1 && rename.err.contains("Renaming a volume is not supported by this server (HTTP 404)"), "\(rename.err)")
        let resize = try await CLITests().run(["volumes", "resize", String(volume.id), "150"], sim: sim.server)
        #expect(resize.status == 1 && resize.err.contains("Resizing a volume is not supported by this server (HTTP 404)"), "\(resize.err)")
        #expect(await sim.requests().filter { $0.method == "POST" }.count == 2)   // each sent once
        let after = try await sim.service.getVolume(id: volume.id)
        #expect(after.name == "scratch" && after.sizeInGb == volume.sizeInGb)
    }
}
