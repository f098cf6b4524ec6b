import FoundationEssentials
import PodAPI

/// A pod's fields lower-cased once, for filtering and sorting without allocating.
public struct PodSearchKeys: Sendable, Equatable {
    public let name, image, gpu, region, status, id: String
    /// Every field, separated by a character no word contains (so words never match across fields).
    public let all: String

    public init(_ pod: Pod) {
        // A pod without a name is found by "unnamed", as the list shows it.
        name = pod.isUnnamed ? "(unnamed)" : pod.nameOrEmpty.lowercased()
        image = (pod.image ?? "").lowercased()
        gpu = ((pod.gpuType ?? "") + " " + pod.gpuName).lowercased()
        region = (pod.region ?? "").lowercased()
        status = pod.status.wireName.lowercased()
        id = String(pod.id)
        all = [name, image, gpu, region, status, id].joined(separator: "\u{1}")
    }

    public subscript(_ field: PodFilter.Field) -> String {
        switch field {
        case .name: name
        case .image: image
        case .gpu: gpu
        case .region: region
        case .status: status
        case .id: id
        }
    }
}
