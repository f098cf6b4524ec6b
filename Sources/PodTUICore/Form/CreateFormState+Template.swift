import FoundationEssentials
import PodAPI

extension CreateFormState {
    /// A form filled from a saved template. Env values saved as references (`"$KEY"`) come
    /// back empty and secret, for the user to fill (they were never written).
    public static func fromTemplate(_ name: String, request r: PodV2CreateRequest, references: [String]) -> CreateFormState {
        var v = FormValues()
        v[.name] = r.name
        v[.image] = r.image
        v[.gpuType] = r.gpuType
        v[.gpuCount] = r.gpuCount.map(String.init) ?? "1"
        v[.regions] = (r.regions ?? []).joined(separator: ", ")
        v[.resourceType] = (r.resourceType ?? "GPU").uppercased()
        v[.imagePublicType] = (r.imagePublicType ?? "PUBLIC").uppercased()
        v[.imageRegistry] = r.imageRegistry ?? ""
        v[.credential] = r.containerRegistryAuthId.map(String.init) ?? ""
        v[.registryUsername] = r.imageRegistryUsername ?? ""
        v[.minVram] = r.minSingleCardVramInGb.map(String.init) ?? ""
        v[.minRam] = r.minSingleCardRamInGb.map(String.init) ?? ""
        v[.minVcpu] = r.minSingleCardVcpu.map(String.init) ?? ""
        v[.shm] = r.shmInGb.map(String.init) ?? ""
        v[.containerVolume] = r.containerVolumeInGb.map(String.init) ?? ""
        v[.persistentVolume] = r.persistentVolumeInGb.map(String.init) ?? ""
        v[.persistentMountPath] = r.persistentMountPath ?? ""
        v[.initCommand] = r.initializationCommand ?? ""
        let refs = Set(references)
        // A key file saved as its path goes back into the SSH key field.
        var vars = r.environmentVars ?? []
        if let i = vars.firstIndex(where: { $0.key == SSHPublicKey.environmentKey }), let path = SSHPublicKey.referencedPath(vars[i].value) {
            v[.sshKey] = path
            vars.remove(at: i)
        }
        v.env = vars.map { item in
            refs.contains(item.key) ? EnvRow(key: item.key, value: "", secret: true) : EnvRow(key: item.key, value: item.value, secret: looksSecret(item.key))
        }
        v.ports = (r.expose ?? []).map { PortRow(port: String($0.port), proto: $0.protocol.uppercased()) }
        v.volumes = (r.persistentVolumes ?? []).map { VolumeRow(volumeID: String($0.volumeId), mountPath: $0.mountPath, backup: $0.needBackup ?? false) }
        var form = CreateFormState(values: v, title: "New pod from \(TextSafety.clean(name))")
        form.initial = FormValues()   // what the template filled counts as typed: Esc asks first
        return form
    }
}
