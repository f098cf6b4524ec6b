/// The pod shown in the raw view (`y`): its JSON as the API sent it, once it has come.
public struct RawPodState: Sendable, Equatable {
    public var podID: Int64
    /// The pod's name or id, for the title.
    public var label: String
    /// The `data` of `GET /v2/pods/{id}`, parsed only to be indented; nil while loading.
    public var json: RawJSON?
    /// Why it could not be shown (the request failed, or the reply was not JSON).
    public var error: String?

    public init(podID: Int64, label: String) { self.podID = podID; self.label = label }
}
