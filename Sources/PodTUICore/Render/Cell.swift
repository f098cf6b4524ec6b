/// One terminal cell: the text drawn there (one character, possibly with combining marks;
/// empty for the right half of a wide character) and its style.
public struct Cell: Sendable, Hashable {
    public var text: String
    public var style: Style
    public static let blank = Cell(text: " ", style: .plain)
}
