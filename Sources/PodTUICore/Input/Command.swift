import FoundationEssentials
import PodAPI

/// What a key asks for; the bindings table says which key asks for which command in which
/// mode, and the reducers carry commands out. The raw values are the names `[keys]` in the
/// config file uses.
public enum Command: String, Sendable, Hashable, CaseIterable {
    // The list and the detail pane.
    case moveUp, moveDown, pageUp, pageDown, first, last
    case openDetail, back
    case pause, resume, delete
    case revealEnv
    /// The detail pane's charts: a wider or narrower window; every metric full screen.
    case widerWindow, narrowerWindow, metricsView
    case newPod, clonePod
    case filter, clearFilter, command, mark, markAll, clearMarks, ssh, copySSH
    /// Open the pod's web endpoint (or copy its URL where there is no display).
    case openURL
    /// The pod's JSON as the API sent it.
    case rawView
    /// Copy what the raw view shows.
    case copyJSON
    case sortName, sortStatus, sortGPU, sortCount, sortRegion, sortAge, sortPrice, sortCost, sortID
    case help, quit
    // Boxes and prompts.
    /// Close the help box or the form's command line.
    case close
    /// Yes: delete, go ahead, discard.
    case confirm
    /// No: keep things as they were.
    case cancel
    /// Press the focused button.
    case choose
    /// Move between the buttons.
    case switchButton
    // The `/` and `:` lines.
    case acceptLine, cancelLine, closeLine, complete
    // The create form.
    case submit, nextField, previousField, jumpDown, jumpUp, removeRow, showCommandLine, reload
    /// Enter on the focused item: open its list, press the button, or go to the next field.
    case activate
    /// Space or an arrow on a choice, checkbox or protocol.
    case change
    /// The focused text field's own editing keys (arrows, Home/End, ^A ^E, ^U ^K ^W, BS/Del).
    case editText
    // Lists in the form.
    case toggle
    // `:volumes` and `:credentials`.
    /// Create a volume or credential.
    case newItem
    /// Rename a volume, change a credential.
    case rename
    /// Grow a volume.
    case resize
    // Pause timers.
    /// "Pause in…" for the selected or marked RUNNING pods.
    case pauseTimer
    /// The `:timers` view.
    case timersView
    /// Cancel the selected timer.
    case cancelTimer
    /// Save the create form as a template.
    case saveTemplate
    // Port-forwards and plugins.
    /// `F`: forward a port of the selected RUNNING pod.
    case forward
    /// Stop the selected forward in `:forwards`.
    case stopForward
    /// A user's plugin: the key pressed says which (`PluginState.plugin(for:in:readOnly:)`).
    case plugin
}

extension Command {
    /// The column a sort command sorts by.
    var sortColumn: SortColumn? {
        switch self {
        case .sortName: .name
        case .sortStatus: .status
        case .sortGPU: .gpu
        case .sortCount: .count
        case .sortRegion: .region
        case .sortAge: .age
        case .sortPrice: .price
        case .sortCost: .cost
        case .sortID: .id
        default: nil
        }
    }
}
