import Foundation
import PodAPI

/// A pod as the simulator writes it on the wire, in the dialect the quirks choose. The
/// simulator does not use the client's `Pod.encode`: what it sends is its own decision, so
/// a client assumption the server does not share shows up in tests.
struct WirePod: Encodable, Sendable {
    let pod: Pod
    let quirks: SimQuirks

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ name: String) { stringValue = name }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        func id(_ value: Int64, _ key: String) throws {
            if quirks.ids == .string { try c.encode(String(value), forKey: Key(key)) } else { try c.encode(value, forKey: Key(key)) }
        }
        func number(_ value: Int?, _ key: String) throws {
            guard let value else { return }
            if quirks.numbers == .string { try c.encode(String(value), forKey: Key(key)) } else { try c.encode(value, forKey: Key(key)) }
        }
        func string(_ value: String?, _ key: String) throws {
            if let value { try c.encode(value, forKey: Key(key)) }
        }
        func time(_ value: Date?, _ key: String) throws {
            guard let value else { return }
            switch quirks.timestamps {
            case .ms: try c.encode(Timestamp.milliseconds(value), forKey: Key(key))
            case .s: try c.encode(Int64(value.timeIntervalSince1970.rounded()), forKey: Key(key))
            case .iso: try c.encode(Timestamp.iso8601(value), forKey: Key(key))
            }
        }
        if quirks.absurd == .on, AbsurdNumber.carries(pod.id) {
            try encodeAbsurd(&c)
            return
        }
        try id(pod.id, "id")
        // A pod without a name has no `name` key at all (the strictest form for a client).
        try string(pod.name, "name")
        switch quirks.statuses {
        case .names: try c.encode(pod.status.wireName, forKey: Key("status"))
        case .aliases: try c.encode(Self.alias(pod.status), forKey: Key("status"))
        case .codes:
            if let code = pod.status.code { try c.encode(code, forKey: Key("status")) } else { try c.encode(pod.status.wireName, forKey: Key("status")) }
        }
        // CPU pods carry an explicit null, as the API sends them.
        try c.encode(pod.gpuType, forKey: Key("gpuType"))
        try string(pod.image, "image")
        try string(pod.imageRegistry, "imageRegistry")
        try string(pod.gpuDisplayName, "gpuDisplayName")
        try number(pod.gpuCount, "gpuCount")
        try time(pod.createdAt, "createdAt")
        try time(pod.updatedAt, "updatedAt")
        try c.encode(pod.sshCmd, forKey: Key("sshCmd"))
        try string(pod.resourceType, "resourceType")
        try string(pod.region, "region")
        try string(pod.cloudType, "cloudType")
        try number(pod.containerVolumeInGb, "containerVolumeInGb")
        try number(pod.persistentVolumeInGb, "persistentVolumeInGb")
        try string(pod.persistentMountPath, "persistentMountPath")
        try number(pod.shmInGb, "shmInGb")
        try number(pod.singleCardVramInGb, "singleCardVramInGb")
        try number(pod.singleCardRamInGb, "singleCardRamInGb")
        try number(pod.singleCardVcpu, "singleCardVcpu")
        if let price = pod.singleCardPrice {
            if quirks.numbers == .string { try c.encode(String(price), forKey: Key("singleCardPrice")) } else { try c.encode(price, forKey: Key("singleCardPrice")) }
        }
        if let env = pod.envVars { try c.encode(env, forKey: Key("environmentVars")) }
        if let expose = pod.expose { try c.encode(expose, forKey: Key("expose")) }
        try string(pod.initializationCommand, "initializationCommand")
        try string(pod.internalIp, "internalIp")
        try string(pod.imagePublicType, "imagePublicType")
        if let auth = pod.containerRegistryAuthId { try id(auth, "containerRegistryAuthId") }
        if let volumes = pod.persistentVolumes {
            try c.encode(volumes.map { WireAttachment(attachment: $0, idsAsStrings: quirks.ids == .string) }, forKey: Key("persistentVolumes"))
        }
        // A field podtui does not model, as real replies have: only the raw view (y) shows it.
        if pod.resourceType?.uppercased() != "CPU" { try c.encode("550.54.15", forKey: Key("gpuDriverVersion")) }
    }

    /// The pod with every numeric field absurd (the `absurd=on` quirk): id, name, status and
    /// strings as usual, so the client must still list it.
    private func encodeAbsurd(_ c: inout KeyedEncodingContainer<Key>) throws {
        try c.encode(pod.id, forKey: Key("id"))
        try c.encode(pod.name, forKey: Key("name"))
        try c.encode(pod.status.wireName, forKey: Key("status"))
        try c.encode(pod.gpuType, forKey: Key("gpuType"))
        try c.encodeIfPresent(pod.image, forKey: Key("image"))
        try c.encodeIfPresent(pod.gpuDisplayName, forKey: Key("gpuDisplayName"))
        try c.encode(pod.sshCmd, forKey: Key("sshCmd"))
        try c.encodeIfPresent(pod.region, forKey: Key("region"))
        let numeric = ["gpuCount", "createdAt", "updatedAt", "containerVolumeInGb", "persistentVolumeInGb", "shmInGb",
                       "singleCardVramInGb", "singleCardRamInGb", "singleCardVcpu", "singleCardPrice"]
        for (i, name) in numeric.enumerated() {
            try c.encode(AbsurdNumber.pick(id: pod.id, field: i), forKey: Key(name))
        }
        let ports = (pod.expose ?? []).enumerated().map { i, port in
            AbsurdPort(port: port, portValue: .pick(id: pod.id, field: numeric.count + 2 * i),
                       proxyValue: .pick(id: pod.id, field: numeric.count + 2 * i + 1))
        }
        try c.encode(ports, forKey: Key("expose"))
        if let env = pod.envVars { try c.encode(env, forKey: Key("environmentVars")) }
    }

    /// The docs' status aliases.
    static func alias(_ status: PodStatus) -> String {
        switch status {
        case .initializing: "INITIALIZING"
        case .pausing: "STOPPING"
        case .paused: "STOPPED"
        default: status.wireName
        }
    }
}

/// One `persistentVolumes` item on the wire: `{volumeId, mountPath}`.
struct WireAttachment: Encodable, Sendable {
    let attachment: VolumeAttachment
    let idsAsStrings: Bool
    enum Key: String, CodingKey { case volumeId, mountPath }
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        if idsAsStrings { try c.encode(String(attachment.volumeId), forKey: .volumeId) } else { try c.encode(attachment.volumeId, forKey: .volumeId) }
        try c.encode(attachment.mountPath, forKey: .mountPath)
    }
}

/// An `expose` item whose port numbers are absurd (the `absurd=on` quirk).
struct AbsurdPort: Encodable, Sendable {
    let port: ExposedPort
    let portValue: AbsurdNumber
    let proxyValue: AbsurdNumber
    enum Key: String, CodingKey { case port, `protocol`, proxyPort, host, ingressUrl, healthy }
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(portValue, forKey: .port)
        try c.encode(port.protocol, forKey: .protocol)
        try c.encode(proxyValue, forKey: .proxyPort)
        try c.encodeIfPresent(port.host, forKey: .host)
        try c.encodeIfPresent(port.ingressUrl, forKey: .ingressUrl)
        try c.encodeIfPresent(port.healthy, forKey: .healthy)
    }
}
