/// Where the user is: the selection and scrolling, the pane, the view, what is open on top.
public struct Navigation: Sendable {
    public var selectedID: Int64?
    /// First visible list row.
    public var scrollTop = 0
    /// First visible line of the detail pane or a view.
    public var detailScroll = ScrollOffset.top
    public var focus: Focus = .list
    /// A box over the panes (help, a confirmation).
    public var overlay: Overlay?
    /// Which main view is showing.
    public var view: MainView = .pods
    /// The bottom input line while `/` or `:` is being typed.
    public var input: InputLine?
    /// Env values shown in the detail pane.
    public var revealEnv = false
    /// The detail pane shows only the selected pod's metrics, full screen (`M`, `:metrics`).
    public var metricsOnly = false
    /// Visible rows of the list, set from the terminal size so paging knows a page.
    public var pageSize = 20
    /// The terminal size the loop last reported (mouse hit-testing).
    public var screenSize = Size(width: 80, height: 24)

    public init() {}
}
