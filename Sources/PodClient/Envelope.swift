import FoundationEssentials
import PodAPI

/// `code` and `message` of the envelope, readable whatever `data` holds.
struct EnvelopeHeader: Decodable {
    var code: Int?
    var message: String?
    enum CodingKeys: String, CodingKey { case code, message }
    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        code = c.decodeLenientInt(forKey: .code)
        message = c.decodeLenientString(forKey: .message)
    }
}

/// Code, message and a typed `data` in one parse.
struct FullEnvelope<T: Decodable>: Decodable {
    var code: Int?
    var data: T?
    enum CodingKeys: String, CodingKey { case code, data }
    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        code = c.decodeLenientInt(forKey: .code)
        data = try c.decodeIfPresent(T.self, forKey: .data)
    }
}

/// The `data` of a create reply: the pod, a bare id (number or digit string), or nothing.
enum CreatedData: Decodable {
    case pod(Pod)
    case id(Int64)
    case noID

    init(from decoder: any Decoder) throws {
        let single = try decoder.singleValueContainer()
        if let id = try? single.decode(Int64.self) { self = .id(id); return }
        if let text = try? single.decode(String.self) {
            self = PodID.parse(text).map(CreatedData.id) ?? .noID
            return
        }
        self = (try? Pod(from: decoder)).map(CreatedData.pod) ?? .noID
    }
}

/// The whole envelope with a typed `data`.
struct Envelope<T: Decodable>: Decodable {
    var data: T
}
