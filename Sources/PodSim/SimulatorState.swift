import Foundation
import PodAPI

/// The simulated account: pods moving through their lifecycle on a clock, the catalogue, and
/// a record of requests. An actor, so concurrent HTTP handlers see one consistent fleet.
public actor SimulatorState {
    /// A pod and where it is heading.
    struct Entry {
        var pod: Pod
        /// When the current phase ends (real time), if it is a timed phase.
        var deadline: Date?
        /// For INITIALIZE: whether it will end FAILED instead of RUNNING.
        var willFail = false
    }

    /// One request as received (the API key is never recorded).
    public struct RecordedRequest: Sendable, Codable, Equatable {
        public var method: String
        public var path: String
        public var query: String
        public var body: String
        public var hadAPIKey: Bool
        public var time: Date
    }

    let options: SimulatorOptions
    private var entries: [Int64: Entry] = [:]
    /// Pod ids in creation order, newest last.
    private var order: [Int64] = []
    private var random: SeededRandom
    private var nextID: Int64
    /// The next pod `churn` touches (an index into `order`).
    private var churnCursor = 0
    private(set) var requests: [RecordedRequest] = []
    private var listsInFlight = 0
    /// The most list requests ever handled at the same time.
    public private(set) var maxConcurrentLists = 0
    /// Injected fault rules, checked in order for every API request.
    private var faultRules: [FaultRule] = []
    /// The API dialect it speaks (see `SimQuirks`); switchable at run time.
    public private(set) var quirks: SimQuirks
    /// Volumes and registry credentials (see `SimulatorState+Storage.swift`).
    var storage: SimStorage

    public init(options: SimulatorOptions, now: Date = Date()) {
        self.options = options
        self.quirks = options.quirks
        self.random = SeededRandom(seed: options.seed)
        self.nextID = 362_740_422_811_062_272 + Int64(options.seed % 1000) * 1_000_003
        var seeded: [Entry] = []
        switch options.scenario {
        case .demo: seeded = Self.demoFleet(now: now, speed: options.speed, random: &random, nextID: &nextID)
        case .empty: break
        case .many: break
        }
        let generated = options.podCount ?? (options.scenario == .many ? 1000 : 0)
        if generated > 0 { seeded += Self.generatedFleet(count: generated, now: now, random: &random, nextID: &nextID) }
        storage = SimStorage(seedVolumes: options.scenario == .demo, seedCredentials: true, now: now,
                             nextID: 331_864_222_263_800_000 + Int64(options.seed % 1000) * 10_007)
        // The demo's first running pod in us-east-1 has the `datasets` volume mounted, so a
        // mounted volume (and its refusals) can be seen at once.
        if options.scenario == .demo, let datasets = storage.volumeOrder.first,
           let index = seeded.firstIndex(where: { $0.pod.status == .running && $0.pod.region == "us-east-1" }) {
            seeded[index].pod.persistentVolumes = [VolumeAttachment(volumeId: datasets, mountPath: "/data")]
        }
        for entry in seeded { entries[entry.pod.id] = entry; order.append(entry.pod.id) }
    }

    // MARK: - Seeding

    private static func demoFleet(now: Date, speed: Double, random: inout SeededRandom, nextID: inout Int64) -> [Entry] {
        SeedData.demo.enumerated().map { index, demo in
            nextID += 7_919 * Int64(index + 1)
            let created = now.addingTimeInterval(-demo.age)
            let offer = demo.gpu.flatMap(SeedData.offer(for:))
            var pod = Pod(
                id: nextID, name: demo.name, status: demo.status, gpuType: demo.gpu,
                image: SeedData.images[demo.image], imageRegistry: "https://index.docker.io/v1/",
                gpuDisplayName: demo.gpu.map(GPUCatalog.displayName(for:)), gpuCount: demo.count,
                createdAt: created, updatedAt: created.addingTimeInterval(min(demo.age, 600)),
                resourceType: demo.gpu == nil ? "CPU" : "GPU", region: demo.region, cloudType: "SECURE", containerVolumeInGb: 100,
                singleCardVramInGb: demo.gpu.flatMap(GPUCatalog.vramGB(for:)), singleCardRamInGb: 64, singleCardVcpu: 8,
                singleCardPrice: demo.gpu == nil ? SeedData.cpuPrice : offer?.price,
                envVars: demo.env.map { EnvVar(key: $0.0, value: $0.1) },
                initializationCommand: index % 3 == 0 ? "pip install -r requirements.txt" : nil,
                internalIp: "172.20.\(70 + index).\(100 + index * 7)", imagePublicType: "PUBLIC")
            pod.expose = demo.ports.enumerated().map { i, port in
                ExposedPort(port: port.0, protocol: port.1, proxyPort: 30_003 + index * 4 + i, host: "pod-\(index).yotta.run",
                            healthy: demo.status == .running,
                            ingressUrl: port.1.uppercased() == "HTTP" ? "https://pod-\(index)-\(port.0).proxy.yotta.run" : "", serviceName: nil)
            }
            pod.sshCmd = Self.sshCommand(for: pod, index: index)
            var entry = Entry(pod: pod)
            switch demo.status {
            case .initializing: entry.deadline = now.addingTimeInterval(Durations.initialize / speed)
            case .pausing: entry.deadline = now.addingTimeInterval(Durations.pausing / speed)
            case .terminating: entry.deadline = now.addingTimeInterval(Durations.terminating / speed)
            default: break
            }
            return entry
        }
    }

    private static func generatedFleet(count: Int, now: Date, random: inout SeededRandom, nextID: inout Int64) -> [Entry] {
        let steady: [PodStatus] = [.running, .running, .running, .running, .paused, .paused, .failed]
        return (0..<count).map { i in
            nextID += Int64.random(in: 1_000...90_000, using: &random)
            let offer = SeedData.offers[Int.random(in: 0..<SeedData.offers.count, using: &random)]
            let region = offer.regions[Int.random(in: 0..<offer.regions.count, using: &random)].0
            let name = "\(SeedData.namePrefixes.randomElement(using: &random) ?? "pod")-\(SeedData.nameSuffixes.randomElement(using: &random) ?? "x")-\(i)"
            let age = Double.random(in: 60...2_000_000, using: &random)
            let status = steady.randomElement(using: &random) ?? .running
            let count = [1, 1, 1, 2, 4, 8].randomElement(using: &random) ?? 1
            var pod = Pod(
                id: nextID, name: name, status: status, gpuType: offer.gpuType,
                image: SeedData.images.randomElement(using: &random), imageRegistry: "https://index.docker.io/v1/",
                gpuDisplayName: GPUCatalog.displayName(for: offer.gpuType), gpuCount: count,
                createdAt: now.addingTimeInterval(-age), updatedAt: now.addingTimeInterval(-age / 2),
                resourceType: "GPU", region: region, cloudType: "SECURE", containerVolumeInGb: 100,
                singleCardVramInGb: GPUCatalog.vramGB(for: offer.gpuType), singleCardPrice: offer.price,
                envVars: [EnvVar(key: "PYTHONUNBUFFERED", value: "1")],
                expose: [ExposedPort(port: 22, protocol: "SSH", proxyPort: 30_000 + i % 20_000, host: "pod-g\(i).yotta.run", healthy: status == .running)])
            pod.sshCmd = status == .running ? "ssh root@pod-g\(i).yotta.run -p \(30_000 + i % 20_000)" : nil
            return Entry(pod: pod)
        }
    }

    private static func sshCommand(for pod: Pod, index: Int) -> String? {
        guard pod.status == .running, let ssh = pod.expose?.first(where: { $0.protocol.uppercased() == "SSH" }),
              let proxy = ssh.proxyPort, let host = ssh.host else { return nil }
        return "ssh root@\(host) -p \(proxy)"
    }

    // MARK: - Lifecycle

    /// Moves every pod whose phase has ended to its next status; drops TERMINATED pods past
    /// their keep time. Called before every read or write.
    func advance(now: Date = Date()) {
        var gone: [Int64] = []
        for id in order {
            guard var entry = entries[id] else { continue }
            var changed = false
            while let deadline = entry.deadline, deadline <= now {
                changed = true
                switch entry.pod.status {
                case .initializing:
                    if entry.willFail {
                        entry.pod.status = .failed
                        entry.deadline = nil
                    } else {
                        entry.pod.status = .running
                        entry.deadline = nil
                    }
                case .pausing:
                    entry.pod.status = .paused
                    entry.deadline = nil
                case .terminating:
                    entry.pod.status = .terminated
                    entry.deadline = deadline.addingTimeInterval(options.keepTerminated / options.speed)
                case .terminated:
                    gone.append(id)
                    entry.deadline = nil
                default:
                    entry.deadline = nil
                }
                entry.pod.updatedAt = deadline
                applyStatusSideEffects(&entry.pod)
            }
            if changed { entries[id] = entry }
        }
        if !gone.isEmpty {
            let set = Set(gone)
            for id in gone { entries[id] = nil }
            order.removeAll { set.contains($0) }
        }
    }

    /// Ports turn healthy and the ssh command appears only while RUNNING.
    private func applyStatusSideEffects(_ pod: inout Pod) {
        let running = pod.status == .running
        if var expose = pod.expose {
            for i in expose.indices { expose[i].healthy = running }
            pod.expose = expose
        }
        if running, let ssh = pod.expose?.first(where: { $0.protocol.uppercased() == "SSH" }), let port = ssh.proxyPort, let host = ssh.host {
            pod.sshCmd = "ssh root@\(host) -p \(port)"
        } else if !running {
            pod.sshCmd = nil
        }
    }

    // MARK: - Operations (each returns an API outcome)

    /// The last encoded list reply, the pods it holds and the dialect it was written in.
    private var listBody: (pods: [Pod], quirks: SimQuirks, body: Data)?

    /// The encoded reply for exactly these pods in the current dialect, if it was made before.
    func cachedListBody(for pods: [Pod]) -> Data? {
        guard let listBody, listBody.quirks == quirks, listBody.pods == pods else { return nil }
        return listBody.body
    }

    /// Keeps a reply written in `dialect` (a switch meanwhile makes it unused, not wrong).
    func storeListBody(_ body: Data, for pods: [Pod], dialect: SimQuirks) { listBody = (pods, dialect, body) }

    /// Switches the dialect; the cached list reply was written in the old one.
    public func setQuirks(_ quirks: SimQuirks) {
        self.quirks = quirks
        listBody = nil
    }

    func list(regions: Set<String>, statuses: Set<PodStatus>) -> [Pod] {
        advance()
        if options.churn, !order.isEmpty {
            let id = order[churnCursor % order.count]
            churnCursor += 1
            entries[id]?.pod.updatedAt = Date()
        }
        var result: [Pod] = []
        result.reserveCapacity(order.count)
        // Newest first, like the v1 list (sorted by update time there).
        for id in order.reversed() {
            guard let pod = entries[id]?.pod else { continue }
            if !regions.isEmpty && !regions.contains(pod.region ?? "") { continue }
            if !statuses.isEmpty && !statuses.contains(pod.status) { continue }
            result.append(pod)
        }
        return result
    }

    func get(_ id: Int64) -> Pod? {
        advance()
        return entries[id]?.pod
    }

    enum ActionOutcome { case ok, notFound, invalid(PodStatus) }

    func perform(_ action: PodAction, id: Int64, now: Date = Date()) -> ActionOutcome {
        advance(now: now)
        guard var entry = entries[id] else { return .notFound }
        guard action.allowedFrom.contains(entry.pod.status) else { return .invalid(entry.pod.status) }
        switch action {
        case .pause:
            entry.pod.status = .pausing
            entry.deadline = now.addingTimeInterval(Durations.pausing / options.speed)
        case .resume:
            entry.pod.status = .initializing
            entry.willFail = false
            entry.deadline = now.addingTimeInterval(Durations.resuming / options.speed)
        case .delete:
            entry.pod.status = .terminating
            entry.deadline = now.addingTimeInterval(Durations.terminating / options.speed)
        }
        entry.pod.updatedAt = now
        applyStatusSideEffects(&entry.pod)
        entries[id] = entry
        return .ok
    }

    /// Makes a pod from a request the create rules accepted; refuses volumes that do not
    /// exist or lie outside the regions asked for (the server's own rule, not the client's).
    func create(_ request: PodV2CreateRequest, now: Date = Date()) -> Result<Pod, SimCreateRules.Refusal> {
        advance(now: now)
        storage.advance(now: now)
        let offer = SeedData.offer(for: request.gpuType)
        var candidates = (request.regions?.isEmpty ?? true)
            ? (offer?.regions.filter(\.1).map(\.0) ?? [])
            : (request.regions ?? []).filter { region in offer?.regions.contains { $0.0 == region && $0.1 } ?? true }
        for (i, attachment) in (request.persistentVolumes ?? []).enumerated() {
            guard let volume = storage.volumes[attachment.volumeId]?.volume else {
                return .failure(.init("persistentVolumes[\(i)].volumeId", "no volume \(attachment.volumeId)"))
            }
            guard let region = volume.region, volume.kind?.hasSize == true else { continue }
            if (request.regions?.isEmpty ?? true) && candidates.isEmpty || candidates.contains(region) {
                candidates = [region]
            } else {
                return .failure(.init("persistentVolumes[\(i)].volumeId",
                                      "volume \(volume.label) is in \(region); the pod can only be placed in \(candidates.joined(separator: ", "))"))
            }
        }
        nextID += Int64.random(in: 1_000...90_000, using: &random)
        let region = candidates.first ?? request.regions?.first ?? "us-east-1"
        let index = order.count
        let isCPU = !request.isGPU
        var pod = Pod(
            id: nextID, name: request.name.isEmpty ? nil : request.name, status: .initializing,
            gpuType: isCPU ? nil : request.gpuType,
            image: request.image, imageRegistry: request.imageRegistry ?? "https://index.docker.io/v1/",
            gpuDisplayName: isCPU ? nil : GPUCatalog.displayName(for: request.gpuType), gpuCount: isCPU ? 0 : request.gpuCount ?? 1,
            createdAt: now, updatedAt: now, resourceType: request.resourceType ?? "GPU", region: region,
            cloudType: "SECURE", containerVolumeInGb: request.containerVolumeInGb,
            persistentVolumeInGb: request.persistentVolumeInGb, persistentMountPath: request.persistentMountPath,
            shmInGb: request.shmInGb,
            singleCardVramInGb: isCPU ? nil : max(request.minSingleCardVramInGb ?? 0, GPUCatalog.vramGB(for: request.gpuType) ?? 0),
            singleCardRamInGb: request.minSingleCardRamInGb, singleCardVcpu: request.minSingleCardVcpu,
            singleCardPrice: isCPU ? SeedData.cpuPrice : offer?.price, envVars: request.environmentVars,
            initializationCommand: request.initializationCommand, internalIp: "172.21.\(index % 250).\(10 + index % 200)",
            imagePublicType: request.imagePublicType ?? "PUBLIC", containerRegistryAuthId: request.containerRegistryAuthId)
        pod.expose = (request.expose ?? []).enumerated().map { i, port in
            ExposedPort(port: port.port, protocol: port.protocol.uppercased(), proxyPort: 31_000 + (index * 8 + i) % 30_000,
                        host: "pod-n\(index).yotta.run", healthy: false,
                        ingressUrl: ["HTTP", "HTTPS"].contains(port.protocol.uppercased()) ? "https://pod-n\(index)-\(port.port).proxy.yotta.run" : "",
                        serviceName: nil)
        }
        var entry = Entry(pod: pod, deadline: now.addingTimeInterval(Durations.initialize / options.speed))
        // Images that say they are broken fail, so the FAILED path can be seen on demand.
        entry.willFail = request.image.lowercased().contains("fail")
        entry.pod.persistentVolumes = request.persistentVolumes
        entries[pod.id] = entry
        order.append(pod.id)
        return .success(entry.pod)
    }

    /// Adds pods as given (status, names and all): tests use it for hostile or odd data.
    public func inject(_ pods: [Pod]) {
        for pod in pods {
            if entries[pod.id] == nil { order.append(pod.id) }
            entries[pod.id] = Entry(pod: pod)
        }
    }

    // MARK: - Faults

    /// Adds a fault rule (see `FaultRule`).
    public func addFault(_ rule: FaultRule) { faultRules.append(rule) }

    /// Removes every fault rule.
    public func clearFaults() { faultRules.removeAll() }

    /// The active rules.
    public func activeFaults() -> [FaultRule] { faultRules }

    /// The fault to apply to this request, if any; counts it against its rule.
    func nextFault(method: String, path: String) -> FaultRule? {
        for index in faultRules.indices {
            let rule = faultRules[index]
            if let prefix = rule.path, !path.hasPrefix(prefix) { continue }
            if let m = rule.method, m.uppercased() != method.uppercased() { continue }
            if let fraction = rule.fraction, Double.random(in: 0..<1, using: &random) >= fraction { continue }
            if let count = rule.count {
                if count <= 1 { faultRules.remove(at: index) } else { faultRules[index].count = count - 1 }
            }
            return rule
        }
        return nil
    }

    // MARK: - Bookkeeping

    func record(_ request: RecordedRequest) {
        requests.append(request)
        if requests.count > 20_000 { requests.removeFirst(requests.count - 10_000) }
    }

    func beginList() {
        listsInFlight += 1
        maxConcurrentLists = max(maxConcurrentLists, listsInFlight)
    }

    func endList() { listsInFlight -= 1 }

    /// Every request received so far (oldest first).
    public func recordedRequests() -> [RecordedRequest] { requests }

    /// Forgets recorded requests and the concurrency high-water mark.
    public func resetRecords() {
        requests.removeAll()
        maxConcurrentLists = listsInFlight
    }

    /// Every pod as it stands, without moving the clock (oldest first).
    func currentPodsUnadvanced() -> [Pod] { order.compactMap { entries[$0]?.pod } }

    /// Current pods (after advancing the clock), newest first.
    public func currentPods() -> [Pod] { list(regions: [], statuses: []) }
}
