import ArgumentParser
import FoundationEssentials
import Libc
import PodAPI
import PodClient
import PodFiles
import PodLocalFiles
import PodTUICore

/// `podtui doctor`: the one command to run when something is wrong. Each check is a line with
/// ✓ or ✗ (– for a note that is neither) and, when it fails, what to do about it: the terminal,
/// where the login comes from (never the key), whether the API answers and takes the key (and
/// the clock skew), the metrics source, podtui's folders, ssh, and a running watcher. Exit 1
/// when a check fails.
struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check the terminal, login, API, metrics source, folders, ssh and watcher, and say what to fix.",
        discussion: "Sends one GET /v2/pods (no retries, 10 s at most) to see the API answer and take the key. Exit status 1 when any check fails. The key is never shown.")

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @OptionGroup var connection: ConnectionOptions
    @Option(name: [.customShort("o"), .customLong("output")], help: "text or json.") var output: Format = .text

    func run() async throws {
        let env = ProcessInfo.processInfo.environment
        var checks = DoctorChecks.terminal(environment: env)
        let (config, configChecks) = DoctorChecks.config(environment: env)
        let (login, loginChecks) = DoctorChecks.login(connection: connection, config: config, environment: env)
        checks += loginChecks
        if let url = login.url {
            let report = await HTTPPodService.checkAccess(baseURL: url, apiKey: login.key, connectTimeout: connection.connectTimeoutFlag ?? 3,
                                                          deadline: min(max(connection.readTimeout, 1), 60))
            checks += DoctorChecks.api(report, url: url, keyTried: login.key != nil)
        }
        checks += configChecks
        checks += DoctorChecks.metrics(Settings.from(config))
        checks += DoctorChecks.state(environment: env)
        checks += DoctorChecks.ssh(environment: env)
        checks += DoctorChecks.watcher(environment: env)
        let report = DoctorReport(checks: checks)
        switch output {
        case .json: CLIOutput.print(try CLIOutput.json(report))
        case .text: CLIOutput.print(report.text(unicode: DoctorChecks.localeIsUTF8, width: CLIOutput.width))
        }
        if !report.ok { throw ExitCode(1) }
    }
}

/// One line of the doctor's report.
struct DoctorCheck: Encodable, Equatable {
    enum Status: String, Encodable { case ok, fail, note }
    /// terminal, login, api, files, ssh or watcher.
    var area: String
    /// What was checked, a word or two.
    var name: String
    var status: Status
    /// What was found, in words.
    var detail: String
    /// What to do, for a failure (and some notes).
    var hint: String?
}

/// The whole report: JSON `{"ok", "failed", "version", "checks": [...]}`.
struct DoctorReport: Encodable {
    var version = PodTUIVersion.current
    var ok: Bool
    var failed: Int
    var checks: [DoctorCheck]

    init(checks: [DoctorCheck]) {
        // Anything taken from the environment or a reply is cleaned of terminal controls and
        // of every registered secret before it is shown or written.
        self.checks = checks.map { check in
            var check = check
            check.detail = Secrets.redact(TextSafety.clean(check.detail))
            check.hint = check.hint.map { Secrets.redact(TextSafety.clean($0)) }
            return check
        }
        failed = checks.filter { $0.status == .fail }.count
        ok = failed == 0
    }

