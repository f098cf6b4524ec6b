import ArgumentParser
import FoundationEssentials
import Libc
import PodAPI
import PodFiles
import PodLocal
import PodLocalFiles
import PodTUI
import PodTUICore

/// `podtui spend`: what the ledger saw each pod spend (RUNNING time a podtui observed × its
/// price), per pod and in total. Reads the local ledger only; the API is not asked.
struct SpendCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "spend",
        abstract: "Observed spend per pod and in total, from the local ledger.",
        discussion: "podtui counts RUNNING time it sees. A pod marked ≥ (complete: false in JSON) may have run before any podtui saw it, or while none watched.")

    @Option(name: .customLong("since"), help: "Only spend after this long ago: 90m, 12h, 7d (default: everything kept, 30 days).") var since: String?
    @Option(name: [.customShort("o"), .customLong("output")], help: "table or json.") var output: PodsCommand.OutputFormat = .table
    @Flag(name: .customLong("demo-data"), help: "The demo's ledger (podtui --demo keeps its own).") var demo = false
    @Option(name: .customLong("base-url"), help: "Whose ledger: the API it was kept for (default: YOTTA_BASE_URL, else https://api.yottalabs.ai; each endpoint, a simulator's too, has its own).")
    var baseURL: String?

    struct Row: Encodable {
        var id: Int64
        var name: String?
        var runningSeconds: Double
        var cost: Double
        var complete: Bool
        var firstSeen: String
    }

    struct Report: Encodable {
        var pods: [Row]
        var total: Double
        var since: String?
    }

    func run() throws {
        let env = ProcessInfo.processInfo.environment
        let now = Date()
        var start: Date?
        if let since {
            guard let back = TimerWhen.parse(since, now: now, zoneOffset: { _ in 0 }), !since.contains(":") else {
                throw ValidationError("--since takes a duration like 90m, 12h or 7d")
            }
            start = now.addingTimeInterval(-back.timeIntervalSince(now))
        }
        let directory = StateDirectory.path(environment: env) + (demo ? "/demo" : "")
        let url = baseURL ?? env["YOTTA_BASE_URL"].flatMap { $0.isEmpty ? nil : $0 } ?? ConnectionResolver.defaultBaseURL
        guard let parsed = URL(string: url), parsed.host != nil else { throw ValidationError("--base-url: not a URL: \(url)") }
        let ledger = LedgerFile(directory: directory, endpoint: demo ? nil : TimerOwner.endpoint(of: parsed))
        let lines = try ledger.load(now: now)
        let spends = SpendLedger.compute(lines, live: nil, now: now, since: start)
        let rows = spends.values.map { s in
            Row(id: s.id, name: s.name, runningSeconds: (s.runningSeconds(at: now) * 10).rounded() / 10,
                cost: (s.cost(at: now) * 10_000).rounded() / 10_000, complete: s.complete, firstSeen: Timestamp.iso8601(s.firstSeen))
        }.sorted { $0.cost != $1.cost ? $0.cost > $1.cost : $0.id < $1.id }
        let total = rows.reduce(0) { $0 + $1.cost }
        switch output {
        case .json:
            CLIOutput.print(try CLIOutput.json(Report(pods: rows, total: (total * 10_000).rounded() / 10_000, since: start.map(Timestamp.iso8601))))
        case .table, .wide:
            guard !rows.isEmpty else {
                CLIOutput.print("No spend observed\(start == nil ? "" : " in that time") (the ledger is in \(directory); podtui adds to it while it runs).")
                return
            }
            let zone = LocalZone.current()
            let table = rows.map { r -> [String] in
                [String(r.id), r.name ?? "(unnamed)", Format.age(r.runningSeconds), (r.complete ? "$" : "≥$") + Format.price(r.cost),
                 Format.dateTime(spends[r.id]?.firstSeen, in: zone)]
            }
            CLIOutput.print(CLIOutput.table([.init(header: "ID"), .init(header: "NAME", flexible: true, minWidth: 8),
                                             .init(header: "RUNNING", alignRight: true), .init(header: "SPENT", alignRight: true),
                                             .init(header: "OBSERVED SINCE")], table, width: CLIOutput.width))
            let incomplete = rows.contains { !$0.complete }
            CLIOutput.print("total \(incomplete ? "≥" : "")$\(Format.price(total))" + (incomplete ? "  (≥: a pod ran before podtui saw it, or while none watched)" : ""))
        }
    }
}
