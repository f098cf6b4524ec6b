import FoundationEssentials

/// A fast decoder for the one reply that is large and frequent: a good list of pods
/// (`{"code":10000, "data":[{…pod…}, …]}`). It reads the bytes once and builds each `Pod`
/// directly, with the same lenient rules as `Pod.init(from:)`, instead of going through
/// `JSONDecoder`'s keyed containers (a dictionary per object: 162 ms for 10,000 pods).
///
/// It is a fast path, never the only one: anything it is not sure to read exactly as the
/// `Decodable` path would (an envelope other than success, `data` that is not an array, an
/// element that would fail or be partly skipped, a number in a form other than plain digits
/// where an integer is expected, a duplicate field, invalid UTF-8 or escapes) makes it
/// return nil, and the caller decodes with `JSONDecoder`. `FastPathTests` checks that,
/// whenever it answers, it answers what the `Decodable` path does (fixtures, every dialect,
/// and mutated bodies).
public enum PodListFastPath {
    /// The pods of a good list reply, or nil to say "use the Decodable path".
    public static func decode(_ body: Data) -> [Pod]? {
        body.withUnsafeBytes { raw -> [Pod]? in
            var reader = Reader(raw.bindMemory(to: UInt8.self))
            return reader.envelope()
        }
    }

    /// The same answer as `decode(_:)`, decoding only the pods whose bytes are not those of
    /// a pod in the last list read with this `memo`: the others are taken from it. A fleet
    /// where one pod of 1,000 changed costs a scan of the bytes and one pod's decode, not
    /// 1,000. On an answer the memo becomes this list's; on nil it is kept as it was.
    ///
    /// Exact because a pod depends only on its own bytes: a pod whose bytes equal (by
    /// fingerprint, see `PodListMemo`) bytes the fast path read before is that pod, and the
    /// envelope, the separators and every new pod are still read and checked as `decode`
    /// reads them. Order, new and removed pods follow the reply.
    public static func decode(_ body: Data, memo: inout PodListMemo) -> [Pod]? {
        let answer = body.withUnsafeBytes { raw -> (pods: [Pod], prints: [PodListMemo.Fingerprint])? in
            var reader = Reader(raw.bindMemory(to: UInt8.self))
            reader.memo = memo
            guard let pods = reader.envelope() else { return nil }
            return (pods, reader.prints)
        }
        guard let answer else { return nil }
        memo = PodListMemo(pods: answer.pods, prints: answer.prints)
        return answer.pods
    }

    /// A cursor over the bytes. Every method returns nil (or false) at the first thing it
    /// does not accept, which ends the fast path.
    struct Reader {
        /// Each type's fields by the bytes of their names, with their bits in the duplicate
        /// check, from the `CodingKeys` the `Decodable` path reads: the two decoders share one
        /// list of fields, and the `switch` over it below is exhaustive, so a field added to
        /// `Pod` does not compile until the fast path reads it.
        static let podFields = FieldTable<Pod.CodingKeys>()
        static let portFields = FieldTable<ExposedPort.CodingKeys>()
        static let envFields = FieldTable<EnvVar.CodingKeys>()
        static let volumeFields = FieldTable<VolumeAttachment.CodingKeys>()

        /// Marks a known field as read; false when it was already (a duplicate is left to
        /// JSONDecoder). Unknown fields are not tracked: both paths ignore them.
        static func firstTime(_ bit: UInt64, seen: inout UInt64) -> Bool {
            guard seen & bit == 0 else { return false }
            seen |= bit
            return true
        }

        let bytes: UnsafeBufferPointer<UInt8>
        var at = 0
        /// Text that repeats from pod to pod (images, registries, variables), kept once: a
        /// fleet of 10,000 pods of a few images holds a few image strings, not 10,000 (each a
        /// heap buffer: about 190 bytes a pod of the simulator's fleet). Only strings longer
        /// than 15 bytes: shorter ones live inside the `String` and cost nothing to repeat.
        var repeated: Set<String> = []

