/// How a cell is drawn.
public struct Style: Sendable, Hashable {
    public var color: ColorRole = .normal
    public var bold = false
    public var reverse = false
    public var dim = false
    public var underline = false

    public init(color: ColorRole = .normal, bold: Bool = false, reverse: Bool = false, dim: Bool = false, underline: Bool = false) {
        self.color = color; self.bold = bold; self.reverse = reverse; self.dim = dim; self.underline = underline
    }

    public static let plain = Style()
}