    /// Aligned lines: mark, area, name, detail; a failure's hint on the next line. With a
    /// known `width` (a terminal, or COLUMNS) the report is kept to one screen's worth: a
    /// passing line or a note is cut to one row, a failure and its fix are wrapped in full
    /// under the detail column.
    func text(unicode: Bool, width: Int?) -> String {
        let marks: [DoctorCheck.Status: String] = unicode ? [.ok: "✓", .fail: "✗", .note: "–"] : [.ok: "ok", .fail: "XX", .note: "--"]
        let areaWidth = checks.map { DisplayWidth.of($0.area) }.max() ?? 0
        let nameWidth = checks.map { DisplayWidth.of($0.name) }.max() ?? 0
        let markWidth = marks.values.map { DisplayWidth.of($0) }.max() ?? 1
        let indent = markWidth + 1 + areaWidth + 2 + nameWidth + 2
        let room = width.map { max($0 - indent, 20) }
        let pad = String(repeating: " ", count: indent)
        var lines: [String] = []
        for check in checks {
            let mark = DisplayWidth.pad(marks[check.status] ?? "?", to: markWidth)
            let head = "\(mark) \(DisplayWidth.pad(check.area, to: areaWidth))  \(DisplayWidth.pad(check.name, to: nameWidth))  "
            guard let room else {
                lines.append(head + check.detail)
                if let hint = check.hint { lines.append(pad + (unicode ? "→ " : "-> ") + hint) }
                continue
            }
            if check.status != .fail {
                lines.append(head + DisplayWidth.truncate(check.detail, to: room))
                continue
            }
            let detail = Self.wrap(check.detail, width: room)
            lines.append(head + (detail.first ?? ""))
            lines += detail.dropFirst().map { pad + $0 }
            if let hint = check.hint {
                lines += Self.wrap((unicode ? "→ " : "-> ") + hint, width: room).map { pad + $0 }
            }
        }
        lines.append("podtui \(version): " + (ok ? "no problems found." : "\(failed) problem\(failed == 1 ? "" : "s") found (\(marks[.fail] ?? ""))."))
        return lines.joined(separator: "\n")
    }

    /// `text` in lines of at most `width` columns, broken at spaces (a longer word, such as a
    /// path, is cut where it must be).
    static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: true).map(String.init) {
            var word = word
            let joined = line.isEmpty ? word : line + " " + word
            if DisplayWidth.of(joined) <= width { line = joined; continue }
            if !line.isEmpty { lines.append(line); line = "" }
            while DisplayWidth.of(word) > width {
                let head = DisplayWidth.truncate(word, to: width, ellipsis: false)
                guard !head.isEmpty else { break }
                lines.append(head)
                word = String(String.UnicodeScalarView(word.unicodeScalars.dropFirst(head.unicodeScalars.count)))
            }
            line = word
        }
        if !line.isEmpty || lines.isEmpty { lines.append(line) }
        return lines
    }
}

/// The checks, each a function of what it reads (kept apart from printing).
enum DoctorChecks {
    // MARK: - terminal

    static func terminal(environment env: [String: String]) -> [DoctorCheck] {
        var checks: [DoctorCheck] = []
        func add(_ name: String, _ status: DoctorCheck.Status, _ detail: String, _ hint: String? = nil) {
            checks.append(DoctorCheck(area: "terminal", name: name, status: status, detail: detail, hint: hint))
        }
        let term = env["TERM"] ?? ""
        let setTerm = "set the type of the terminal you use, e.g. export TERM=xterm-256color"
        var entry: TerminfoEntry?
        if term.isEmpty {
            add("TERM", .fail, "TERM is not set: the UI cannot tell what terminal this is", setTerm)
        } else if term == "dumb" {
            add("TERM", .fail, "TERM=dumb: a terminal that cannot move the cursor; the UI cannot draw on it", setTerm)
        } else if let refusal = TerminfoEntry.refusal(term: term) {
            add("TERM", .fail, refusal + ": no terminfo entry can have that name", setTerm)
        } else {
            add("TERM", .ok, "TERM=\(term)")
            entry = TerminfoEntry.find(term: term, environment: env)
            if let entry {
                add("terminfo", .ok, entry.path)
            } else {
                let dirs = TerminfoEntry.searchDirectories(environment: env).filter { FileManager.default.fileExists(atPath: $0) }
                add("terminfo", .fail, "no terminfo entry for \"\(term)\" in \(dirs.isEmpty ? "any terminfo folder" : dirs.joined(separator: ", ")); the UI will not start",
                    "install more entries (Debian: apt-get install ncurses-term), copy yours with infocmp/tic, or export TERM=xterm-256color")
            }
        }
        let colorTerm = (env["COLORTERM"] ?? "").lowercased()
        if let entry {
            let truecolor = colorTerm == "truecolor" || colorTerm == "24bit"
            if let colors = entry.colors {
                add("colours", .ok, "\(colors) colours" + (truecolor ? ", 24-bit (COLORTERM=\(colorTerm))" : "")
                    + (env["NO_COLOR"].map { $0.isEmpty ? "" : "; NO_COLOR is set, so podtui draws without colour" } ?? ""))
            } else {
                add("colours", .note, "the \(term) entry has no colours: podtui draws in one colour")
            }
        }
        checks.append(localeCheck(environment: env))
        checks.append(size())
        return checks
    }