        /// `text`, or the equal string read before in this reply.
        mutating func shared(_ text: String?) -> String? {
            guard let text, text.utf8.count > 15, text.utf8.count <= 512 else { return text }
            return repeated.insert(text).memberAfterInsert
        }

        /// `lenientString`, then kept once if it repeats (`shared(_:)`).
        mutating func sharedString(_ out: inout String?) -> Bool {
            guard lenientString(&out) else { return false }
            out = shared(out)
            return true
        }
        /// The last list's pods by fingerprint, when decoding incrementally.
        var memo: PodListMemo?
        /// Each pod's fingerprint in this reply, in order (incremental decoding only).
        var prints: [PodListMemo.Fingerprint] = []
        /// The last list's position of the pod expected next: the one after the last pod
        /// reused (incremental decoding only).
        var expected = 0

        init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

        /// A scalar value, as far as the lenient field rules need to tell them apart.
        enum Scalar {
            case null
            case bool(Bool)
            /// Plain integer syntax (`-?[0-9]+`) that fits Int64.
            case integer(Int64)
            /// Any other JSON number, as its text.
            case number(Substring)
            case string(String)
        }

        // MARK: Structure

        mutating func envelope() -> [Pod]? {
            var code: Int64?
            var pods: [Pod]?
            let read = object { r, key in
                if r.equals(key, "code") {
                    guard code == nil, case .integer(let value)? = r.scalar() else { return false }
                    code = value
                } else if r.equals(key, "data") {
                    guard pods == nil, let list = r.memo == nil ? r.array({ $0.pod() }) : r.array({ $0.rememberedPod() })
                    else { return false }
                    pods = list
                } else {
                    return r.skipValue()
                }
                return true
            }
            guard read, let code, Int(code) == PodAPIError.Code.success, let pods else { return nil }
            skipSpace()
            return at == bytes.count ? pods : nil
        }

