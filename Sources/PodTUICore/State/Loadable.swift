import PodAPI

/// Something fetched from the API for the form's pickers.
public enum Loadable<Value: Sendable & Equatable>: Sendable, Equatable {
    case notLoaded
    case loading
    case loaded(Value)
    /// The request failed; the text says why, in words.
    case failed(String)

    /// The value, when loaded.
    public var value: Value? { if case .loaded(let v) = self { v } else { nil } }
}
