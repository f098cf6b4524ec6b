import FoundationEssentials
import PodAPI

extension CreateFormState {
    /// Builds the request from the typed values and checks it: typing problems (a number
    /// that is not one), then the shared `CreateRequestValidator` rules (one source of
    /// rules, the same as the CLI's), then what only the catalogue knows (a region where
    /// the GPU is sold out).
    public func check(catalog: Catalog) -> FormCheck {
        var errors: [FormItem: String] = [:]
        var general: [String] = []
        func note(_ item: FormItem, _ message: String) { if errors[item] == nil { errors[item] = message } }
        let v = values
        func trimmed(_ f: FormField) -> String { v[f].trimmed }
        func optionalText(_ f: FormField) -> String? { trimmed(f).isEmpty ? nil : trimmed(f) }
        func number(_ f: FormField) -> Int? {
            let text = trimmed(f)
            guard !text.isEmpty else { return nil }
            guard let n = Int(text) else { note(.field(f), "must be a whole number"); return nil }
            return n
        }

        var r = PodV2CreateRequest(name: trimmed(.name), image: trimmed(.image), gpuType: trimmed(.gpuType))
        r.resourceType = trimmed(.resourceType).isEmpty ? nil : trimmed(.resourceType).uppercased()
        r.gpuCount = number(.gpuCount)
        let regions = v.regionList
        r.regions = regions.isEmpty ? nil : regions
        r.minSingleCardVramInGb = number(.minVram)
        r.minSingleCardRamInGb = number(.minRam)
        r.minSingleCardVcpu = number(.minVcpu)
        r.shmInGb = number(.shm)
        r.containerVolumeInGb = number(.containerVolume)
        r.imagePublicType = optionalText(.imagePublicType)?.uppercased()
        r.imageRegistry = optionalText(.imageRegistry)
        if let text = optionalText(.credential) {
            if let id = PodID.parse(text) { r.containerRegistryAuthId = id } else { note(.field(.credential), "must be a credential id (a positive number)") }
        }
        r.imageRegistryUsername = optionalText(.registryUsername)
        r.imageRegistryPassword = v[.registryPassword].isEmpty ? nil : v[.registryPassword]
        r.initializationCommand = optionalText(.initCommand)
        r.persistentVolumeInGb = number(.persistentVolume)
        r.persistentMountPath = optionalText(.persistentMountPath)

        // Rows: blank rows are skipped; `*Index` maps a request index back to its row.
        var envIndex: [Int] = [], env: [EnvVar] = []
        for (i, row) in v.env.enumerated() where !(row.key.isEmpty && row.value.isEmpty) {
            envIndex.append(i)
            env.append(EnvVar(key: row.key.trimmed, value: row.value))
        }
        // The key file is sent as its path (`@PATH`): the runtime reads it at create, and a
        // template keeps the path, never the key.
        let keyPath = trimmed(.sshKey)
        if !keyPath.isEmpty {
            if let problem = Self.sshKeyProblem(keyPath) {
                note(.field(.sshKey), problem)
            } else if env.contains(where: { $0.key == SSHPublicKey.environmentKey }) {
                note(.field(.sshKey), "\(SSHPublicKey.environmentKey) is also an environment variable below: keep one")
            } else {
                env.append(EnvVar(key: SSHPublicKey.environmentKey, value: SSHPublicKey.reference(path: keyPath)))
            }
        }
        r.environmentVars = env.isEmpty ? nil : env
        var portIndex: [Int] = [], ports: [PortSpec] = []
        for (i, row) in v.ports.enumerated() where !row.port.trimmed.isEmpty {
            guard let port = Int(row.port.trimmed) else {
                note(.portNumber(i), "must be a port number 1–65535")
                continue
            }
            portIndex.append(i)
            ports.append(PortSpec(port: port, protocol: row.proto))
        }
        r.expose = ports.isEmpty ? nil : ports
        var volumeIndex: [Int] = [], volumes: [VolumeAttachment] = []
        for (i, row) in v.volumes.enumerated() where !(row.volumeID.isEmpty && row.mountPath.isEmpty) {
            guard let id = PodID.parse(row.volumeID) else {
                note(.volumeID(i), "must be a volume id (a positive number)")
                continue
            }
            volumeIndex.append(i)
            volumes.append(VolumeAttachment(volumeId: id, mountPath: row.mountPath.trimmed,
                                            needBackup: row.backup ? true : nil))
        }
        r.persistentVolumes = volumes.isEmpty ? nil : volumes

        for problem in CreateRequestValidator.validate(r) {
            if let item = Self.item(forWireField: problem.field, env: envIndex, ports: portIndex, volumes: volumeIndex) {
                // A typing problem on the same cell says more than a rule about the parsed value.
                note(item, problem.message)
            } else {
                general.append(problem.description)
            }
        }

        // What only the catalogue knows.
        if errors[.field(.gpuType)] == nil, !r.gpuType.isEmpty, let types = catalog.gpuTypes.value {
            if let type = types.first(where: { $0.gpuType == r.gpuType }) {
                let available = Set(type.availableRegions.map(\.region))
                if available.isEmpty {
                    note(.field(.gpuType), "\(type.displayName) is sold out in every region right now")
                } else if let bad = regions.first(where: { !available.contains($0) }) {
                    note(.field(.regions), "\(type.displayName) is sold out in \(bad) (try \(available.sorted().joined(separator: ", ")))")
                }
            } else {
                note(.field(.gpuType), "\(r.gpuType) is not offered; ↵ lists the types offered")
            }
        }
        if let id = r.containerRegistryAuthId, let list = catalog.credentials.value, !list.contains(where: { $0.id == id }) {
            note(.field(.credential), "no stored credential has id \(id)")
        }
        return FormCheck(request: r, errors: errors, general: general)
    }

