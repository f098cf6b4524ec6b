import PodAPI

/// The `podtui pods create …` command line equivalent to a create request, and the mapping
/// from request fields to flags (used for error messages). Secrets are elided.
public enum CreateCommandLine {
    /// The flag that sets a request field (`gpuCount` → `--gpu-count`).
    public static func flag(forField field: String) -> String {
        let base = field.split(separator: "[").first.map(String.init) ?? field
        switch base {
        case "name": return "--name"
        case "image": return "--image"
        case "gpuType": return "--gpu-type"
        case "gpuCount": return "--gpu-count"
        case "regions": return "--region"
        case "initializationCommand": return "--init-cmd"
        case "containerVolumeInGb": return "--container-volume"
        case "persistentVolumeInGb": return "--persistent-volume"
        case "persistentMountPath": return "--persistent-mount-path"
        case "imageRegistry": return "--image-registry"
        case "containerRegistryAuthId": return "--credential-id"
        case "imagePublicType": return "--image-public-type"
        case "resourceType": return "--resource-type"
        case "minSingleCardVramInGb": return "--min-vram"
        case "minSingleCardRamInGb": return "--min-ram"
        case "minSingleCardVcpu": return "--min-vcpu"
        case "shmInGb": return "--shm"
        case "environmentVars": return "--env"
        case "expose": return "--expose"
        case "persistentVolumes": return "--volume"
        default: return field
        }
    }

    /// Shell-quotes one word when it needs it.
    public static func quote(_ word: String) -> String {
        let safe = word.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || ("0"..."9").contains($0) || "-_./:=@,+%".unicodeScalars.contains($0) }
        if safe && !word.isEmpty { return word }
        return "'" + word.replacing("'", with: "'\\''") + "'"
    }

    /// The command line for `request`. Values of env keys in `secretEnvKeys` are elided
    /// (written as `KEY="$KEY"`).
    public static func render(_ r: PodV2CreateRequest, secretEnvKeys: Set<String> = []) -> String {
        var words = ["podtui", "pods", "create"]
        func add(_ flag: String, _ value: String?) { if let value, !value.isEmpty { words += [flag, quote(value)] } }
        add("--name", r.name)
        add("--image", r.image)
        add("--gpu-type", r.gpuType)
        add("--gpu-count", r.gpuCount.map(String.init))
        for region in r.regions ?? [] { add("--region", region) }
        add("--resource-type", r.resourceType)
        add("--image-public-type", r.imagePublicType)
        add("--image-registry", r.imageRegistry)
        add("--credential-id", r.containerRegistryAuthId.map(String.init))
        add("--min-vram", r.minSingleCardVramInGb.map(String.init))
        add("--min-ram", r.minSingleCardRamInGb.map(String.init))
        add("--min-vcpu", r.minSingleCardVcpu.map(String.init))
        add("--shm", r.shmInGb.map(String.init))
        add("--container-volume", r.containerVolumeInGb.map(String.init))
        add("--persistent-volume", r.persistentVolumeInGb.map(String.init))
        add("--persistent-mount-path", r.persistentMountPath)
        add("--init-cmd", r.initializationCommand)
        // The ssh key as the file it is read from (`--ssh-key PATH`), never the key's text;
        // without one, `--no-ssh-key`, since the command would otherwise send the default key.
        let keyKey = SSHPublicKey.environmentKey
        if let item = r.environmentVars?.first(where: { $0.key == keyKey }) {
            if let path = SSHPublicKey.referencedPath(item.value) { add("--ssh-key", path) }
        } else {
            words.append("--no-ssh-key")
        }
        for env in r.environmentVars ?? [] {
            if env.key == keyKey {
                if SSHPublicKey.referencedPath(env.value) == nil { words += ["--env", "\(keyKey)=…"] }
                continue
            }
            if secretEnvKeys.contains(env.key), env.key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) {
                // Elided as a shell reference, so the line still works with the variable set.
                words += ["--env", "\(env.key)=\"$\(env.key)\""]
            } else {
                add("--env", "\(env.key)=\(secretEnvKeys.contains(env.key) ? "…" : env.value)")
            }
        }
        for port in r.expose ?? [] { add("--expose", "\(port.port)/\(port.protocol.uppercased())") }
        for volume in r.persistentVolumes ?? [] {
            add("--volume", "\(volume.volumeId):\(volume.mountPath)\(volume.needBackup == true ? ":backup" : "")")
        }
        return words.joined(separator: " ")
    }
}
