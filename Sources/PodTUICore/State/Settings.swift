import PodAPI

/// The UI settings of `config.yaml` (`ui:`, `keys:` and `plugins:`). Every problem is reported with
/// its line and field, and the setting keeps its default: a bad setting never stops podtui.
///
/// ```yaml
/// ui:
///   interval: 5                 # seconds between polls (minimum 1)
///   unfocused_interval: 30      # seconds between polls while the terminal is unfocused (0 or off: no slowdown)
///   columns: [STATUS, GPU, AGE, $/H, COST]
///   theme: high-contrast        # auto, dark, light, high-contrast or mono
///   notifications: true         # bell + desktop notification on RUNNING/FAILED/gone
///   mouse: false
///   hyperlinks: false           # web addresses as OSC 8 links (on by default)
///   budget_per_hour: 40         # warn when the burn rate goes over
///   gpu_probe: true             # GPU use of RUNNING pods through your ssh (off by default)
///   gpu_probe_interval: 30      # seconds between probes of a pod (at least 5)
///   gpu_idle_percent: 5         # a GPU under this is idle
///   gpu_idle_minutes: 15        # a pod whose GPUs are all idle this long is flagged
///   metrics: true               # GPU%, VRAM, CPU, memory, disk from the metrics API (on by default)
///   metrics_requests_per_second: 1   # podtui's average metrics traffic, whatever the fleet size
/// keys:
///   pause: P                    # a command and its key(s): x, ctrl-x, f5, enter…
///   quit: [q, ctrl-q]
/// plugins:                      # your own commands on keys (see `Plugin`)
///   - name: nvtop
///     key: ctrl-g
///     command: [ssh, -t, -p, $POD_SSH_PORT, -l, $POD_SSH_USER, --, $POD_SSH_HOST, nvtop]
/// ```
public struct Settings: Sendable, Equatable {
    public var interval: Double?
    /// Seconds between polls while the terminal says it is not focused; 0: no slowdown.
    public var unfocusedInterval = UISettings.defaultUnfocusedInterval
    public var columns: [String] = []
    public var theme: Theme = .auto
    public var notifications = false
    public var mouse = true
    public var hyperlinks = true
    public var budgetPerHour: Double?
    /// GPU probing over ssh, and what counts as idle (see `ProbeSettings`).
    public var probe = ProbeSettings()
    /// API metrics (see `MetricsSettings`).
    public var metrics = MetricsSettings()
    /// Commands given new keys, replacing their defaults.
    public var keys: [Command: [Key]] = [:]
    /// The user's own commands on keys (`plugins:`, see `Plugin`).
    public var plugins: [Plugin] = []
    /// What was wrong, one line each ("config.toml line 7: ui.theme: …").
    public var problems: [String] = []

    public init() {}

    /// The colour themes. `auto` asks the terminal for its background (OSC 11), then looks
    /// at `COLORFGBG`, then assumes dark; `dark` and `light` skip the question;
    /// `high-contrast` is auto with bold and no dim; `mono` draws no colour at all.
    public enum Theme: String, Sendable, CaseIterable {
        case auto, dark, light, highContrast = "high-contrast", mono
    }

