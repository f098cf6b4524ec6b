import FoundationEssentials
import Libc

/// A stored container-registry credential (`GET /v2/container-registry-auths`).
/// The secret itself is never returned by the API.
public struct RegistryCredential: Sendable, Hashable, Codable, Identifiable {
    public var id: Int64
    public var name: String
    /// `DOCKER_HUB`, `GCR`, `ECR`, `ACR` or `PRIVATE`.
    public var type: String?
    /// Sent by some servers; the documented reply leaves it out.
    public var username: String?
    public var createdAt: Date?

    public init(id: Int64, name: String, type: String? = nil, username: String? = nil, createdAt: Date? = nil) {
        self.id = id; self.name = name; self.type = type; self.username = username; self.createdAt = createdAt
    }

    enum CodingKeys: String, CodingKey { case id, name, type, username, createdAt }
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decodeInt64(forKey: .id)
        // A credential without a name is still listed (by id), never dropped.
        name = c.decodeLenientString(forKey: .name) ?? ""
        type = c.decodeLenientString(forKey: .type)
        username = c.decodeLenientString(forKey: .username)
        createdAt = c.decodeTimestamp(forKey: .createdAt)
    }

    /// What to call it in a sentence: its name, or `credential ID` when it has none.
    public var label: String { name.trimmed.isEmpty ? "credential \(id)" : name }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(name, forKey: .name)
        try c.encodeIfPresent(type, forKey: .type)
        try c.encodeIfPresent(username, forKey: .username)
        try c.encodeIfPresent(createdAt.map(Timestamp.iso8601), forKey: .createdAt)
    }
}

extension RegistryCredential {
    /// The registry types the API accepts.
    public static let types = ["DOCKER_HUB", "GCR", "ECR", "ACR", "PRIVATE"]

    /// The documented spelling of a type given in any case (`docker_hub` → `DOCKER_HUB`).
    public static func canonicalType(_ text: String) -> String? {
        let wanted = text.trimmed.uppercased().replacing("-", with: "_")
        return types.first { $0 == wanted }
    }
}

/// A registry password, wrapped so that it cannot be printed by accident (like `APIKey`).
public struct RegistryPassword: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The secret itself; read it only to build the request body.
    public let secret: String
    public init(_ secret: String) { self.secret = secret }
    public var description: String { "<redacted>" }
    public var debugDescription: String { "<redacted>" }
}

/// `POST /v2/container-registry-auths`: every field is required.
public struct CredentialCreateRequest: Sendable, Hashable, Encodable {
    public var name: String
    public var type: String
    public var username: String
    public var password: RegistryPassword

    public init(name: String, type: String, username: String, password: RegistryPassword) {
        self.name = name; self.type = type; self.username = username; self.password = password
    }

    enum CodingKeys: String, CodingKey { case name, type, username, password }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(type, forKey: .type)
        try c.encode(username, forKey: .username)
        try c.encode(password.secret, forKey: .password)
    }

    /// Every problem, in field order; empty when it may be sent.
    public func problems() -> [FieldError] {
        var errors = CredentialRules.validate(name: name)
        if RegistryCredential.canonicalType(type) == nil {
            errors.append(FieldError(field: "type", message: "must be one of \(RegistryCredential.types.joined(separator: ", ")) (got \"\(type)\")"))
        }
        if username.trimmed.isEmpty { errors.append(FieldError(field: "username", message: "is required")) }
        if password.secret.isEmpty { errors.append(FieldError(field: "password", message: "is required")) }
        return errors
    }
}

/// `PATCH /v2/container-registry-auths/{id}`: only the fields given are sent.
public struct CredentialUpdateRequest: Sendable, Hashable, Encodable {
    public var name: String?
    public var username: String?
    public var password: RegistryPassword?

    public init(name: String? = nil, username: String? = nil, password: RegistryPassword? = nil) {
        self.name = name; self.username = username; self.password = password
    }

    /// True when there is nothing to send.
    public var isEmpty: Bool { name == nil && username == nil && password == nil }

    enum CodingKeys: String, CodingKey { case name, username, password }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(name, forKey: .name)
        try c.encodeIfPresent(username, forKey: .username)
        try c.encodeIfPresent(password?.secret, forKey: .password)
    }

    /// Every problem; empty when it may be sent.
    public func problems() -> [FieldError] {
        var errors: [FieldError] = []
        if isEmpty { errors.append(FieldError(field: "update", message: "nothing to change: give a name, a username or a password")) }
        if let name { errors += CredentialRules.validate(name: name) }
        if let username, username.trimmed.isEmpty { errors.append(FieldError(field: "username", message: "must not be empty")) }
        if let password, password.secret.isEmpty { errors.append(FieldError(field: "password", message: "must not be empty")) }
        return errors
    }
}

/// Rules for credential fields, checked before anything is sent.
public enum CredentialRules {
    public static func validate(name: String) -> [FieldError] {
        VolumeRules.validate(name: name)
    }
}
