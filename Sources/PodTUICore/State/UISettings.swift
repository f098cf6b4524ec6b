import FoundationEssentials
import PodAPI

/// How this run is set up: the connection shown, the settings from flags and the config
/// file, and the two things render takes from the process (secrets to hide, the time zone).
public struct UISettings: Sendable {
    /// Shown in the header: the API host, or "demo simulator".
    public var endpoint: String
    /// Poll interval when nothing is changing, in seconds.
    public var interval: Double
    /// Poll interval while the terminal is not focused (`unfocused_interval`), in seconds;
    /// 0: no slowdown. Only terminals that send focus events (mode 1004) ever report it.
    public var unfocusedInterval = UISettings.defaultUnfocusedInterval
    /// `unfocused_interval` when the config file does not set it.
    public static let defaultUnfocusedInterval = 30.0
    /// Refuse create, pause, resume and delete locally.
    public var readOnly: Bool
    /// Pause timers can be kept (the runtime has a state directory).
    public var timersEnabled = false
    /// Create-form templates can be kept (the runtime has a config directory).
    public var templatesEnabled = false
    /// `budget_per_hour` / `:budget`: the burn rate to warn above, in $/h.
    public var budgetPerHour: Double?
    /// GPU probing: on or off (`gpu_probe`, `--gpu-probe`, `:probe`), its interval and what
    /// counts as idle.
    public var probe = ProbeSettings()
    /// The runtime can run probes (it has a probe runner); false in tests and without ssh.
    public var probesAvailable = false
    /// API metrics: on or off (`metrics`, `--no-metrics`, `:metrics`), the request budget
    /// and the detail pane's window.
    public var metrics = MetricsSettings()
    /// The runtime asks the metrics API (it has a service to ask); false in tests that do not
    /// model it, so their screens stay as they were.
    public var metricsAvailable = false
    /// The user's public key file as the form shows it (`~/.ssh/id_ed25519.pub`), offered
    /// as "add my ssh key" when the create form opens; nil when there is none.
    public var defaultSSHKey: String?
    /// The list columns to show, in order (by title; empty means the default set).
    public var columns: [String] = []
    /// Keys the settings give commands (replacing the defaults).
    public var keymap: [Command: [Key]] = [:]
    /// Ring the bell and send a desktop notification on RUNNING / FAILED / gone.
    public var notifications = false
    /// Web addresses are OSC 8 hyperlinks (off with `hyperlinks = false`, and on the Linux
    /// console and dumb terminals).
    public var hyperlinks = true
    /// A local display is there (`$DISPLAY`, `$WAYLAND_DISPLAY`, macOS): `o` opens a browser;
    /// without one (over SSH) it copies the URL instead.
    public var hasDisplay = false
    /// Profile names from the config file (`:profile` completion).
    public var profiles: [String] = []
    /// Secrets to blank out of anything drawn (server messages can echo what was sent).
    /// Views read only this, never a process-wide registry.
    public var redactor = Redactor()
    /// The zone dates and times are shown in (the runtime sets the user's; tests pin one).
    public var timeZone = ZoneOffsets.utc

    public init(endpoint: String, interval: Double, readOnly: Bool) {
        self.endpoint = endpoint
        self.interval = interval
        self.readOnly = readOnly
    }
}
