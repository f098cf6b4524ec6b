import FoundationEssentials
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A stored container-registry credential (`GET /v2/container-registry-auths`).
/// The secret itself is never returned by the API.
public struct RegistryCredential: Sendable, Hashable, Codable, Identifiable {
    public var id: Int64
    public var name: String
    /// `DOCKER_HUB`, `GCR`, `ECR`, `ACR` or `PRIVATE`.
    public var type: String?
    public var createdAt: Date?

    public init(id: Int64, name: String, type: String? = nil, createdAt: Date? = nil) {
        self.id = id; self.name = name; self.type = type; self.createdAt = createdAt
    }

    enum CodingKeys: String, CodingKey { case id, name, type, createdAt }
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decodeInt64(forKey: .id)
        name = try c.decode(String.self, forKey: .name)
        type = c.decodeLenientString(forKey: .type)
        createdAt = c.decodeTimestamp(forKey: .createdAt)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(name, forKey: .name)
        try c.encodeIfPresent(type, forKey: .type)
        try c.encodeIfPresent(createdAt.map(Timestamp.iso8601), forKey: .createdAt)
    }
}