        /// One pod object: the memo's when its bytes were read before, else read by `pod()`,
        /// which must end exactly where the scan of its bytes did.
        ///
        /// Most pods are where they were: the bytes as long as the pod after the last one
        /// reused are fingerprinted first, and when they are a pod of the last list, that is
        /// this pod (a JSON object ends where its own bytes say, so bytes equal to a whole
        /// object are that object), without scanning its structure: the scan was a third of
        /// a reply with one changed pod of 1,000.
        mutating func rememberedPod() -> Pod? {
            guard peek() == UInt8(ascii: "{") else { return nil }
            if let memo, expected < memo.lengths.count {
                let length = Int(memo.lengths[expected])
                if length > 1, length <= bytes.count - at {
                    let print = PodListMemo.Fingerprint(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[at..<at + length])))
                    if let index = memo.index[print] {
                        prints.append(print)
                        at += length
                        expected = index + 1
                        return memo.pods[index]
                    }
                }
            }
            guard let end = objectEnd() else { return nil }
            let print = PodListMemo.Fingerprint(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[at..<end])))
            prints.append(print)
            if let memo, let index = memo.index[print] {
                at = end
                expected = index + 1
                return memo.pods[index]
            }
            guard let pod = pod(), at == end else { return nil }
            return pod
        }

        /// One pod object, by `Pod.init(from:)`'s rules.
        mutating func pod() -> Pod? {
            var pod = Pod.Fields()
            var seen: UInt64 = 0
            var hasID = false
            var envVars: [EnvVar]?, environmentVars: [EnvVar]?
            var internalIp: String?, podInternalIp: String?
            let read = object { r, key in
                guard let (field, bit) = Self.podFields.find(key) else { return r.skipValue() }
                guard Self.firstTime(bit, seen: &seen) else { return false }
                switch field {
                case .id:
                    switch r.scalar() {
                    case .integer(let value)?: pod.id = value
                    case .string(let text)?:
                        guard let value = Int64(text.trimmed) else { return false }
                        pod.id = value
                    default: return false
                    }
                    hasID = true
                    return true
                case .name: return r.lenientString(&pod.name)
                case .status:
                    switch r.scalar() {
                    case .string(let text)?: pod.status = PodStatus(parsing: text)
                    case .integer(let code)?: pod.status = PodStatus(code: Int(code)) ?? .unknown(String(code))
                    case .null?: break
                    default: return false
                    }
                    return true
                case .gpuType: return r.lenientString(&pod.gpuType)
                case .image: return r.sharedString(&pod.image)
                case .imageRegistry: return r.sharedString(&pod.imageRegistry)
                case .gpuDisplayName: return r.sharedString(&pod.gpuDisplayName)
                case .gpuCount: return r.lenientInt(&pod.gpuCount)
                case .createdAt: return r.timestamp(&pod.createdAt)
                case .updatedAt: return r.timestamp(&pod.updatedAt)
                case .sshCmd: return r.lenientString(&pod.sshCmd)
                case .resourceType: return r.lenientString(&pod.resourceType)
                case .region: return r.lenientString(&pod.region)
                case .cloudType: return r.lenientString(&pod.cloudType)
                case .containerVolumeInGb: return r.lenientInt(&pod.containerVolumeInGb)
                case .persistentVolumeInGb: return r.lenientInt(&pod.persistentVolumeInGb)
                case .persistentMountPath: return r.sharedString(&pod.persistentMountPath)
                case .shmInGb: return r.lenientInt(&pod.shmInGb)
                case .singleCardVramInGb: return r.lenientInt(&pod.singleCardVramInGb)
                case .singleCardRamInGb: return r.lenientInt(&pod.singleCardRamInGb)
                case .singleCardVcpu: return r.lenientInt(&pod.singleCardVcpu)
                case .singleCardPrice:
                    switch r.scalar() {
                    case .integer(let value)?: pod.singleCardPrice = Plausible.money(Double(value))
                    case .number(let text)?:
                        guard let value = Double(text) else { return false }
                        pod.singleCardPrice = Plausible.money(value)
                    case .null?: pod.singleCardPrice = nil
                    default: return false
                    }
                    return true
                case .envVars: return r.nullOrArray(&envVars) { $0.envVar() }
                case .environmentVars: return r.nullOrArray(&environmentVars) { $0.envVar() }
                case .expose: return r.nullOrArray(&pod.expose) { $0.port() }
                case .persistentVolumes: return r.nullOrArray(&pod.persistentVolumes) { $0.volume() }
                case .initializationCommand: return r.sharedString(&pod.initializationCommand)
                case .internalIp: return r.lenientString(&internalIp)
                case .podInternalIp: return r.lenientString(&podInternalIp)
                case .imagePublicType: return r.lenientString(&pod.imagePublicType)
                case .containerRegistryAuthId:
                    switch r.scalar() {
                    case .integer(let value)?: pod.containerRegistryAuthId = value
                    case .null?: pod.containerRegistryAuthId = nil
                    default: return false
                    }
                    return true
                }
            }
            guard read, hasID else { return nil }   // no id: the Decodable path skips it and says why
            pod.envVars = envVars ?? environmentVars
            pod.internalIp = internalIp ?? podInternalIp
            return Pod(pod)
        }

        /// One `envVars` item: `{key: string, value: lenient string}`.
        mutating func envVar() -> EnvVar? {
            var key: String?, value: String?
            var seen: UInt64 = 0
            let read = object { r, name in
                guard let (field, bit) = Self.envFields.find(name) else { return r.skipValue() }
                guard Self.firstTime(bit, seen: &seen) else { return false }
                switch field {
                case .key:
                    guard case .string(let text)? = r.scalar() else { return false }
                    key = r.shared(text)
                    return true
                case .value:
                    return r.sharedString(&value)
                }
            }
            guard read, let key else { return nil }
            return EnvVar(key: key, value: value ?? "")
        }

        /// One `persistentVolumes` item, by `VolumeAttachment.init(from:)`'s rules.
        mutating func volume() -> VolumeAttachment? {
            var id: Int64?, path: String?, backup: Bool?
            var seen: UInt64 = 0
            let read = object { r, name in
                guard let (field, bit) = Self.volumeFields.find(name) else { return r.skipValue() }
                guard Self.firstTime(bit, seen: &seen) else { return false }
                switch field {
                case .volumeId:
                    switch r.scalar() {
                    case .integer(let value)?: id = value
                    case .string(let text)?:
                        guard let value = Int64(text.trimmed) else { return false }
                        id = value
                    default: return false
                    }
                    return true
                case .mountPath: return r.lenientString(&path)
                case .needBackup:
                    switch r.scalar() {
                    case .bool(let value)?: backup = value
                    case .null?: backup = nil
                    default: return false
                    }
                    return true
                }
            }
            guard read, let id else { return nil }
            return VolumeAttachment(volumeId: id, mountPath: path ?? "", needBackup: backup)
        }

        /// One `expose` item, by `ExposedPort.init(from:)`'s rules.
        mutating func port() -> ExposedPort? {
            var port: Int?, proto: String?, proxyPort: Int?, host: String?, ingress: String?, service: String?
            var healthy: Bool?
            var seen: UInt64 = 0
            let read = object { r, name in
                guard let (field, bit) = Self.portFields.find(name) else { return r.skipValue() }
                guard Self.firstTime(bit, seen: &seen) else { return false }
                switch field {
                case .port: return r.lenientInt(&port)
                case .`protocol`: return r.lenientString(&proto)
                case .proxyPort: return r.lenientInt(&proxyPort)
                case .host: return r.lenientString(&host)
                case .ingressUrl: return r.lenientString(&ingress)
                case .serviceName: return r.lenientString(&service)
                case .healthy:
                    switch r.scalar() {
                    case .bool(let value)?: healthy = value
                    case .null?: healthy = nil
                    default: return false
                    }
                    return true
                }
            }
            guard read, let port = port.flatMap(ExposedPort.valid) else { return nil }
            return ExposedPort(port: port, protocol: proto ?? "TCP", proxyPort: proxyPort.flatMap(ExposedPort.valid), host: host,
                               healthy: healthy, ingressUrl: ingress, serviceName: service)
        }
    }
}

