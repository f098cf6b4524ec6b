import PodAPI

/// A single-valued field of the create form, in the order the form shows them.
public enum FormField: String, Sendable, Hashable, CaseIterable {
    // Basics
    case name, image, gpuType, gpuCount, regions, resourceType
    // Resources (per card)
    case minVram, minRam, minVcpu, shm, containerVolume
    // Image access
    case imagePublicType, imageRegistry, credential, registryUsername, registryPassword
    // Start-up
    case initCommand
    // Storage
    case persistentVolume, persistentMountPath
    // SSH
    case sshKey

    /// How the field takes input.
    public enum Kind: Sendable, Equatable {
        /// Free text.
        case text
        /// Free text, shown masked.
        case secret
        /// A whole number; empty means "server default".
        case number
        /// Text with a list to choose from (fed by the API, or fixed), opened with Enter.
        case picker
        /// One of a few fixed values, changed with Space or ←/→.
        case cycle([String])
    }

    public var kind: Kind {
        switch self {
        case .name, .image, .imageRegistry, .registryUsername, .initCommand, .persistentMountPath, .sshKey: .text
        case .registryPassword: .secret
        case .minVram, .minRam, .minVcpu, .shm, .containerVolume, .persistentVolume: .number
        case .gpuType, .gpuCount, .regions, .credential: .picker
        case .resourceType: .cycle(["GPU", "CPU"])
        case .imagePublicType: .cycle(["PUBLIC", "PRIVATE"])
        }
    }

    /// The label shown left of the value.
    public var label: String {
        switch self {
        case .name: "Name"
        case .image: "Image"
        case .gpuType: "GPU type"
        case .gpuCount: "GPU count"
        case .regions: "Regions"
        case .resourceType: "Resource type"
        case .minVram: "Min VRAM/card GB"
        case .minRam: "Min RAM/card GB"
        case .minVcpu: "Min vCPU/card"
        case .shm: "Shared memory GB"
        case .containerVolume: "Container disk GB"
        case .imagePublicType: "Image visibility"
        case .imageRegistry: "Image registry"
        case .credential: "Registry credential"
        case .registryUsername: "Registry user"
        case .registryPassword: "Registry password"
        case .initCommand: "Init command"
        case .persistentVolume: "New volume GB"
        case .persistentMountPath: "Volume mount path"
        case .sshKey: "SSH public key"
        }
    }

    /// Shown dimmed in an empty field.
    public var placeholder: String {
        switch self {
        case .name: "required, e.g. llama-finetune"
        case .image: "required, e.g. pytorch/pytorch:2.4.0-cuda12.1-cudnn9-runtime"
        case .gpuType: "required: ↵ to choose"
        case .gpuCount: "1, 2, 4, 8…"
        case .regions: "any: ↵ to choose"
        case .credential: "none: ↵ to choose"
        case .registryUsername, .registryPassword: "deprecated: prefer a credential"
        case .imageRegistry: "default: Docker Hub"
        case .initCommand: "none"
        case .persistentMountPath: "e.g. /workspace"
        case .sshKey: "none: a .pub file, sent as PUBLIC_KEY"
        default: "server default"
        }
    }

    /// The request field it sets (the name the validator and the server use).
    public var wireName: String {
        switch self {
        case .name: "name"
        case .image: "image"
        case .gpuType: "gpuType"
        case .gpuCount: "gpuCount"
        case .regions: "regions"
        case .resourceType: "resourceType"
        case .minVram: "minSingleCardVramInGb"
        case .minRam: "minSingleCardRamInGb"
        case .minVcpu: "minSingleCardVcpu"
        case .shm: "shmInGb"
        case .containerVolume: "containerVolumeInGb"
        case .imagePublicType: "imagePublicType"
        case .imageRegistry: "imageRegistry"
        case .credential: "containerRegistryAuthId"
        case .registryUsername: "imageRegistryUsername"
        case .registryPassword: "imageRegistryPassword"
        case .initCommand: "initializationCommand"
        case .persistentVolume: "persistentVolumeInGb"
        case .persistentMountPath: "persistentMountPath"
        // Not a request field of its own: it becomes the PUBLIC_KEY variable.
        case .sshKey: "sshKey"
        }
    }
}
