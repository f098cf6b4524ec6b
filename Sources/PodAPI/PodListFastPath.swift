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

    /// A cursor over the bytes. Every method returns nil (or false) at the first thing it
    /// does not accept, which ends the fast path.
    struct Reader {
        /// The fields `pod()`, `port()` and `envVar()` read, each with its bit in the duplicate check.
        static let podFields: [String: Int] = Dictionary(uniqueKeysWithValues: [
            "id", "name", "status", "gpuType", "image", "imageRegistry", "gpuDisplayName", "gpuCount", "createdAt",
            "updatedAt", "sshCmd", "resourceType", "region", "cloudType", "containerVolumeInGb", "persistentVolumeInGb",
            "persistentMountPath", "shmInGb", "singleCardVramInGb", "singleCardRamInGb", "singleCardVcpu",
            "singleCardPrice", "envVars", "environmentVars", "expose", "initializationCommand", "internalIp",
            "podInternalIp", "imagePublicType", "containerRegistryAuthId", "persistentVolumes",
        ].enumerated().map { ($1, $0) })
        static let portFields: [String: Int] = Dictionary(uniqueKeysWithValues: [
            "port", "protocol", "proxyPort", "host", "ingressUrl", "serviceName", "healthy",
        ].enumerated().map { ($1, $0) })
        static let envFields: [String: Int] = ["key": 0, "value": 1]
        static let volumeFields: [String: Int] = ["volumeId": 0, "mountPath": 1, "needBackup": 2]

        let bytes: UnsafeBufferPointer<UInt8>
        var at = 0

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
                    guard pods == nil, let list = r.array({ $0.pod() }) else { return false }
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

        /// One pod object, by `Pod.init(from:)`'s rules.
        mutating func pod() -> Pod? {
            var pod = Pod(id: 0, name: nil, status: .unknown(""), gpuType: nil)
            var seen: UInt64 = 0
            var hasID = false
            var envVars: [EnvVar]?, environmentVars: [EnvVar]?
            var internalIp: String?, podInternalIp: String?
            let read = object { r, keyBytes in
                let key = String(decoding: keyBytes, as: UTF8.self)
                guard Self.firstTime(key, of: Self.podFields, seen: &seen) else { return false }
                switch key {
                case "id":
                    switch r.scalar() {
                    case .integer(let value)?: pod.id = value
                    case .string(let text)?:
                        guard let value = Int64(text.trimmed) else { return false }
                        pod.id = value
                    default: return false
                    }
                    hasID = true
                    return true
                case "name": return r.lenientString(&pod.name)
                case "status":
                    switch r.scalar() {
                    case .string(let text)?: pod.status = PodStatus(parsing: text)
                    case .integer(let code)?: pod.status = PodStatus(code: Int(code)) ?? .unknown(String(code))
                    case .null?: break
                    default: return false
                    }
                    return true
                case "gpuType": return r.lenientString(&pod.gpuType)
                case "image": return r.lenientString(&pod.image)
                case "imageRegistry": return r.lenientString(&pod.imageRegistry)
                case "gpuDisplayName": return r.lenientString(&pod.gpuDisplayName)
                case "gpuCount": return r.lenientInt(&pod.gpuCount)
                case "createdAt": return r.timestamp(&pod.createdAt)
                case "updatedAt": return r.timestamp(&pod.updatedAt)
                case "sshCmd": return r.lenientString(&pod.sshCmd)
                case "resourceType": return r.lenientString(&pod.resourceType)
                case "region": return r.lenientString(&pod.region)
                case "cloudType": return r.lenientString(&pod.cloudType)
                case "containerVolumeInGb": return r.lenientInt(&pod.containerVolumeInGb)
                case "persistentVolumeInGb": return r.lenientInt(&pod.persistentVolumeInGb)
                case "persistentMountPath": return r.lenientString(&pod.persistentMountPath)
                case "shmInGb": return r.lenientInt(&pod.shmInGb)
                case "singleCardVramInGb": return r.lenientInt(&pod.singleCardVramInGb)
                case "singleCardRamInGb": return r.lenientInt(&pod.singleCardRamInGb)
                case "singleCardVcpu": return r.lenientInt(&pod.singleCardVcpu)
                case "singleCardPrice":
                    switch r.scalar() {
                    case .integer(let value)?: pod.singleCardPrice = Plausible.money(Double(value))
                    case .number(let text)?:
                        guard let value = Double(text) else { return false }
                        pod.singleCardPrice = Plausible.money(value)
                    case .null?: pod.singleCardPrice = nil
                    default: return false
                    }
                    return true
                case "envVars": return r.nullOrArray(&envVars) { $0.envVar() }
                case "environmentVars": return r.nullOrArray(&environmentVars) { $0.envVar() }
                case "expose": return r.nullOrArray(&pod.expose) { $0.port() }
                case "persistentVolumes": return r.nullOrArray(&pod.persistentVolumes) { $0.volume() }
                case "initializationCommand": return r.lenientString(&pod.initializationCommand)
                case "internalIp": return r.lenientString(&internalIp)
                case "podInternalIp": return r.lenientString(&podInternalIp)
                case "imagePublicType": return r.lenientString(&pod.imagePublicType)
                case "containerRegistryAuthId":
                    switch r.scalar() {
                    case .integer(let value)?: pod.containerRegistryAuthId = value
                    case .null?: pod.containerRegistryAuthId = nil
                    default: return false
                    }
                    return true
                default:
                    return r.skipValue()
                }
            }
            guard read, hasID else { return nil }   // no id: the Decodable path skips it and says why
            pod.envVars = envVars ?? environmentVars
            pod.internalIp = internalIp ?? podInternalIp
            return pod
        }

        /// One `envVars` item: `{key: string, value: lenient string}`.
        mutating func envVar() -> EnvVar? {
            var key: String?, value: String?
            var seen: UInt64 = 0
            let read = object { r, name in
                if r.equals(name, "key") {
                    guard Self.firstTime("key", of: Self.envFields, seen: &seen), case .string(let text)? = r.scalar() else { return false }
                    key = text
                    return true
                }
                if r.equals(name, "value") {
                    return Self.firstTime("value", of: Self.envFields, seen: &seen) && r.lenientString(&value)
                }
                return r.skipValue()
            }
            guard read, let key else { return nil }
            return EnvVar(key: key, value: value ?? "")
        }

        /// One `persistentVolumes` item, by `VolumeAttachment.init(from:)`'s rules.
        mutating func volume() -> VolumeAttachment? {
            var id: Int64?, path: String?, backup: Bool?
            var seen: UInt64 = 0
            let read = object { r, nameBytes in
                let name = String(decoding: nameBytes, as: UTF8.self)
                guard Self.firstTime(name, of: Self.volumeFields, seen: &seen) else { return false }
                switch name {
                case "volumeId":
                    switch r.scalar() {
                    case .integer(let value)?: id = value
                    case .string(let text)?:
                        guard let value = Int64(text.trimmed) else { return false }
                        id = value
                    default: return false
                    }
                    return true
                case "mountPath": return r.lenientString(&path)
                case "needBackup":
                    switch r.scalar() {
                    case .bool(let value)?: backup = value
                    case .null?: backup = nil
                    default: return false
                    }
                    return true
                default: return r.skipValue()
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
            let read = object { r, nameBytes in
                let name = String(decoding: nameBytes, as: UTF8.self)
                guard Self.firstTime(name, of: Self.portFields, seen: &seen) else { return false }
                switch name {
                case "port": return r.lenientInt(&port)
                case "protocol": return r.lenientString(&proto)
                case "proxyPort": return r.lenientInt(&proxyPort)
                case "host": return r.lenientString(&host)
                case "ingressUrl": return r.lenientString(&ingress)
                case "serviceName": return r.lenientString(&service)
                case "healthy":
                    switch r.scalar() {
                    case .bool(let value)?: healthy = value
                    case .null?: healthy = nil
                    default: return false
                    }
                    return true
                default: return r.skipValue()
                }
            }
            guard read, let port else { return nil }
            return ExposedPort(port: port, protocol: proto ?? "TCP", proxyPort: proxyPort, host: host,
                               healthy: healthy, ingressUrl: ingress, serviceName: service)
        }

        // MARK: Objects and arrays

        typealias Key = UnsafeBufferPointer<UInt8>.SubSequence

        /// Reads an object, calling `member` with each key (the value is `member`'s to read).
        /// False at the first thing not accepted, `member`'s refusals included.
        mutating func object(_ member: (inout Reader, Key) -> Bool) -> Bool {
            guard consume(UInt8(ascii: "{")) else { return false }
            if consume(UInt8(ascii: "}")) { return true }
            repeat {
                guard let key = rawKey(), member(&self, key) else { return false }
            } while consume(UInt8(ascii: ","))
            return consume(UInt8(ascii: "}"))
        }

        /// Reads an array whose every element `element` accepts.
        mutating func array<T>(_ element: (inout Reader) -> T?) -> [T]? {
            guard consume(UInt8(ascii: "[")) else { return nil }
            var list: [T] = []
            if consume(UInt8(ascii: "]")) { return list }
            repeat {
                guard let item = element(&self) else { return nil }
                list.append(item)
            } while consume(UInt8(ascii: ","))
            return consume(UInt8(ascii: "]")) ? list : nil
        }

        /// `null` (into nil) or an array of elements `element` accepts.
        mutating func nullOrArray<T>(_ out: inout [T]?, _ element: (inout Reader) -> T?) -> Bool {
            if peek() == UInt8(ascii: "n") {
                guard case .null? = scalar() else { return false }
                out = nil
                return true
            }
            guard let list = array(element) else { return false }
            out = list
            return true
        }

        /// Marks a known field as read; false when it was already (a duplicate is left to
        /// JSONDecoder). Unknown fields are not tracked: both paths ignore them.
        static func firstTime(_ name: String, of fields: [String: Int], seen: inout UInt64) -> Bool {
            guard let bit = fields[name] else { return true }
            guard seen & (1 << bit) == 0 else { return false }
            seen |= 1 << bit
            return true
        }

        // MARK: Lenient fields (the rules of LenientDecoding.swift)

        /// A string; a plain integer becomes its digits, a boolean "true"/"false".
        mutating func lenientString(_ out: inout String?) -> Bool {
            switch scalar() {
            case .string(let text)?: out = text
            case .integer(let value)?: out = String(value)
            case .bool(let value)?: out = String(value)
            case .null?: out = nil
            default: return false
            }
            return true
        }

        /// An integer, or a numeric string. Other number forms (`24.0`, `1e3`) go to the slow path.
        mutating func lenientInt(_ out: inout Int?) -> Bool {
            switch scalar() {
            case .integer(let value)?: out = Plausible.quantity(value)
            case .string(let text)?: out = Int64(text.trimmed).flatMap { Plausible.quantity($0) }
            case .null?: out = nil
            default: return false
            }
            return true
        }

        /// Epoch seconds or milliseconds as an integer, or a string (digits or ISO 8601).
        mutating func timestamp(_ out: inout Date?) -> Bool {
            switch scalar() {
            case .integer(let value)?: out = Timestamp.date(fromEpoch: value)
            case .string(let text)?: out = Timestamp.parse(text)
            case .null?: out = nil
            default: return false
            }
            return true
        }

        // MARK: Tokens

        mutating func skipSpace() {
            while at < bytes.count {
                switch bytes[at] {
                case 0x20, 0x0A, 0x0D, 0x09: at += 1
                default: return
                }
            }
        }

        mutating func peek() -> UInt8? {
            skipSpace()
            return at < bytes.count ? bytes[at] : nil
        }

        mutating func consume(_ byte: UInt8) -> Bool {
            guard peek() == byte else { return false }
            at += 1
            return true
        }

        func equals(_ slice: UnsafeBufferPointer<UInt8>.SubSequence, _ text: StaticString) -> Bool {
            guard slice.count == text.utf8CodeUnitCount else { return false }
            let expected = UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount)
            return slice.elementsEqual(expected)
        }

        /// An object key and its colon, as raw bytes. Keys with escapes are left to the slow path.
        mutating func rawKey() -> UnsafeBufferPointer<UInt8>.SubSequence? {
            guard consume(UInt8(ascii: "\"")) else { return nil }
            let start = at
            while at < bytes.count {
                let b = bytes[at]
                if b == UInt8(ascii: "\"") { break }
                if b == UInt8(ascii: "\\") || b < 0x20 || b >= 0x80 { return nil }
                at += 1
            }
            guard at < bytes.count else { return nil }
            let key = bytes[start..<at]
            at += 1
            return consume(UInt8(ascii: ":")) ? key : nil
        }

        mutating func scalar() -> Scalar? {
            guard let first = peek() else { return nil }
            switch first {
            case UInt8(ascii: "\""): return string().map(Scalar.string)
            case UInt8(ascii: "n"): return literal("null") ? .null : nil
            case UInt8(ascii: "t"): return literal("true") ? .bool(true) : nil
            case UInt8(ascii: "f"): return literal("false") ? .bool(false) : nil
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return number()
            default: return nil
            }
        }

        mutating func literal(_ word: StaticString) -> Bool {
            let n = word.utf8CodeUnitCount
            guard at + n <= bytes.count, equals(bytes[at..<at + n], word) else { return false }
            at += n
            return true
        }

        /// A JSON number by RFC 8259's grammar; plain integers that fit Int64 as `.integer`.
        mutating func number() -> Scalar? {
            let start = at
            if bytes[at] == UInt8(ascii: "-") { at += 1 }
            guard at < bytes.count, isDigit(bytes[at]) else { return nil }
            if bytes[at] == UInt8(ascii: "0") { at += 1 } else { while at < bytes.count, isDigit(bytes[at]) { at += 1 } }
            var plain = true
            if at < bytes.count, bytes[at] == UInt8(ascii: ".") {
                plain = false
                at += 1
                guard at < bytes.count, isDigit(bytes[at]) else { return nil }
                while at < bytes.count, isDigit(bytes[at]) { at += 1 }
            }
            if at < bytes.count, bytes[at] | 0x20 == UInt8(ascii: "e") {
                plain = false
                at += 1
                if at < bytes.count, bytes[at] == UInt8(ascii: "+") || bytes[at] == UInt8(ascii: "-") { at += 1 }
                guard at < bytes.count, isDigit(bytes[at]) else { return nil }
                while at < bytes.count, isDigit(bytes[at]) { at += 1 }
            }
            let text = Substring(decoding: bytes[start..<at], as: UTF8.self)
            if plain {
                guard let value = Int64(text) else { return nil }   // beyond Int64: slow path
                return .integer(value)
            }
            return .number(text)
        }

        func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }

        /// A string value: valid UTF-8, no raw control characters, escapes decoded.
        mutating func string() -> String? {
            guard consume(UInt8(ascii: "\"")) else { return nil }
            let start = at
            var escaped = false
            while at < bytes.count {
                let b = bytes[at]
                if b == UInt8(ascii: "\"") { break }
                if b < 0x20 { return nil }
                if b == UInt8(ascii: "\\") {
                    escaped = true
                    at += 2
                    continue
                }
                at += 1
            }
            guard at < bytes.count else { return nil }
            let raw = bytes[start..<at]
            at += 1
            guard escaped else { return String(validating: raw, as: UTF8.self) }
            return unescape(raw)
        }

        func unescape(_ raw: UnsafeBufferPointer<UInt8>.SubSequence) -> String? {
            var out: [UInt8] = []
            out.reserveCapacity(raw.count)
            var i = raw.startIndex
            func hex4(_ from: Int) -> UInt32? {
                guard from + 4 <= raw.endIndex else { return nil }
                var v: UInt32 = 0
                for j in from..<from + 4 {
                    let c = raw[j]
                    let d: UInt8
                    switch c {
                    case UInt8(ascii: "0")...UInt8(ascii: "9"): d = c - UInt8(ascii: "0")
                    case UInt8(ascii: "a")...UInt8(ascii: "f"): d = c - UInt8(ascii: "a") + 10
                    case UInt8(ascii: "A")...UInt8(ascii: "F"): d = c - UInt8(ascii: "A") + 10
                    default: return nil
                    }
                    v = v << 4 | UInt32(d)
                }
                return v
            }
            while i < raw.endIndex {
                let b = raw[i]
                guard b == UInt8(ascii: "\\") else { out.append(b); i += 1; continue }
                guard i + 1 < raw.endIndex else { return nil }
                switch raw[i + 1] {
                case UInt8(ascii: "\""): out.append(0x22)
                case UInt8(ascii: "\\"): out.append(0x5C)
                case UInt8(ascii: "/"): out.append(0x2F)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    guard var scalar = hex4(i + 2) else { return nil }
                    i += 6
                    if (0xD800...0xDBFF).contains(scalar) {
                        // A high surrogate must be followed by an escaped low one.
                        guard i + 1 < raw.endIndex, raw[i] == UInt8(ascii: "\\"), raw[i + 1] == UInt8(ascii: "u"),
                              let low = hex4(i + 2), (0xDC00...0xDFFF).contains(low) else { return nil }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        i += 6
                    } else if (0xDC00...0xDFFF).contains(scalar) {
                        return nil
                    }
                    guard let value = Unicode.Scalar(scalar) else { return nil }
                    out.append(contentsOf: UTF8.encode(value).map(Array.init) ?? [])
                    continue
                default: return nil
                }
                i += 2
            }
            return String(validating: out, as: UTF8.self)
        }

        /// Steps over any JSON value (for fields podtui does not read).
        mutating func skipValue(depth: Int = 0) -> Bool {
            guard depth < 64, let first = peek() else { return false }
            switch first {
            case UInt8(ascii: "{"):
                at += 1
                if consume(UInt8(ascii: "}")) { return true }
                repeat {
                    guard consume(UInt8(ascii: "\"")) else { return false }
                    at -= 1
                    guard string() != nil, consume(UInt8(ascii: ":")), skipValue(depth: depth + 1) else { return false }
                } while consume(UInt8(ascii: ","))
                return consume(UInt8(ascii: "}"))
            case UInt8(ascii: "["):
                at += 1
                if consume(UInt8(ascii: "]")) { return true }
                repeat {
                    guard skipValue(depth: depth + 1) else { return false }
                } while consume(UInt8(ascii: ","))
                return consume(UInt8(ascii: "]"))
            default:
                return scalar() != nil
            }
        }
    }
}