/// What `PodListFastPath.decode(_:memo:)` keeps of the last list it read: its pods and, for
/// each, a fingerprint of its bytes (no copy of the reply: 20 bytes and a table slot a pod).
public struct PodListMemo: Sendable {
    /// A pod's bytes, summarised: their length and a 64-bit `ByteHash` keyed per process, so
    /// no server can aim two different pods at one fingerprint, and two that differ share
    /// one by chance about once in 2^64 comparisons.
    struct Fingerprint: Hashable, Sendable {
        let length: Int
        let hash: UInt64

        init(_ bytes: UnsafeRawBufferPointer) {
            length = bytes.count
            hash = ByteHash.hash(bytes)
        }
    }

    let pods: [Pod]
    /// The first pod with each fingerprint (a reply may hold the same bytes twice).
    let index: [Fingerprint: Int]
    /// Each pod's length in bytes, in the list's order: where the next reply's pod probably
    /// ends (0 for one too long to say, which is never predicted).
    let lengths: [UInt32]

    /// Nothing read yet: the next list is decoded whole.
    public init() {
        pods = []
        index = [:]
        lengths = []
    }

    init(pods: [Pod], prints: [Fingerprint]) {
        self.pods = pods
        var index: [Fingerprint: Int] = [:]
        index.reserveCapacity(prints.count)
        for (i, print) in prints.enumerated() where index[print] == nil { index[print] = i }
        self.index = index
        lengths = prints.map { UInt32(exactly: $0.length) ?? 0 }
    }

    /// How many pods it holds.
    public var count: Int { pods.count }
}
