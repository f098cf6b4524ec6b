import ArgumentParser
import FoundationEssentials
import Libc
import PodAPI
import PodFiles
import PodLocal
import PodLocalFiles
import PodTUICore

extension PodsCommand {
    /// `podtui pods create`: flags mirror the official `yotta pods create`.
    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a pod (validated locally before it is sent; never retried).")
        @OptionGroup var connection: ConnectionOptions
        @Option(help: "JSON file with a create request; flags override its fields.") var fromFile: String?
        @Option(help: "A template saved with F3 in the create form; flags override its fields, and a secret it holds as \"$KEY\" is read from the environment variable KEY.") var template: String?
        @Option(help: "Pod name.") var name: String?
        @Option(help: "Container image, e.g. pytorch/pytorch:2.0.0-cuda11.7-cudnn8-runtime.") var image: String?
        @Option(help: "GPU type code, e.g. NVIDIA_RTX_4090_24G (see `podtui gpus list`).") var gpuType: String?
        @Option(help: "GPUs per pod: a power of two.") var gpuCount: Int?
        @Option(name: .customLong("region"), help: "Acceptable region (repeatable).") var regions: [String] = []
        @Option(help: "Command run when the container starts.") var initCmd: String?
        @Option(help: "Container disk in GB.") var containerVolume: Int?
        @Option(help: "New persistent volume size in GB.") var persistentVolume: Int?
        @Option(help: "Where the persistent volume is mounted.") var persistentMountPath: String?
        @Option(help: "Registry URL.") var imageRegistry: String?
        @Option(help: "Id of a stored registry credential (see `podtui credentials list`).") var credentialId: Int64?
        @Option(help: "PUBLIC or PRIVATE.") var imagePublicType: String?
        @Option(help: "GPU or CPU.") var resourceType: String?
        @Option(help: "Minimum VRAM per card, GB.") var minVram: Int?
        @Option(help: "Minimum RAM per card, GB.") var minRam: Int?
        @Option(help: "Minimum vCPUs per card.") var minVcpu: Int?
        @Option(help: "Shared memory, GB.") var shm: Int?
        @Option(name: .customLong("env"), help: "Environment variable KEY=VALUE (repeatable).") var env: [String] = []
        @Option(name: .customLong("expose"), help: "Port to expose, PORT[/HTTP|TCP|SSH] (repeatable).") var expose: [String] = []
        @Option(name: .customLong("volume"), help: "Attach an existing volume, ID:MOUNT_PATH[:backup] (repeatable).") var volumes: [String] = []
        @Option(help: "Your ssh public key file, sent as PUBLIC_KEY (the official images add it to authorized_keys). Default: the first of ~/.ssh/id_ed25519.pub, id_ecdsa.pub, id_rsa.pub.")
        var sshKey: String?
        @Flag(help: "Send no ssh public key.") var noSshKey = false
        @Option(name: [.customShort("o"), .customLong("output")], help: "table, wide or json.") var output: PodsCommand.OutputFormat = .wide

