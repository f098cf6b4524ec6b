/// The first line shown in the detail pane or a scrolling view (`:gpus`, `:events`, the raw
/// view). Only the view knows how many lines it has, so "the last page" is a case of its
/// own, resolved when it is drawn (`first(maxScroll:)`).
public enum ScrollOffset: Sendable, Hashable {
    /// This many lines scrolled off the top (never negative).
    case line(Int)
    /// The last page, wherever it is when drawn: `G`, and `:events` (newest at the bottom).
    case end

    /// The top of the text.
    public static let top = ScrollOffset.line(0)

    /// The first line to draw, when at most `maxScroll` lines can be scrolled off.
    public func first(maxScroll: Int) -> Int {
        switch self {
        case .line(let n): max(0, min(n, maxScroll))
        case .end: max(0, maxScroll)
        }
    }

    /// Moved by `delta` lines, never above the top; the view clamps the far end. From the
    /// end it stays at the end: how far up that is depends on the text, which only the
    /// view knows.
    public func moved(by delta: Int) -> ScrollOffset {
        switch self {
        case .line(let n):
            let (sum, overflow) = n.addingReportingOverflow(delta)
            return .line(overflow ? (delta > 0 ? Int.max : 0) : max(0, sum))
        case .end:
            return .end
        }
    }
}