    /// The form cell for a request field named by the validator or the server
    /// (`gpuCount`, `environmentVars[2].key`); nil when the form has no such cell.
    static func item(forWireField wire: String, env: [Int], ports: [Int], volumes: [Int]) -> FormItem? {
        if let field = FormField.allCases.first(where: { $0.wireName == wire }) { return .field(field) }
        guard let open = wire.firstIndex(of: "["), let close = wire.firstIndex(of: "]"), open < close,
              let index = Int(wire[wire.index(after: open)..<close]) else { return nil }
        let base = String(wire[..<open])
        let member = wire[wire.index(after: close)...].drop(while: { $0 == "." })
        func row(_ map: [Int]) -> Int? { map.indices.contains(index) ? map[index] : nil }
        switch base {
        case "environmentVars":
            guard let i = row(env) else { return nil }
            return member == "value" ? .envValue(i) : .envKey(i)
        case "expose":
            guard let i = row(ports) else { return nil }
            return member == "protocol" ? .portProtocol(i) : .portNumber(i)
        case "persistentVolumes":
            guard let i = row(volumes) else { return nil }
            return member == "mountPath" ? .volumeMount(i) : (member == "needBackup" ? .volumeBackup(i) : .volumeID(i))
        default: return nil
        }
    }

    /// Why the SSH key field's text is not a key file's path, or nil.
    static func sshKeyProblem(_ path: String) -> String? {
        if path.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7f }) { return "must be a file's path (no control characters)" }
        if (try? SSHPublicKey.line(from: path).get()) != nil || path.hasPrefix("ssh-") || path.hasPrefix("ecdsa-") || path.hasPrefix("sk-") {
            return "give the key file's path (e.g. ~/.ssh/id_ed25519.pub), not the key itself"
        }
        return nil
    }

    /// The cell a server error names, using the same row mapping as `check`.
    func item(forServerField wire: String) -> FormItem? {
        let env = values.env.indices.filter { !(values.env[$0].key.isEmpty && values.env[$0].value.isEmpty) }
        let ports = values.ports.indices.filter { Int(values.ports[$0].port.trimmed) != nil }
        let volumes = values.volumes.indices.filter { PodID.parse(values.volumes[$0].volumeID) != nil }
        return Self.item(forWireField: wire, env: env, ports: ports, volumes: volumes)
    }

    /// A form pre-filled from an existing pod (`C`): same image, hardware, start-up and
    /// storage settings, under a new name. Secret-looking variables start masked.
    public static func clone(of pod: Pod) -> CreateFormState {
        var v = FormValues()
        // A pod without a name gives a clone without one: the user picks it.
        v[.name] = pod.isUnnamed ? "" : pod.nameOrEmpty + "-clone"
        v[.image] = pod.image ?? ""
        v[.gpuType] = pod.gpuType ?? ""
        v[.gpuCount] = pod.gpuCount.map(String.init) ?? "1"
        v[.regions] = pod.region ?? ""
        v[.resourceType] = (pod.resourceType ?? "GPU").uppercased()
        v[.imagePublicType] = (pod.imagePublicType ?? "PUBLIC").uppercased()
        v[.imageRegistry] = pod.imageRegistry ?? ""
        v[.credential] = pod.containerRegistryAuthId.map(String.init) ?? ""
        v[.minVram] = pod.singleCardVramInGb.map(String.init) ?? ""
        v[.minRam] = pod.singleCardRamInGb.map(String.init) ?? ""
        v[.minVcpu] = pod.singleCardVcpu.map(String.init) ?? ""
        v[.shm] = pod.shmInGb.map(String.init) ?? ""
        v[.containerVolume] = pod.containerVolumeInGb.map(String.init) ?? ""
        v[.persistentVolume] = pod.persistentVolumeInGb.map(String.init) ?? ""
        v[.persistentMountPath] = pod.persistentMountPath ?? ""
        v[.initCommand] = pod.initializationCommand ?? ""
        v.env = (pod.envVars ?? []).map { EnvRow(key: $0.key, value: $0.value, secret: looksSecret($0.key)) }
        v.ports = (pod.expose ?? []).map { PortRow(port: String($0.port), proto: $0.protocol.uppercased()) }
        return CreateFormState(values: v, title: "Clone of \(TextSafety.clean(pod.label))")
    }

    /// Env keys whose values are probably secrets (masked by default).
    public static func looksSecret(_ key: String) -> Bool {
        let k = key.uppercased()
        return ["KEY", "TOKEN", "SECRET", "PASSWORD", "PASSWD", "CREDENTIAL"].contains { k.contains($0) }
    }

    /// The `podtui pods create …` line for the current values; secret values are elided.
    public func commandLine(catalog: Catalog) -> String {
        var request = check(catalog: catalog).request
        request.imageRegistryPassword = nil
        request.imageRegistryUsername = nil
        let secretKeys = Set(values.env.filter(\.secret).map(\.key))
        var line = CreateCommandLine.render(request, secretEnvKeys: secretKeys)
        if !values[.registryPassword].isEmpty {
            line += "   # registry username/password not shown: store them as a credential"
        }
        return line
    }
}