        func buildRequest() throws -> PodV2CreateRequest {
            var request = PodV2CreateRequest(name: "", image: "", gpuType: "")
            if let fromFile {
                guard let data = FileManager.default.contents(atPath: fromFile) else { throw ValidationError("Cannot read \(fromFile)") }
                do { request = try JSONDecoder().decode(PodV2CreateRequest.self, from: data) } catch {
                    throw ValidationError("\(fromFile): \(DecodingReason.describe(error))")
                }
            }
            if let template {
                guard fromFile == nil else { throw ValidationError("Give --template or --from-file, not both") }
                let env = ProcessInfo.processInfo.environment
                let store = TemplateStore(directory: TemplateStore.directory(configDirectory: ConfigFile.directory(environment: env)))
                let (saved, references) = try store.load(template)
                request = saved
                // Secrets were saved as references: the environment fills them, or --env does.
                let overridden = Set(self.env.compactMap { $0.split(separator: "=", maxSplits: 1).first.map(String.init) })
                var missing: [String] = []
                request.environmentVars = request.environmentVars?.map { item in
                    guard references.contains(item.key) else { return item }
                    if let value = env[item.key], !value.isEmpty {
                        Secrets.register(value)
                        return EnvVar(key: item.key, value: value)
                    }
                    if !overridden.contains(item.key) { missing.append(item.key) }
                    return item
                }
                if !missing.isEmpty {
                    throw ValidationError("Template \(template) needs \(missing.joined(separator: ", ")): set \(missing.count == 1 ? "it" : "them") in the environment or pass --env KEY=VALUE")
                }
            }
            if let name { request.name = name }
            if let image { request.image = image }
            if let gpuType { request.gpuType = gpuType }
            if let gpuCount { request.gpuCount = gpuCount }
            if !regions.isEmpty { request.regions = regions }
            if let initCmd { request.initializationCommand = initCmd }
            if let containerVolume { request.containerVolumeInGb = containerVolume }
            if let persistentVolume { request.persistentVolumeInGb = persistentVolume }
            if let persistentMountPath { request.persistentMountPath = persistentMountPath }
            if let imageRegistry { request.imageRegistry = imageRegistry }
            if let credentialId { request.containerRegistryAuthId = credentialId }
            if let imagePublicType { request.imagePublicType = imagePublicType.uppercased() }
            if let resourceType { request.resourceType = resourceType.uppercased() }
            if let minVram { request.minSingleCardVramInGb = minVram }
            if let minRam { request.minSingleCardRamInGb = minRam }
            if let minVcpu { request.minSingleCardVcpu = minVcpu }
            if let shm { request.shmInGb = shm }
            if request.gpuCount == nil && request.isGPU { request.gpuCount = 1 }   // what the yotta CLI sends
            if !env.isEmpty {
                // Each --env replaces that variable of the file or template, or adds it.
                var vars = request.environmentVars ?? []
                for item in env {
                    guard let eq = item.firstIndex(of: "=") else { throw ValidationError("--env \(item): expected KEY=VALUE") }
                    let pair = EnvVar(key: String(item[..<eq]), value: String(item[item.index(after: eq)...]))
                    if let i = vars.firstIndex(where: { $0.key == pair.key }) { vars[i] = pair } else { vars.append(pair) }
                }
                request.environmentVars = vars
            }
            request = try addSSHKey(request)
            if !expose.isEmpty {
                request.expose = try expose.map { item in
                    guard let spec = PortSpec(parsing: item) else { throw ValidationError("--expose \(item): expected PORT or PORT/PROTO") }
                    return spec
                }
            }
            if !volumes.isEmpty {
                request.persistentVolumes = try volumes.map { item in
                    let parts = item.split(separator: ":").map(String.init)
                    guard parts.count >= 2, let id = Int64(parts[0]) else { throw ValidationError("--volume \(item): expected ID:MOUNT_PATH[:backup]") }
                    return VolumeAttachment(volumeId: id, mountPath: parts[1], needBackup: parts.count > 2 ? parts[2] == "backup" : nil)
                }
            }
            let problems = CreateRequestValidator.validate(request)
            if !problems.isEmpty {
                throw ValidationError(problems.map { "\(CreateCommandLine.flag(forField: $0.field)): \($0.message)" }.joined(separator: "; "))
            }
            return request
        }

        /// `PUBLIC_KEY` from `--ssh-key`, a template's `@PATH` reference or the default key
        /// file; `--no-ssh-key` drops the key files (a `--env PUBLIC_KEY=…` stays).
        func addSSHKey(_ request: PodV2CreateRequest) throws -> PodV2CreateRequest {
            let key = SSHPublicKey.environmentKey
            let explicit = env.contains { $0.hasPrefix(key + "=") }
            if sshKey != nil && noSshKey { throw ValidationError("Give --ssh-key or --no-ssh-key, not both") }
            if sshKey != nil && explicit { throw ValidationError("Give --ssh-key or --env \(key)=…, not both") }
            var r = request
            var vars = r.environmentVars ?? []
            if noSshKey {
                vars.removeAll { $0.key == key && SSHPublicKey.referencedPath($0.value) != nil }
            } else if let sshKey {
                let pair = EnvVar(key: key, value: SSHPublicKey.reference(path: sshKey))
                if let i = vars.firstIndex(where: { $0.key == key }) { vars[i] = pair } else { vars.append(pair) }
            } else if !vars.contains(where: { $0.key == key }), let found = PublicKeyFile.defaultPath() {
                vars.append(EnvVar(key: key, value: SSHPublicKey.reference(path: found)))
                CLIOutput.error("sending \(found) as \(key) (--no-ssh-key to send none)")
            }
            r.environmentVars = vars.isEmpty && request.environmentVars == nil ? nil : vars
            return try PublicKeyFile.resolve(r)
        }

        func run() async throws {
            let request = try buildRequest()
            let (service, _) = try connection.makeService()
            guard case .created(let pod) = try await service.createPod(request) else {
                // Success without an id: exit 0 (running it again would make a second pod).
                CLIOutput.error("created \(request.name): the API accepted it but returned no id; see `podtui pods list`")
                if output == .json { CLIOutput.print("null") }
                return
            }
            switch output {
            case .json: CLIOutput.print(try CLIOutput.json(pod))
            case .table: CLIOutput.print(PodTable.render([pod], wide: false, width: CLIOutput.width))
            case .wide: CLIOutput.print(PodTable.describe(pod))
            }
        }
    }
}