    /// True when the C library's character set, for the environment's locale, is UTF-8.
    static var localeIsUTF8: Bool {
        setlocale(LC_CTYPE, "")
        return String(cString: nl_langinfo(nl_item(CODESET))) == "UTF-8"
    }

    /// The locale that decides the character set (LC_ALL, LC_CTYPE, LANG), whether this
    /// machine has it, and whether its character set is UTF-8: what the C library says, not
    /// what the name looks like (a name that is not installed falls back to ASCII).
    static func localeCheck(environment env: [String: String]) -> DoctorCheck {
        let deciding = ["LC_ALL", "LC_CTYPE", "LANG"].first { !(env[$0] ?? "").isEmpty }
        let shown = deciding.map { "\($0)=\(env[$0] ?? "")" } ?? "no LANG, LC_CTYPE or LC_ALL"
        let fix = "export LANG=C.UTF-8 (or a UTF-8 locale listed by locale -a)"
        guard setlocale(LC_CTYPE, "") != nil else {
            return DoctorCheck(area: "terminal", name: "UTF-8", status: .fail,
                               detail: "\(shown): that locale is not installed on this machine, so text falls back to ASCII", hint: fix)
        }
        let codeset = String(cString: nl_langinfo(nl_item(CODESET)))
        guard codeset == "UTF-8" else {
            return DoctorCheck(area: "terminal", name: "UTF-8", status: .fail,
                               detail: "\(shown): character set \(codeset), not UTF-8; borders and non-ASCII names come out wrong", hint: fix)
        }
        return DoctorCheck(area: "terminal", name: "UTF-8", status: .ok, detail: "\(shown) (UTF-8)")
    }

    /// The window size, when one of stdin, stdout or stderr is a terminal.
    static func size() -> DoctorCheck {
        for fd in [STDOUT_FILENO, STDIN_FILENO, STDERR_FILENO] where isatty(fd) == 1 {
            var size = winsize()
            guard ioctl(fd, UInt(TIOCGWINSZ), &size) == 0 else { continue }
            let (cols, rows) = (Int(size.ws_col), Int(size.ws_row))
            if cols < 20 || rows < 5 {
                return DoctorCheck(area: "terminal", name: "size", status: .fail, detail: "\(cols)×\(rows): the UI needs at least 20×5",
                                   hint: "make the window larger")
            }
            let narrow = cols < 80 || rows < 24 ? " (under 80×24 the list shows fewer columns)" : ""
            return DoctorCheck(area: "terminal", name: "size", status: .ok, detail: "\(cols)×\(rows)" + narrow)
        }
        return DoctorCheck(area: "terminal", name: "size", status: .note,
                           detail: "not a terminal (input and output are redirected); run podtui doctor in the terminal you use podtui in")
    }

    // MARK: - login and API

    struct Login { var url: URL?; var key: APIKey? }

