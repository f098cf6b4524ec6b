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
        /// The fields `pod()` reads, each with its bit in the duplicate check.
        static let podFields: [String: Int] = Dictionary(uniqueKeysWithValues: [
            "id", "name", "status", "gpuType", "image", "imageRegistry", "gpuDisplayName", "gpuCount", "createdAt",
            "updatedAt", "sshCmd", "resourceType", "region", "cloudType", "containerVolumeInGb", "persistentVolumeInGb",
            "persistentMountPath", "shmInGb", "singleCardVramInGb", "singleCardRamInGb", "singleCardVcpu",
            "singleCardPrice", "envVars", "environmentVars", "expose", "initializationCommand", "internalIp",
            "podInternalIp", "imagePublicType", "containerRegistryAuthId",
        ].enumerated().map { ($1, $0) })
        static let portFields: [String: Int] = Dictionary(uniqueKeysWithValues: [
            "port", "protocol", "proxyPort", "host", "ingressUrl", "serviceName", "healthy",
        ].enumerated().map { ($1, $0) })

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
            guard consume(UInt8(ascii: "{")) else { return nil }
            var code: Int64?
            var pods: [Pod]?
            if peek() == UInt8(ascii: "}") { return nil }
            repeat {
                guard let key = rawKey() else { return nil }
                if equals(key, "code") {
                    guard code == nil, case .integer(let value)? = scalar() else { return nil }
                    code = value
                } else if equals(key, "data") {
                    guard pods == nil, let list = podArray() else { return nil }
                    pods = list
                } else {
                    guard skipValue() else { return nil }
                }
            } while consume(UInt8(ascii: ","))
            guard consume(UInt8(ascii: "}")), let code, Int(code) == PodAPIError.Code.success, let pods else { return nil }
            skipSpace()
            return at == bytes.count ? pods : nil
        }

        mutating func podArray() -> [Pod]? {
            guard consume(UInt8(ascii: "[")) else { return nil }
            var pods: [Pod] = []
            if consume(UInt8(ascii: "]")) { return pods }
            repeat {
                guard let pod = pod() else { return nil }
                pods.append(pod)
            } while consume(UInt8(ascii: ","))
            return consume(UInt8(ascii: "]")) ? pods : nil
        }

        /// One pod object, by `Pod.init(from:)`'s rules.
        mutating func pod() -> Pod? {
            guard consume(UInt8(ascii: "{")) else { return nil }
            var pod = Pod(id: 0, name: nil, status: .unknown(""), gpuType: nil)
            var seen: UInt64 = 0   // one bit per known field (podFields), to refuse duplicates
            var hasID = false
            var envVars: [EnvVar]?, environmentVars: [EnvVar]?
            var internalIp: String?, podInternalIp: String?
            if !consume(UInt8(ascii: "}")) {
                repeat {
                    guard let keyBytes = rawKey() else { return nil }
                    let key = String(decoding: keyBytes, as: UTF8.self)
                    if let bit = Self.podFields[key] {
                        guard seen & (1 << bit) == 0 else { return nil }   // duplicate: let JSONDecoder decide
                        seen |= 1 << bit
                    }
                    switch key {
                    case "id":
                        switch scalar() {
                        case .integer(let value)?: pod.id = value
                        case .string(let text)?:
                            guard let value = Int64(text.trimmed) else { return nil }
                            pod.id = value
                        default: return nil
                        }
                        hasID = true
                    case "name": guard lenientString(&pod.name) else { return nil }
                    case "status":
                        switch scalar() {
                        case .string(let text)?: pod.status = PodStatus(parsing: text)
                        case .integer(let code)?: pod.status = PodStatus(code: Int(code)) ?? .unknown(String(code))
                        case .null?: break
                        default: return nil
                        }
                    case "gpuType": guard lenientString(&pod.gpuType) else { return nil }
                    case "image": guard lenientString(&pod.image) else { return nil }
                    case "imageRegistry": guard lenientString(&pod.imageRegistry) else { return nil }
                    case "gpuDisplayName": guard lenientString(&pod.gpuDisplayName) else { return nil }
                    case "gpuCount": guard lenientInt(&pod.gpuCount) else { return nil }
                    case "createdAt": guard timestamp(&pod.createdAt) else { return nil }
                    case "updatedAt": guard timestamp(&pod.updatedAt) else { return nil }
                    case "sshCmd": guard lenientString(&pod.sshCmd) else { return nil }
                    case "resourceType": guard lenientString(&pod.resourceType) else { return nil }
                    case "region": guard lenientString(&pod.region) else { return nil }
                    case "cloudType": guard lenientString(&pod.cloudType) else { return nil }
                    case "containerVolumeInGb": guard lenientInt(&pod.containerVolumeInGb) else { return nil }
                    case "persistentVolumeInGb": guard lenientInt(&pod.persistentVolumeInGb) else { return nil }
                    case "persistentMountPath": guard lenientString(&pod.persistentMountPath) else { return nil }
                    case "shmInGb": guard lenientInt(&pod.shmInGb) else { return nil }
                    case "singleCardVramInGb": guard lenientInt(&pod.singleCardVramInGb) else { return nil }
                    case "singleCardRamInGb": guard lenientInt(&pod.singleCardRamInGb) else { return nil }
                    case "singleCardVcpu": guard lenientInt(&pod.singleCardVcpu) else { return nil }
                    case "singleCardPrice":
                        switch scalar() {
                        case .integer(let value)?: pod.singleCardPrice = Double(value)
                        case .number(let text)?: guard let value = Double(text) else { return nil }; pod.singleCardPrice = value
                        case .null?: pod.singleCardPrice = nil
                        default: return nil
                        }
                    case "envVars": guard let list = envList() else { return nil }; envVars = list
                    case "environmentVars": guard let list = envList() else { return nil }; environmentVars = list
                    case "expose": guard let list = portList() else { return nil }; pod.expose = list
                    case "initializationCommand": guard lenientString(&pod.initializationCommand) else { return nil }
                    case "internalIp": guard lenientString(&internalIp) else { return nil }
                    case "podInternalIp": guard lenientString(&podInternalIp) else { return nil }
                    case "imagePublicType": guard lenientString(&pod.imagePublicType) else { return nil }
                    case "containerRegistryAuthId":
                        switch scalar() {
                        case .integer(let value)?: pod.containerRegistryAuthId = value
                        case .null?: pod.containerRegistryAuthId = nil
                        default: return nil
                        }
                    default:
                        guard skipValue() else { return nil }
                    }
                } while consume(UInt8(ascii: ","))
                guard consume(UInt8(ascii: "}")) else { return nil }
            }
            guard hasID else { return nil }   // the Decodable path skips it and says why
            pod.envVars = envVars ?? environmentVars
            pod.internalIp = internalIp ?? podInternalIp
            return pod
        }

        /// `envVars`: null, or an array of `{key: string, value: lenient string}`.
        mutating func envList() -> [EnvVar]?? {
            if peek() == UInt8(ascii: "n") { guard case .null? = scalar() else { return nil }; return .some(nil) }
            guard consume(UInt8(ascii: "[")) else { return nil }
            var list: [EnvVar] = []
            if consume(UInt8(ascii: "]")) { return .some(list) }
            repeat {
                guard consume(UInt8(ascii: "{")) else { return nil }
                var key: String?, value: String?
                var seenValue = false
                if !consume(UInt8(ascii: "}")) {
                    repeat {
                        guard let name = rawKey() else { return nil }
                        if equals(name, "key") {
                            guard key == nil, case .string(let text)? = scalar() else { return nil }
                            key = text
                        } else if equals(name, "value") {
                            guard !seenValue, lenientString(&value) else { return nil }
                            seenValue = true
                        } else {
                            guard skipValue() else { return nil }
                        }
                    } while consume(UInt8(ascii: ","))
                    guard consume(UInt8(ascii: "}")) else { return nil }
                }
                guard let key else { return nil }
                list.append(EnvVar(key: key, value: value ?? ""))
            } while consume(UInt8(ascii: ","))
            return consume(UInt8(ascii: "]")) ? .some(list) : nil
        }

        /// `expose`: null, or an array of ports by `ExposedPort.init(from:)`'s rules.
        mutating func portList() -> [ExposedPort]?? {
            if peek() == UInt8(ascii: "n") { guard case .null? = scalar() else { return nil }; return .some(nil) }
            guard consume(UInt8(ascii: "[")) else { return nil }
            var list: [ExposedPort] = []
            if consume(UInt8(ascii: "]")) { return .some(list) }
            repeat {
                guard consume(UInt8(ascii: "{")) else { return nil }
                var port: Int?, proto: String?, proxyPort: Int?, host: String?, ingress: String?, service: String?
                var healthy: Bool?
                var seen: UInt64 = 0
                if !consume(UInt8(ascii: "}")) {
                    repeat {
                        guard let nameBytes = rawKey() else { return nil }
                        let name = String(decoding: nameBytes, as: UTF8.self)
                        if let bit = Self.portFields[name] {
                            guard seen & (1 << bit) == 0 else { return nil }
                            seen |= 1 << bit
                        }
                        switch name {
                        case "port": guard lenientInt(&port) else { return nil }
                        case "protocol": guard lenientString(&proto) else { return nil }
                        case "proxyPort": guard lenientInt(&proxyPort) else { return nil }
                        case "host": guard lenientString(&host) else { return nil }
                        case "ingressUrl": guard lenientString(&ingress) else { return nil }
                        case "serviceName": guard lenientString(&service) else { return nil }
                        case "healthy":
                            switch scalar() {
                            case .bool(let value)?: healthy = value
                            case .null?: healthy = nil
                            default: return nil
                            }
                        default: guard skipValue() else { return nil }
                        }
                    } while consume(UInt8(ascii: ","))
                    guard consume(UInt8(ascii: "}")) else { return nil }
                }
                guard let port else { return nil }
                list.append(ExposedPort(port: port, protocol: proto ?? "TCP", proxyPort: proxyPort, host: host,
                                        healthy: healthy, ingressUrl: ingress, serviceName: service))
            } while consume(UInt8(ascii: ","))
            return consume(UInt8(ascii: "]")) ? .some(list) : nil
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
            case .integer(let value)?: out = Int(value)
            case .string(let text)?: out = Int(text.trimmed)
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
