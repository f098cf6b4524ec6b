import FoundationEssentials
import PodAPI
import PodTUICore

/// The `watch:` section of config.yaml, merged with `podtui watch`'s flags by the command:
///
/// ```yaml
/// watch:
///   interval: 10                 # seconds between polls (default 10)
///   listen: 127.0.0.1:9465       # serve /metrics here (loopback unless listen_public)
///   listen_public: false
///   webhooks:
///     - url: https://hooks.slack.com/services/T000/B000/XXXX
///       events: [idle, over_budget, failed]   # default: every event
///   exec:
///     - command: [notify-send, podtui]        # argv, no shell
///       events: [idle]
///       timeout: 30                           # seconds (default 30)
/// ```
///
/// Each bad entry is reported with what is wrong and left out; the rest load.
public struct WatchSettings: Sendable, Equatable {
    public var interval: Double?
    public var listen: String?
    public var listenPublic = false
    public var targets: [WatchTarget] = []
    /// What was wrong, one line each (never a URL).
    public var problems: [String] = []

    public init() {}

    /// The default seconds between polls of a watcher: it runs for days, and a pause timer or
    /// an event 10 s late costs nothing.
    public static let defaultInterval: Double = 10
    /// The longest an exec hook may run, and the default.
    public static let defaultTimeout: Double = 30
    public static let maxTimeout: Double = 600
    /// The most targets a watcher delivers to (webhooks and exec hooks together). Each has
    /// its own delivery task and its own copy of every event owed: 10,000 webhooks in a
    /// config.yaml kept a watcher busy starting them for longer than SIGTERM may take, and
    /// would multiply the journal by as many. The first ones are kept; the rest are said.
    public static let maxTargets = 32

    /// Reads the `watch:` value of config.yaml (nil: no section).
    public static func parse(_ value: ConfigValue?) -> WatchSettings {
        var settings = WatchSettings()
        guard let value else { return settings }
        guard let table = value.table else {
            settings.problems.append("watch: must be a mapping (interval, listen, webhooks, exec), not \(value.typeName)")
            return settings
        }
        // Webhooks before exec hooks, whatever the file's order (the log lists them so).
        let order = ["interval", "listen", "listen_public", "webhooks", "exec"]
        let keys = order.filter { table[$0] != nil } + table.keys.filter { !order.contains($0) }.sorted()
        var skipped = 0
        for key in keys {
            guard let item = table[key] else { continue }
            switch key {
            case "interval":
                if let n = item.number, n.isFinite, n >= 1, n <= 3600 { settings.interval = n } else {
                    settings.problems.append("watch.interval: seconds between 1 and 3600")
                }
            case "listen":
                if let s = item.string { settings.listen = s } else { settings.problems.append("watch.listen: an address such as 127.0.0.1:9465") }
            case "listen_public":
                if let b = item.bool { settings.listenPublic = b } else { settings.problems.append("watch.listen_public: true or false") }
            case "webhooks":
                for (i, entry) in (item.array ?? []).enumerated() {
                    // Beyond the cap an entry is not even read (nor its URL registered as a secret).
                    guard settings.targets.count < maxTargets else { skipped += 1; continue }
                    if let target = webhook(entry, "watch.webhooks[\(i + 1)]", &settings.problems) { settings.targets.append(target) }
                }
                if item.array == nil { settings.problems.append("watch.webhooks: a list of {url, events}") }
            case "exec":
                for (i, entry) in (item.array ?? []).enumerated() {
                    guard settings.targets.count < maxTargets else { skipped += 1; continue }
                    if let target = exec(entry, "watch.exec[\(i + 1)]", &settings.problems) { settings.targets.append(target) }
                }
                if item.array == nil { settings.problems.append("watch.exec: a list of {command, events, timeout}") }
            default:
                settings.problems.append("watch.\(key): not a setting (interval, listen, listen_public, webhooks, exec)")
            }
        }
        if skipped > 0 { settings.problems.append(tooMany(skipped)) }
        return settings
    }

    /// Keeps the first `maxTargets` targets (config.yaml's, then the flags'); the problem
    /// line when some were left out.
    public mutating func capTargets() {
        guard targets.count > Self.maxTargets else { return }
        let left = targets.count - Self.maxTargets
        targets.removeLast(left)
        problems.append(Self.tooMany(left))
    }

    static func tooMany(_ left: Int) -> String {
        "watch: at most \(maxTargets) webhooks and exec hooks are used; the \(left) after them are left out"
    }

