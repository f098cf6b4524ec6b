import PodAPI

/// Something in the form that can have focus.
public enum FormItem: Sendable, Hashable {
    case field(FormField)
    case envKey(Int), envValue(Int), envSecret(Int)
    case portNumber(Int), portProtocol(Int)
    case volumeID(Int), volumeMount(Int), volumeBackup(Int)
    case addEnv, addPort, addVolume
    case submit, cancel

    /// The row index for row cells.
    public var row: Int? {
        switch self {
        case .envKey(let i), .envValue(let i), .envSecret(let i), .portNumber(let i), .portProtocol(let i),
             .volumeID(let i), .volumeMount(let i), .volumeBackup(let i): i
        default: nil
        }
    }

    /// True for cells that hold free text (edited with the line editor).
    public var isText: Bool {
        switch self {
        case .field(let f):
            switch f.kind {
            case .text, .secret, .number, .picker: true
            case .cycle: false
            }
        case .envKey, .envValue, .portNumber, .volumeID, .volumeMount: true
        default: false
        }
    }
}