    static func config(environment env: [String: String]) -> (ConfigFile, [DoctorCheck]) {
        let path = ConfigFile.path(environment: env)
        let folder = directory(name: "config", path: ConfigFile.directory(environment: env), holds: "config.yaml, templates")
        guard folder.status == .ok else { return (ConfigFile(), [folder]) }
        var info = stat()
        guard stat(path, &info) == 0 else {
            return (ConfigFile(), [DoctorCheck(area: "files", name: "config", status: .ok,
                                               detail: "\(folder.detail); no \(ConfigFile.fileName) (optional: profiles and ui: settings)")])
        }
        do {
            let config = try ConfigFile.load(path: path)
            // A setting the UI would ignore (and say so on its first screen) is a problem here.
            let problems = Settings.from(config).problems
            guard problems.isEmpty else {
                return (config, [DoctorCheck(area: "files", name: "config", status: .fail, detail: problems.joined(separator: "; "),
                                             hint: "fix those lines of \(path); podtui starts with the defaults for them")])
            }
            let profiles = config.profiles.keys.sorted()
            return (config, [DoctorCheck(area: "files", name: "config", status: .ok,
                                         detail: "\(path): " + (profiles.isEmpty ? "no profiles" : "profiles \(profiles.joined(separator: ", "))"))])
        } catch {
            return (ConfigFile(), [DoctorCheck(area: "files", name: "config", status: .fail, detail: describe(error), hint: "fix or move \(path)")])
        }
    }

    static func login(connection: ConnectionOptions, config: ConfigFile, environment env: [String: String]) -> (Login, [DoctorCheck]) {
        do {
            let resolved = try ConnectionResolver.resolve(
                flags: ConnectionFlags(baseURL: connection.baseURL, apiKeyFile: connection.apiKeyFile, profile: connection.profile),
                environment: env, config: config,
                shared: { try YottaCLIConfig.load(path: YottaCLIConfig.defaultPath(environment: env)) },
                credentials: { try YottaCredentials.load(path: YottaCredentials.defaultPath(environment: env)) })
            Secrets.register(resolved.apiKey.secret)
            let profile = resolved.profileName.map { ", profile \($0)" } ?? ""
            return (Login(url: resolved.baseURL, key: resolved.apiKey),
                    [DoctorCheck(area: "login", name: "key", status: .ok,
                                 detail: "from \(resolved.keySource)\(profile), for \(resolved.baseURL.absoluteString) (the key is not shown)")])
        } catch {
            // Without a login the API is still asked (without a key) whether it answers, at the
            // URL the flags or environment name, else the default one.
            let text = connection.baseURL ?? env["YOTTA_BASE_URL"].flatMap { $0.isEmpty ? nil : $0 } ?? ConnectionResolver.defaultBaseURL
            let url = try? ConnectionResolver.validateBaseURL(text)
            return (Login(url: url, key: nil),
                    [DoctorCheck(area: "login", name: "key", status: .fail, detail: describe(error),
                                 hint: "podtui configure (asks for the key and keeps it owner-only), or export YOTTA_API_KEY=…")])
        }
    }

    static func api(_ report: APIAccessReport, url: URL, keyTried: Bool) -> [DoctorCheck] {
        var checks: [DoctorCheck] = []
        let host = url.absoluteString
        let millis = Int(saturating: (report.seconds * 1000).rounded())
        guard let status = report.httpStatus else {
            let why = report.error?.message ?? "no answer"
            checks.append(DoctorCheck(area: "api", name: "answers", status: .fail, detail: "no answer from \(host): \(why)",
                                      hint: "check the URL (--base-url, YOTTA_BASE_URL, the profile), the network, a proxy or a firewall"))
            return checks
        }
        let refused: Bool
        if case .unauthorized = report.error { refused = true } else { refused = false }
        if report.error == nil || refused || !keyTried {
            checks.append(DoctorCheck(area: "api", name: "answers", status: .ok, detail: "HTTP \(status) from \(host) in \(millis) ms"))
        } else if let error = report.error {
            checks.append(DoctorCheck(area: "api", name: "answers", status: .fail, detail: "\(host) answered HTTP \(status): \(error.message)",
                                      hint: "a server-side problem, or the URL is not Yotta's v2 API; try again later"))
        }
        if keyTried {
            if report.error == nil {
                checks.append(DoctorCheck(area: "api", name: "key accepted", status: .ok, detail: "GET /v2/pods succeeded with the key"))
            } else if refused {
                checks.append(DoctorCheck(area: "api", name: "key accepted", status: .fail, detail: "the API refused the key (HTTP \(status))",
                                          hint: "the key is wrong, revoked or for another endpoint: podtui configure, or a new key from Yotta's console"))
            }
        }
        if let skew = report.clockSkew {
            let seconds = Int(saturating: skew.rounded())
            let words = abs(skew) < 1 ? "in step with the API's (within a second)"
                : "\(seconds.magnitude) s \(seconds > 0 ? "ahead of" : "behind") the API's"
            if abs(skew) <= 60 {
                checks.append(DoctorCheck(area: "api", name: "clock", status: .ok, detail: words))
            } else {
                checks.append(DoctorCheck(area: "api", name: "clock", status: .fail, detail: "this clock is \(words): pause timers, ages and spend will be off",
                                          hint: "turn on time sync (timedatectl set-ntp true)"))
            }
        } else {
            checks.append(DoctorCheck(area: "api", name: "clock", status: .note, detail: "the reply had no Date header: skew not measured"))
        }
        return checks
    }

