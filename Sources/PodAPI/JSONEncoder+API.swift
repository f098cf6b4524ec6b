import FoundationEssentials

extension JSONEncoder {
    /// The encoder for request bodies: stable key order so bodies are predictable in tests.
    public static var api: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
