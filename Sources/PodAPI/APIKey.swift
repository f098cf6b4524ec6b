/// The API key, wrapped so that it cannot be printed by accident: `description`,
/// `debugDescription` and string interpolation all show `<redacted>`.
public struct APIKey: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The secret itself. Read it only to build the `X-Api-Key` header.
    public let secret: String

    public init(_ secret: String) { self.secret = secret }

    public var description: String { "<redacted>" }
    public var debugDescription: String { "<redacted>" }
    /// True when no key was given.
    public var isEmpty: Bool { secret.isEmpty }
}
