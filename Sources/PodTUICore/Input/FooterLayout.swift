/// Where each footer item goes at a width: shared by the footer view (drawing) and the
/// reducer (a click on an item runs its command).
enum FooterLayout {
    struct Placed: Sendable, Equatable {
        var item: FooterItem
        /// First and last column of " key label ".
        var columns: ClosedRange<Int>
    }

    /// The items that fit in `width` columns, left to right. When they do not all fit, the
    /// ones just before the last two go first (help and quit matter most).
    static func place(_ items: [FooterItem], width: Int) -> [Placed] {
        var shown = items
        func used(_ list: [FooterItem]) -> Int { list.reduce(0) { $0 + DisplayWidth.of($1.key) + DisplayWidth.of($1.label) + 3 } }
        while used(shown) > width, shown.count > 3 { shown.remove(at: shown.count - 3) }
        var x = 0
        var placed: [Placed] = []
        for item in shown {
            guard x < width else { break }
            let w = DisplayWidth.of(item.key) + DisplayWidth.of(item.label) + 3
            placed.append(Placed(item: item, columns: x...(x + w - 1)))
            x += w
        }
        return placed
    }
}
