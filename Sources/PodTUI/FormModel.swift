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
        case .name, .image, .imageRegistry, .registryUsername, .initCommand, .persistentMountPath: .text
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
        }
    }
}

/// The groups the form shows, each with its fields and row lists.
public enum FormSection: String, Sendable, CaseIterable {
    case basics = "Basics"
    case resources = "Resources"
    case imageAccess = "Image access"
    case startup = "Start-up"
    case storage = "Storage"

    public var fields: [FormField] {
        switch self {
        case .basics: [.name, .image, .gpuType, .gpuCount, .regions, .resourceType]
        case .resources: [.minVram, .minRam, .minVcpu, .shm, .containerVolume]
        case .imageAccess: [.imagePublicType, .imageRegistry, .credential, .registryUsername, .registryPassword]
        case .startup: [.initCommand]
        case .storage: [.persistentVolume, .persistentMountPath]
        }
    }
}

/// One environment variable row. `secret` masks the value on screen and in the command line.
public struct EnvRow: Sendable, Hashable {
    public var key: String
    public var value: String
    public var secret: Bool
    public init(key: String = "", value: String = "", secret: Bool = false) { self.key = key; self.value = value; self.secret = secret }
}

/// One exposed port row.
public struct PortRow: Sendable, Hashable {
    public var port: String
    public var proto: String
    public init(port: String = "", proto: String = "TCP") { self.port = port; self.proto = proto }
}

/// One existing persistent volume to attach.
public struct VolumeRow: Sendable, Hashable {
    public var volumeID: String
    public var mountPath: String
    public var backup: Bool
    public init(volumeID: String = "", mountPath: String = "", backup: Bool = false) {
        self.volumeID = volumeID; self.mountPath = mountPath; self.backup = backup
    }
}

/// Something in the form that can have focus.
public enum FormItem: Sendable, Hashable {
    case field(FormField)
    case envKey(Int), envValue(Int), envSecret(Int)
    case portNumber(Int), portProtocol(Int)
    case volumeID(Int), volumeMount(Int), volumeBackup(Int)
    case addEnv, addPort, addVolume
    case submit, cancel

    /// The row index for row cells.
    public var row: Int? {
        switch self {
        case .envKey(let i), .envValue(let i), .envSecret(let i), .portNumber(let i), .portProtocol(let i),
             .volumeID(let i), .volumeMount(let i), .volumeBackup(let i): i
        default: nil
        }
    }

    /// True for cells that hold free text (edited with the line editor).
    public var isText: Bool {
        switch self {
        case .field(let f):
            switch f.kind {
            case .text, .secret, .number, .picker: true
            case .cycle: false
            }
        case .envKey, .envValue, .portNumber, .volumeID, .volumeMount: true
        default: false
        }
    }
}

/// Every value the user can set: plain strings as typed, so nothing typed is ever lost to
/// parsing. `CreateFormState.build` turns them into a request.
public struct FormValues: Sendable, Hashable {
    public var fields: [FormField: String]
    public var env: [EnvRow] = []
    public var ports: [PortRow] = []
    public var volumes: [VolumeRow] = []

    /// An empty form: GPU resource, public image, one GPU.
    public init() {
        var fields: [FormField: String] = [:]
        for field in FormField.allCases { fields[field] = "" }
        fields[.gpuCount] = "1"
        fields[.resourceType] = "GPU"
        fields[.imagePublicType] = "PUBLIC"
        self.fields = fields
    }

    public subscript(_ field: FormField) -> String {
        get { fields[field] ?? "" }
        set { fields[field] = newValue }
    }

    /// The text of a text cell.
    public func text(_ item: FormItem) -> String? {
        switch item {
        case .field(let f): return self[f]
        case .envKey(let i): return env.indices.contains(i) ? env[i].key : nil
        case .envValue(let i): return env.indices.contains(i) ? env[i].value : nil
        case .portNumber(let i): return ports.indices.contains(i) ? ports[i].port : nil
        case .volumeID(let i): return volumes.indices.contains(i) ? volumes[i].volumeID : nil
        case .volumeMount(let i): return volumes.indices.contains(i) ? volumes[i].mountPath : nil
        default: return nil
        }
    }

    /// Sets the text of a text cell (ignored for other items).
    public mutating func setText(_ item: FormItem, _ text: String) {
        switch item {
        case .field(let f): self[f] = text
        case .envKey(let i) where env.indices.contains(i): env[i].key = text
        case .envValue(let i) where env.indices.contains(i): env[i].value = text
        case .portNumber(let i) where ports.indices.contains(i): ports[i].port = text
        case .volumeID(let i) where volumes.indices.contains(i): volumes[i].volumeID = text
        case .volumeMount(let i) where volumes.indices.contains(i): volumes[i].mountPath = text
        default: break
        }
    }

    /// The regions field as a list: comma- or space-separated, blanks dropped.
    public var regionList: [String] {
        self[.regions].split(whereSeparator: { $0 == "," || $0 == " " }).map(String.init)
    }
}