    /// Reads the `ui:` and `keys:` sections of a loaded config file.
    public static func from(_ config: ConfigFile) -> Settings {
        var s = Settings()
        let file = config.path.map { $0.split(separator: "/").last.map(String.init) ?? $0 } ?? ConfigFile.fileName
        func problem(_ path: String, _ message: String) {
            let line = config.lines[path].map { " line \($0)" } ?? ""
            s.problems.append("\(file)\(line): \(path): \(message)")
        }
        if let ui = config.raw["ui"] {
            if let table = ui.table {
                for (key, value) in table.sorted(by: { $0.key < $1.key }) {
                    let path = "ui.\(key)"
                    switch key {
                    case "interval":
                        if let n = value.number, n >= 1 { s.interval = n } else { problem(path, "must be a number of seconds, at least 1") }
                    case "unfocused_interval":
                        // YAML reads a bare `off` as false; "off" quoted is the same wish.
                        if value.bool == false || value.string == "off" {
                            s.unfocusedInterval = 0
                        } else if let n = value.number, n == 0 || (n >= 1 && n <= 3600) {
                            s.unfocusedInterval = n
                        } else {
                            problem(path, "must be a number of seconds from 1 to 3600, or 0 or off for no slowdown")
                        }
                    case "columns":
                        guard let items = value.array?.map(\.string), items.allSatisfy({ $0 != nil }) else {
                            problem(path, "must be a list of column titles"); continue
                        }
                        let titles = items.compactMap { $0?.uppercased() }
                        let valid = ListLayout.allTitles
                        if let bad = titles.first(where: { !valid.contains($0) }) {
                            problem(path, "unknown column \"\(bad)\" (known: \(valid.joined(separator: ", ")))")
                        } else {
                            s.columns = titles.filter { $0 != "NAME" }   // the name is always shown, first
                        }
                    case "theme":
                        // "default" was this setting's name for auto before light terminals were told apart.
                        if let name = value.string, let theme = Theme(rawValue: name == "default" ? "auto" : name) { s.theme = theme } else {
                            problem(path, "must be one of \(Theme.allCases.map(\.rawValue).joined(separator: ", "))")
                        }
                    case "notifications":
                        if let b = value.bool { s.notifications = b } else { problem(path, "must be true or false") }
                    case "mouse":
                        if let b = value.bool { s.mouse = b } else { problem(path, "must be true or false") }
                    case "hyperlinks":
                        if let b = value.bool { s.hyperlinks = b } else { problem(path, "must be true or false") }
                    case "budget_per_hour":
                        if let n = value.number, n > 0 { s.budgetPerHour = n } else { problem(path, "must be dollars per hour, more than 0") }
                    case "gpu_probe":
                        if let b = value.bool { s.probe.enabled = b } else { problem(path, "must be true or false") }
                    case "gpu_probe_interval":
                        if let n = value.number, n >= 5, n <= 3600 { s.probe.interval = n } else { problem(path, "must be a number of seconds from 5 to 3600") }
                    case "gpu_idle_percent":
                        if let n = value.number, n > 0, n <= 100 { s.probe.idlePercent = n } else { problem(path, "must be a percentage above 0, at most 100") }
                    case "gpu_idle_minutes":
                        if let n = value.number, n >= 0.1, n <= 10_080 { s.probe.idleMinutes = n } else { problem(path, "must be a number of minutes from 0.1 to 10080") }
                    case "metrics":
                        if let b = value.bool { s.metrics.enabled = b } else { problem(path, "must be true or false") }
                    case "metrics_requests_per_second":
                        if let n = value.number, MetricsSettings.rateRange.contains(n) { s.metrics.requestsPerSecond = n } else {
                            problem(path, "must be a number of requests a second from 0.05 to 20")
                        }
                    default:
                        problem(path, "unknown setting (known: interval, unfocused_interval, columns, theme, notifications, mouse, hyperlinks, budget_per_hour, gpu_probe, gpu_probe_interval, gpu_idle_percent, gpu_idle_minutes, metrics, metrics_requests_per_second)")
                    }
                }
            } else {
                problem("ui", "must be a mapping of settings (ui: then indented key: value lines)")
            }
        }
        if let keys = config.raw["keys"] {
            guard let table = keys.table else {
                problem("keys", "must be a mapping of commands to keys (keys: then indented command: key lines)")
                s.readPlugins(config, file: file)
                return s
            }
            for (name, value) in table.sorted(by: { $0.key < $1.key }) {
                let path = "keys.\(name)"
                let remappable = Set(KeyBindings.all.filter { !$0.keys.isEmpty }.map(\.command))
                guard let command = Command(rawValue: name), remappable.contains(command) else {
                    let known = Command.allCases.filter(remappable.contains).map(\.rawValue)
                    problem(path, Command(rawValue: name) == nil ? "unknown command (known: \(known.joined(separator: ", ")))"
                                                                 : "cannot be given other keys (the text field's own editing keys)")
                    continue
                }
                let texts = value.string.map { [$0] } ?? value.array?.compactMap(\.string) ?? []
                let parsed = texts.map(KeyName.parse)
                if texts.isEmpty || parsed.contains(where: { $0 == nil }) {
                    problem(path, "must be a key or a list of keys, like \"p\", \"ctrl-p\", \"f5\", \"enter\"")
                    continue
                }
                s.keys[command] = parsed.compactMap { $0 }
            }
            for conflict in KeyBindings.conflicts(KeyBindings.table(remapped: s.keys)) {
                s.problems.append("\(file): keys: \(conflict)")
            }
        }
        s.readPlugins(config, file: file)
        return s
    }
}
