import PodAPI

/// The GPU counts offered.
public let gpuCountChoices = [1, 2, 4, 8]

extension Catalog {
    /// The choices for a picker over any form item: a picker field, or a volume row's id.
    public func choices(for item: FormItem, values: FormValues) -> Result<[PickerChoice], PickerUnavailable> {
        switch item {
        case .field(let field): return choices(for: field, values: values)
        case .volumeID: return volumeChoices(values: values)
        default: return .failure(PickerUnavailable(reason: "not a list"))
        }
    }

    /// Volumes to attach: name, type, region, size and mounts; those outside the regions
    /// the form asks for are marked (the server refuses them there).
    func volumeChoices(values: FormValues) -> Result<[PickerChoice], PickerUnavailable> {
        switch volumes {
        case .loaded(let list):
            let regions = Set(values.regionList)
            return .success(list.map { volume in
                let outside = !regions.isEmpty && volume.kind?.hasSize == true && volume.region.map { !regions.contains($0) } == true
                return PickerChoice(value: String(volume.id), label: volume.label,
                                    detail: outside ? "⚠ " + VolumeText.summary(volume) + " · outside the chosen regions"
                                                  : VolumeText.summary(volume) + " · id \(volume.id)",
                                    enabled: true)
            })
        case .failed(let why): return .failure(PickerUnavailable(reason: why))
        case .loading, .notLoaded: return .failure(PickerUnavailable(reason: "loading…"))
        }
    }

    /// The choices for a picker field given the form's values, or why there are none.
    public func choices(for field: FormField, values: FormValues) -> Result<[PickerChoice], PickerUnavailable> {
        switch field {
        case .gpuType:
            switch gpuTypes {
            case .loaded(let types):
                return .success(types.map { type in
                    let available = type.availableRegions.map(\.region)
                    let vram = type.vramGB.map { "\($0) GB · " } ?? ""
                    return PickerChoice(value: type.gpuType, label: type.displayName,
                                        detail: vram + (available.isEmpty ? "sold out" : available.joined(separator: ", ")),
                                        enabled: !available.isEmpty)
                })
            case .failed(let why): return .failure(PickerUnavailable(reason: why))
            case .loading, .notLoaded: return .failure(PickerUnavailable(reason: "loading…"))
            }
        case .regions:
            switch gpuTypes {
            case .loaded(let types):
                let code = values[.gpuType].trimmed
                if let type = types.first(where: { $0.gpuType == code }) {
                    return .success(type.regions.map {
                        PickerChoice(value: $0.region, label: $0.region,
                                     detail: ($0.regionName ?? "") + ($0.available ? "" : " · sold out"), enabled: $0.available)
                    })
                }
                // No GPU chosen yet: every region where something is available.
                var seen: [String: String] = [:]
                for type in types { for r in type.availableRegions where seen[r.region] == nil { seen[r.region] = r.regionName ?? "" } }
                return .success(seen.keys.sorted().map { PickerChoice(value: $0, label: $0, detail: seen[$0] ?? "", enabled: true) })
            case .failed(let why): return .failure(PickerUnavailable(reason: why))
            case .loading, .notLoaded: return .failure(PickerUnavailable(reason: "loading…"))
            }
        case .credential:
            switch credentials {
            case .loaded(let list):
                return .success([PickerChoice(value: "", label: "none", detail: "public image or username/password", enabled: true)]
                    + list.map { PickerChoice(value: String($0.id), label: $0.label, detail: "\($0.type ?? "") · id \($0.id)", enabled: true) }
                    + [PickerChoice(value: "", label: "+ new credential…", detail: "store one now (the password is masked)", enabled: true,
                                    kind: .newCredential)])
            case .failed(let why): return .failure(PickerUnavailable(reason: why))
            case .loading, .notLoaded: return .failure(PickerUnavailable(reason: "loading…"))
            }
        case .gpuCount:
            return .success(gpuCountChoices.map { PickerChoice(value: String($0), label: String($0), detail: $0 == 1 ? "GPU" : "GPUs", enabled: true) })
        default:
            return .failure(PickerUnavailable(reason: "not a list"))
        }
    }
}
