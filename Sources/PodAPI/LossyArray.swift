/// An array decoded element by element: an element that fails to decode is skipped and its
/// error kept, so one malformed pod in a list never loses the others.
public struct LossyArray<Element: Decodable & Sendable>: Decodable, Sendable {
    /// The elements that decoded.
    public var elements: [Element]
    /// One entry per element that did not decode: its index and why.
    public var failures: [ElementFailure]

    /// Why one element of a list was skipped.
    public struct ElementFailure: Sendable, Hashable {
        public var index: Int
        public var reason: String
    }

    public init(from decoder: any Decoder) throws {
        var container = try decoder.unkeyedContainer()
        var elements: [Element] = []
        var failures: [ElementFailure] = []
        if let count = container.count { elements.reserveCapacity(count) }
        while !container.isAtEnd {
            let index = container.currentIndex
            do {
                elements.append(try container.decode(Element.self))
            } catch {
                failures.append(ElementFailure(index: index, reason: DecodingReason.describe(error)))
                // Step over the bad element so the next one can be read; stop rather than
                // spin if the container cannot move on.
                _ = try? container.decode(Skip.self)
                if container.currentIndex == index { break }
            }
        }
        self.elements = elements
        self.failures = failures
    }

    /// Accepts any JSON value without reading it.
    private struct Skip: Decodable { init(from decoder: any Decoder) {} }
}

/// Turns a `DecodingError` into one short sentence naming the field.
public enum DecodingReason {
    public static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        func path(_ p: [any CodingKey]) -> String {
            p.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let ctx):
            let at = path(ctx.codingPath)
            return "missing field \(at.isEmpty ? "" : at + ".")\(key.stringValue)"
        case .typeMismatch(let type, let ctx):
            return "field \(path(ctx.codingPath)) is not a \(type)"
        case .valueNotFound(_, let ctx):
            return "field \(path(ctx.codingPath)) is null"
        case .dataCorrupted(let ctx):
            let at = path(ctx.codingPath)
            return at.isEmpty ? "malformed JSON" : "field \(at): \(ctx.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }
}