    // MARK: - metrics

    /// Where the list's GPU%, VRAM and the rest come from, as the settings say.
    static func metrics(_ settings: Settings) -> [DoctorCheck] {
        let probes = settings.probe.enabled
            ? "GPU probes over your ssh every \(NumberText.fixed(settings.probe.interval, 0)) s (ui.gpu_probe)" : nil
        if settings.metrics.enabled {
            return [DoctorCheck(area: "metrics", name: "source", status: .ok,
                                detail: "Yotta's metrics API, about \(NumberText.fixed(settings.metrics.requestsPerSecond, 2)) requests/s (ui.metrics)"
                                    + (probes.map { "; " + $0 } ?? ""))]
        }
        return [DoctorCheck(area: "metrics", name: "source", status: .note,
                            detail: (probes ?? "none: the metrics API is off (ui.metrics: false) and so are GPU probes")
                                + (probes == nil ? "" : "; the metrics API is off (ui.metrics: false)"))]
    }

    // MARK: - folders

    static func state(environment env: [String: String]) -> [DoctorCheck] {
        [directory(name: "state", path: StateDirectory.path(environment: env), holds: "ledger, timers, logs")]
    }

    /// A folder podtui keeps files in: its own user's, not writable by others, writable by
    /// us; or missing, when the nearest folder above it that exists lets podtui create it.
    static func directory(name: String, path: String, holds: String) -> DoctorCheck {
        var info = stat()
        guard stat(path, &info) == 0 else {
            var parent = path
            while let slash = parent.lastIndex(of: "/") {
                parent = slash == parent.startIndex ? "/" : String(parent[..<slash])
                if parent == "/" || stat(parent, &info) == 0 { break }
            }
            if access(parent, W_OK) == 0 {
                return DoctorCheck(area: "files", name: name, status: .note, detail: "\(path) does not exist yet (made owner-only on first use; \(holds))")
            }
            return DoctorCheck(area: "files", name: name, status: .fail, detail: "\(path) does not exist and \(parent) is not writable",
                               hint: "mkdir -p -m 700 \(path), or point XDG_STATE_HOME/XDG_CONFIG_HOME somewhere writable")
        }
        do { try PrivateDirectory.check(path) } catch {
            return DoctorCheck(area: "files", name: name, status: .fail, detail: describe(error), hint: "podtui refuses a folder others could plant files in")
        }
        guard access(path, W_OK | X_OK) == 0 else {
            return DoctorCheck(area: "files", name: name, status: .fail, detail: "\(path) is not writable: \(String(cString: strerror(errno)))",
                               hint: "chmod u+rwx \(path)")
        }
        let mode = String(info.st_mode & 0o777, radix: 8)
        return DoctorCheck(area: "files", name: name, status: .ok, detail: "\(path) (mode \(mode), yours, writable)")
    }

    // MARK: - ssh