    /// A webhook URL podtui will POST to: http or https with a host, no control characters,
    /// at most 2,048 bytes. The reason when not, a predicate ("has no host"; never the URL itself).
    public static func checkURL(_ url: String) -> String? {
        guard url.utf8.count <= 2048 else { return "is longer than 2,048 bytes" }
        guard !url.unicodeScalars.contains(where: { $0.value < 0x21 || $0.value == 0x7f }) else { return "contains spaces or control characters" }
        guard let parsed = URL(string: url), let scheme = parsed.scheme?.lowercased(), scheme == "http" || scheme == "https" else {
            return "is not an http:// or https:// URL"
        }
        guard let host = parsed.host, !host.isEmpty else { return "has no host" }
        return nil
    }

    /// Event names (`idle`, `over_budget`…; `all` or `*` for every one), or the unknown ones.
    public static func events(_ names: [String]) -> (kinds: Set<WatchEventKind>?, problem: String?) {
        var kinds = Set<WatchEventKind>()
        var unknown: [String] = []
        for name in names.flatMap({ $0.split(separator: ",").map { String($0).trimmed.lowercased() } }) where !name.isEmpty {
            if name == "all" || name == "*" { return (nil, nil) }
            if let kind = WatchEventKind(rawValue: name.replacing("-", with: "_")) { kinds.insert(kind) } else { unknown.append(name) }
        }
        if !unknown.isEmpty {
            return (nil, "unknown event \(unknown.map { "\"\(TextSafety.clean($0))\"" }.joined(separator: ", ")) (known: \(WatchEventKind.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        return (kinds.isEmpty ? nil : kinds, nil)
    }

    private static func eventsOf(_ table: [String: ConfigValue], _ place: String, _ problems: inout [String]) -> Set<WatchEventKind>?? {
        guard let value = table["events"] else { return .some(nil) }
        let names = value.array?.compactMap(\.string) ?? value.string.map { [$0] } ?? []
        let (kinds, problem) = events(names)
        if let problem { problems.append("\(place).events: \(problem)"); return nil }
        return .some(kinds)
    }

    private static func webhook(_ entry: ConfigValue, _ place: String, _ problems: inout [String]) -> WatchTarget? {
        let table = entry.table ?? (entry.string.map { ["url": .string($0)] })
        guard let table, let url = table["url"]?.string else { problems.append("\(place): needs url:"); return nil }
        if let why = checkURL(url) { problems.append("\(place): the url \(why)"); return nil }
        for key in table.keys where !["url", "events"].contains(key) { problems.append("\(place).\(key): not a setting (url, events)") }
        guard let events = eventsOf(table, place, &problems) else { return nil }
        Secrets.register(url)
        return WatchTarget(kind: .webhook(url: url), events: events)
    }

    private static func exec(_ entry: ConfigValue, _ place: String, _ problems: inout [String]) -> WatchTarget? {
        guard let table = entry.table else { problems.append("\(place): a mapping {command, events, timeout}"); return nil }
        let command = table["command"]?.array?.compactMap(\.string) ?? []
        guard !command.isEmpty, command.count == table["command"]?.array?.count, !command[0].isEmpty else {
            problems.append("\(place).command: a list of strings, the program first (no shell)")
            return nil
        }
        if let why = checkArguments(command) { problems.append("\(place).command: \(why)"); return nil }
        var timeout = defaultTimeout
        if let t = table["timeout"] {
            guard let n = t.number, n.isFinite, n > 0, n <= maxTimeout else {
                problems.append("\(place).timeout: seconds between 1 and \(Int(maxTimeout))")
                return nil
            }
            timeout = n
        }
        for key in table.keys where !["command", "events", "timeout"].contains(key) { problems.append("\(place).\(key): not a setting (command, events, timeout)") }
        guard let events = eventsOf(table, place, &problems) else { return nil }
        return WatchTarget(kind: .exec(arguments: command, timeout: timeout), events: events)
    }

    /// Arguments a program can be given: no NUL (it would cut the argument short), at most 64
    /// of 4 KiB each.
    public static func checkArguments(_ arguments: [String]) -> String? {
        guard arguments.count <= 64 else { return "more than 64 arguments" }
        for argument in arguments {
            if argument.utf8.contains(0) { return "an argument contains a NUL byte" }
            if argument.utf8.count > 4096 { return "an argument is longer than 4 KiB" }
        }
        return nil
    }
}
