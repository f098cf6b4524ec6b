import PodAPI

/// The groups the form shows, each with its fields and row lists.
public enum FormSection: String, Sendable, CaseIterable {
    case basics = "Basics"
    case resources = "Resources"
    case imageAccess = "Image access"
    case startup = "Start-up"
    case storage = "Storage"
    case ssh = "SSH"

    public var fields: [FormField] {
        switch self {
        case .basics: [.name, .image, .gpuType, .gpuCount, .regions, .resourceType]
        case .resources: [.minVram, .minRam, .minVcpu, .shm, .containerVolume]
        case .imageAccess: [.imagePublicType, .imageRegistry, .credential, .registryUsername, .registryPassword]
        case .startup: [.initCommand]
        case .storage: [.persistentVolume, .persistentMountPath]
        // Last, so the Tab order of every field before it is as it was.
        case .ssh: [.sshKey]
        }
    }
}