    static func ssh(environment env: [String: String]) -> [DoctorCheck] {
        var checks: [DoctorCheck] = []
        let path = (env["PATH"] ?? "").split(separator: ":").map { ($0.isEmpty ? "." : String($0)) + "/ssh" }
            .first { access($0, X_OK) == 0 && FileManager.default.fileExists(atPath: $0) }
        if let path {
            checks.append(DoctorCheck(area: "ssh", name: "ssh", status: .ok, detail: path))
        } else {
            checks.append(DoctorCheck(area: "ssh", name: "ssh", status: .fail, detail: "ssh is not on PATH: GPU probes, forward, cp and exec use your ssh",
                                      hint: "install OpenSSH's client (Debian: apt-get install openssh-client)"))
        }
        var agentKeys = 0
        if let socket = env["SSH_AUTH_SOCK"], !socket.isEmpty {
            switch SSHAgentProbe.identities(socket: socket) {
            case .keys(let count):
                agentKeys = count
                checks.append(DoctorCheck(area: "ssh", name: "agent", status: count > 0 ? .ok : .note,
                                          detail: "agent at \(socket) holds \(count) key\(count == 1 ? "" : "s")",
                                          hint: count > 0 ? nil : "ssh-add, to let probes log in without asking for a passphrase"))
            case .failed(let why):
                checks.append(DoctorCheck(area: "ssh", name: "agent", status: .fail, detail: "SSH_AUTH_SOCK=\(socket), but no agent answers there: \(why)",
                                          hint: "start one (eval \"$(ssh-agent)\"; ssh-add) or unset SSH_AUTH_SOCK"))
            }
        } else {
            checks.append(DoctorCheck(area: "ssh", name: "agent", status: .note, detail: "no agent (SSH_AUTH_SOCK is not set): ssh uses key files; a key with a passphrase would ask every time"))
        }
        let dir = HomeDirectory.path(environment: env) + "/.ssh"
        let names = ["id_ed25519", "id_ecdsa", "id_rsa", "id_ed25519_sk", "id_ecdsa_sk", "id_dsa"]
        var found: [String] = []
        for name in names {
            let file = dir + "/" + name
            guard let mode = FilePermissions.mode(of: file) else { continue }
            if mode & 0o077 != 0 {
                checks.append(DoctorCheck(area: "ssh", name: "keys", status: .fail,
                                          detail: "\(file) is readable by others (mode \(String(mode & 0o777, radix: 8))): ssh refuses to use it",
                                          hint: "chmod 600 \(file)"))
            }
            found.append(name)
        }
        if !found.isEmpty {
            checks.append(DoctorCheck(area: "ssh", name: "keys", status: .ok, detail: "in \(dir): \(found.joined(separator: ", "))"))
        } else {
            checks.append(DoctorCheck(area: "ssh", name: "keys", status: .note,
                                      detail: "no id_* key in \(dir)" + (agentKeys > 0 ? "; the agent's keys are used" : "; ssh uses what ~/.ssh/config names, if anything"),
                                      hint: agentKeys > 0 ? nil : "ssh-keygen -t ed25519, and add the .pub key to your pods (podtui pods create --ssh-key)"))
        }
        return checks
    }

    // MARK: - watcher

    static func watcher(environment env: [String: String]) -> [DoctorCheck] {
        let directory = StateDirectory.path(environment: env)
        switch WatcherLock.find(in: directory) {
        case .running(let holders):
            return holders.map { holder in
                DoctorCheck(area: "watcher", name: "watcher", status: .ok, detail: "running, pid \(holder.pid) (\(holder.path))")
            }
        case .none:
            return [DoctorCheck(area: "watcher", name: "watcher", status: .note, detail: "no watcher running")]
        case .unknown:
            return [DoctorCheck(area: "watcher", name: "watcher", status: .note, detail: "cannot tell whether a watcher runs (no /proc/locks)")]
        }
    }

    static func describe(_ error: any Error) -> String {
        if let error = error as? PodAPIError { return error.message }
        if let error = error as? DiskError { return error.message }
        return String(describing: error)
    }
}
