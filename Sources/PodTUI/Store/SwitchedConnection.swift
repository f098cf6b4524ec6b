import PodTUICore
import FoundationEssentials
import Libc
import Logging
import PodAPI

/// Resolves a config profile to a connection (`:profile NAME`).
public typealias ProfileSwitcher = @Sendable (String) throws -> SwitchedConnection

/// What `:profile` switches to.
public struct SwitchedConnection: Sendable {
    public var service: any PodService
    public var endpoint: String
    public var readOnly: Bool
    public init(service: any PodService, endpoint: String, readOnly: Bool) {
        self.service = service; self.endpoint = endpoint; self.readOnly = readOnly
    }
}
