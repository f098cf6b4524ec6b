import ArgumentParser
import FoundationEssentials
import Libc
import PodAPI
import PodTUI
import PodTUICore

/// `podtui gpus list`: GPU types with their regions and availability.
struct GPUsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "gpus", abstract: "GPU types and where they are available.",
                                                    subcommands: [List.self], defaultSubcommand: List.self)
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List GPU types (GET /v2/vms/types).")
        @OptionGroup var connection: ConnectionOptions
        @Option(name: [.customShort("o"), .customLong("output")], help: "table or json.") var output: PodsCommand.OutputFormat = .table
        func run() async throws {
            let (service, _) = try connection.makeService()
            let types = try await service.gpuTypes()
            if output == .json { CLIOutput.print(try CLIOutput.json(types)); return }
            let rows = types.map { t -> [String] in
                [t.gpuType, t.displayName, t.vramGB.map { "\($0)G" } ?? "-",
                 t.regions.map { $0.region + ($0.available ? "" : " (sold out)") }.joined(separator: ", ")]
            }
            CLIOutput.print(CLIOutput.table([.init(header: "TYPE"), .init(header: "NAME"), .init(header: "VRAM", alignRight: true),
                                             .init(header: "REGIONS", flexible: true, minWidth: 10)], rows, width: CLIOutput.width))
        }
    }
}
