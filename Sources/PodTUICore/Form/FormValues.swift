import PodAPI

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
