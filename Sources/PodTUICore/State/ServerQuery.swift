import FoundationEssentials
import PodAPI

/// What the list request asks the server to filter by.
public struct ServerQuery: Sendable, Hashable {
    public var regions: [String]
    public var statuses: [PodStatus]
    public init(regions: [String] = [], statuses: [PodStatus] = []) { self.regions = regions; self.statuses = statuses }
    public var isEmpty: Bool { regions.isEmpty && statuses.isEmpty }
}
