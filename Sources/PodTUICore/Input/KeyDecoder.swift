/// Maps a character from the terminal to a `Key` (control characters to their names).
public enum KeyDecoder {
    public static func key(forScalar value: UInt32) -> Key {
        switch value {
        case 9: return .tab
        case 10, 13: return .enter
        case 27: return .escape
        case 8, 127: return .backspace
        case 0: return .ctrl("@")
        case 1...26:
            return .ctrl(Character(Unicode.Scalar(UInt8(value) + 96)))
        case 28...31: return .unknown(Int(value))
        default:
            guard let scalar = Unicode.Scalar(value) else { return .unknown(Int(value)) }
            if TextSafety.isUnsafe(scalar) { return .unknown(Int(value)) }
            return .char(Character(scalar))
        }
    }
}
