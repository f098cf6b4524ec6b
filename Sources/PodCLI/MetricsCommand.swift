import ArgumentParser
import FoundationEssentials
import PodAPI
import PodClient
import PodTUI
import PodTUICore

extension PodsCommand {
    /// `podtui pods metrics ID`: one metric of one pod from Yotta's metrics API, as a table of
    /// samples (one column per series), JSON or CSV.
    struct Metrics: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show a pod's GPU, GPU memory, CPU, memory or disk use over time (Yotta's metrics API).",
            discussion: "The step is the finest the API allows for the window (30s up to 3h, 5m to 12h, 15m to 2d, 1h to 7d, 4h to 30d, 1d to 90d). Exit status 1 when the server has no metrics for the pod.")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "Pod id.") var id: String
        @Option(help: "gpu, gpu-memory, cpu, memory or storage.") var kind: MetricKindArgument = .init(.gpu)
        @Option(help: "How far back: 1h, 3h, 12h, 2d, 7d, 30d or 90d.") var window: MetricWindowArgument = .init(.h1)
        @Option(name: [.customShort("o"), .customLong("output")], help: "table, json or csv.") var output: Format = .table

        enum Format: String, ExpressibleByArgument, CaseIterable { case table, json, csv }

        func run() async throws {
            let id = try parseID(self.id)
            let (service, _) = try connection.makeService()
            let end = Date(), step = window.value.step
            let start = end.addingTimeInterval(-window.value.seconds)
            switch try await service.podMetrics(id: id, kind: kind.value, start: start, end: end, step: step) {
            case .notAvailable(let reason):
                CLIOutput.error("pod \(id): \(reason)")
                throw ExitCode(1)
            case .noData:
                if output == .json {
                    CLIOutput.print(try MetricsOutput.json(pod: id, kind: kind.value, step: step, metrics: nil))
                } else {
                    CLIOutput.error("pod \(id): no \(kind.value.rawValue) data in the last \(window.value.rawValue) yet")
                }
            case .data(let metrics):
                if metrics.droppedPoints > 0 {
                    CLIOutput.error("the server sent \(metrics.droppedPoints) more samples than podtui keeps; showing the newest")
                }
                switch output {
                case .json: CLIOutput.print(try MetricsOutput.json(pod: id, kind: kind.value, step: step, metrics: metrics))
                case .csv: CLIOutput.print(MetricsOutput.csv(metrics))
                case .table: CLIOutput.print(MetricsOutput.table(metrics, kind: kind.value, zone: LocalZone.current(), width: CLIOutput.width))
                }
            }
        }
    }
}

/// `--kind` as swift-argument-parser reads it.
struct MetricKindArgument: ExpressibleByArgument {
    var value: MetricKind
    init(_ value: MetricKind) { self.value = value }
    init?(argument: String) {
        guard let kind = MetricKind(parsing: argument) else { return nil }
        value = kind
    }
    var defaultValueDescription: String { value.rawValue }
    static var allValueStrings: [String] { MetricKind.allCases.map(\.rawValue) }
}

/// `--window` as swift-argument-parser reads it.
struct MetricWindowArgument: ExpressibleByArgument {
    var value: MetricWindow
    init(_ value: MetricWindow) { self.value = value }
    init?(argument: String) {
        guard let window = MetricWindow(rawValue: argument.lowercased()) else { return nil }
        value = window
    }
    var defaultValueDescription: String { value.rawValue }
    static var allValueStrings: [String] { MetricWindow.allCases.map(\.rawValue) }
}
