import ArgumentParser
import FoundationEssentials
import Libc
import PodAPI
import PodTUI
import PodTUICore

/// `podtui volumes …`: persistent volumes (API notes §6.3).
struct VolumesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "volumes", abstract: "List, inspect, create, rename, resize and delete persistent volumes.",
        subcommands: [List.self, Get.self, Create.self, Rename.self, Resize.self, Delete.self], defaultSubcommand: List.self)

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List volumes (every page of every storage type, or those asked for).")
        @OptionGroup var connection: ConnectionOptions
        @Option(name: .customLong("type"), help: "Only this storage type: S3, R2, CEPH or VENDOR (repeatable).") var types: [String] = []
        @Option(name: .customLong("region"), help: "Only this region.") var region: String?
        @Option(name: [.customShort("o"), .customLong("output")], help: "table, wide or json.") var output: PodsCommand.OutputFormat = .table

        func run() async throws {
            let types = try self.types.map(parseStorageType)
            let (service, _) = try connection.makeService()
            let list = try await service.listVolumes(types: types, region: region)
            for problem in list.problems { CLIOutput.error(problem) }
            switch output {
            case .json: CLIOutput.print(try CLIOutput.json(list.volumes))
            case .table, .wide: CLIOutput.print(VolumeTable.render(list.volumes, wide: output == .wide, width: CLIOutput.width))
            }
        }
    }

    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one volume.")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "Volume id.") var id: String
        @Option(name: [.customShort("o"), .customLong("output")], help: "table, wide or json.") var output: PodsCommand.OutputFormat = .wide

        func run() async throws {
            let id = try parseResourceID(self.id, "volume")
            let (service, _) = try connection.makeService()
            let volume = try await service.getVolume(id: id)
            switch output {
            case .json: CLIOutput.print(try CLIOutput.json(volume))
            case .table: CLIOutput.print(VolumeTable.render([volume], wide: false, width: CLIOutput.width))
            case .wide: CLIOutput.print(VolumeTable.describe(volume))
            }
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a volume.",
            discussion: "S3 and R2 need only a name. CEPH needs --region and --size (1-10240 GB). VENDOR needs --region, --size and --vendor-type NVMe|HDD.")
        @OptionGroup var connection: ConnectionOptions
        @Option(name: .customLong("name"), help: "Volume name.") var name: String
        @Option(name: .customLong("type"), help: "S3, R2, CEPH or VENDOR.") var type: String
        @Option(name: .customLong("region"), help: "Region (CEPH and VENDOR).") var region: String?
        @Option(name: .customLong("size"), help: "Size in GB (CEPH and VENDOR, 1-10240).") var size: Int?
        @Option(name: .customLong("vendor-type"), help: "NVMe or HDD (VENDOR).") var vendorType: String?
        @Option(name: [.customShort("o"), .customLong("output")], help: "table, wide or json.") var output: PodsCommand.OutputFormat = .table

        func run() async throws {
            let request = VolumeCreateRequest(name: name, storageType: try parseStorageType(type), region: region, sizeInGb: size,
                                              vendorVolumeType: vendorType.map { VolumeRules.canonicalVendorType($0) ?? $0 })
            let problems = VolumeRules.validate(request)
            guard problems.isEmpty else { throw PodAPIError.invalidRequest(problems) }
            let (service, _) = try connection.makeService()
            guard let volume = try await service.createVolume(request) else {
                CLIOutput.print("created \(TextSafety.clean(name)) (the server did not return it; see podtui volumes list)")
                return
            }
            switch output {
            case .json: CLIOutput.print(try CLIOutput.json(volume))
            case .table, .wide: CLIOutput.print("\(volume.id): created \(TextSafety.clean(volume.label)) (\(TextSafety.clean(volume.status ?? "creating")))")
            }
        }
    }

    struct Rename: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Rename a volume.")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "Volume id.") var id: String
        @Argument(help: "New name.") var name: String

        func run() async throws {
            let id = try parseResourceID(self.id, "volume")
            let problems = VolumeRules.validate(name: name)
            guard problems.isEmpty else { throw PodAPIError.invalidRequest(problems) }
            let (service, _) = try connection.makeService()
            try await service.renameVolume(id: id, name: name)
            CLIOutput.print("\(id): renamed to \(TextSafety.clean(name))")
        }
    }

    struct Resize: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Grow a CEPH or VENDOR volume (only while no pod has it mounted).")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "Volume id.") var id: String
        @Argument(help: "New size in GB (1-10240).") var size: Int

        func run() async throws {
            let id = try parseResourceID(self.id, "volume")
            let (service, _) = try connection.makeService()
            // Checked first so the refusal says why; the server has the last word.
            let volume = try await service.getVolume(id: id)
            if let refusal = volume.resizeRefusal {
                CLIOutput.error(refusal)
                throw ExitCode(1)
            }
            let problems = VolumeRules.validate(resize: size, of: volume)
            guard problems.isEmpty else { throw PodAPIError.invalidRequest(problems) }
            try await service.resizeVolume(id: id, sizeInGb: size)
            CLIOutput.print("\(id): resizing to \(size) GB")
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete volumes and their data (asks first on a terminal; --yes otherwise).")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "Volume ids.") var ids: [String]
        @Flag(name: [.customShort("y"), .customLong("yes")], help: "Do not ask.") var yes = false

        func run() async throws {
            let parsed = try ids.map { try parseResourceID($0, "volume") }
            let (service, _) = try connection.makeService()
            var failures = 0
            var deletable: [Volume] = []
            for id in parsed {
                do {
                    let volume = try await service.getVolume(id: id)
                    if let refusal = volume.deleteRefusal {
                        failures += 1
                        CLIOutput.error("\(id): \(refusal)")
                    } else {
                        deletable.append(volume)
                    }
                } catch let error as PodAPIError {
                    failures += 1
                    CLIOutput.error("\(id): \(error.message)")
                }
            }
            if !deletable.isEmpty {
                let names = deletable.map { TextSafety.clean($0.label) + " (\($0.id))" }.joined(separator: ", ")
                try Confirm.ask("Delete \(deletable.count) volume(s) \(names) and all their data?", yes: yes)
            }
            for volume in deletable {
                do {
                    try await service.deleteVolume(id: volume.id)
                    CLIOutput.print("\(volume.id): deleted")
                } catch let error as PodAPIError {
                    failures += 1
                    CLIOutput.error("\(volume.id): \(error.message)")
                }
            }
            if failures > 0 { throw ExitCode(1) }
        }
    }
}

/// Parses `S3|R2|CEPH|VENDOR` in any case, or fails with a usage error.
func parseStorageType(_ text: String) throws -> StorageType {
    guard let type = StorageType(parsing: text) else {
        throw ValidationError("Unknown storage type \(text); use one of \(StorageType.allCases.map(\.rawValue).joined(separator: ", "))")
    }
    return type
}

/// Parses a positive integer id of a volume or credential, or fails with a usage error.
func parseResourceID(_ text: String, _ kind: String) throws -> Int64 {
    guard let id = PodID.parse(text) else { throw ValidationError("Invalid \(kind) id \(text): expected a positive integer") }
    return id
}

/// Volume tables and the long description for the CLI.
enum VolumeTable {
    static func render(_ volumes: [Volume], wide: Bool, width: Int?, now: Date = Date()) -> String {
        var columns: [CLIOutput.Column] = [
            .init(header: "ID"), .init(header: "NAME", flexible: true, minWidth: 8), .init(header: "TYPE"), .init(header: "REGION"),
            .init(header: "SIZE", alignRight: true), .init(header: "STATUS"), .init(header: "MOUNTS", alignRight: true),
            .init(header: "COST", alignRight: true), .init(header: "AGE", alignRight: true),
        ]
        if wide { columns.append(.init(header: "VENDOR TYPE")) }
        let rows = volumes.map { v -> [String] in
            var row = [String(v.id), v.name.map { $0.isEmpty ? "(unnamed)" : $0 } ?? "(unnamed)", v.storageType ?? "-", v.region ?? "-",
                       VolumeText.size(v), v.status ?? "-", v.mountCount.map(String.init) ?? "-", VolumeText.cost(v),
                       v.createdAt.map { Format.age(now.timeIntervalSince($0)) } ?? "-"]
            if wide { row.append(v.vendorVolumeType ?? "-") }
            return row
        }
        return CLIOutput.table(columns, rows, width: width)
    }

    static func describe(_ v: Volume, zone: ZoneOffsets = LocalZone.current()) -> String {
        let lines: [(String, String)] = [
            ("id", String(v.id)), ("name", v.name ?? "(unnamed)"), ("type", v.storageType ?? "-"),
            ("vendor type", v.vendorVolumeType ?? "-"), ("region", v.region ?? "-"), ("size", VolumeText.size(v)),
            ("status", v.status ?? "-"), ("mounts", v.mountCount.map(String.init) ?? "-"), ("cost", VolumeText.cost(v)),
            ("created", Format.dateTime(v.createdAt, in: zone)),
        ]
        let width = lines.map { DisplayWidth.of($0.0) }.max() ?? 0
        return lines.map { DisplayWidth.pad($0.0, to: width) + "  " + TextSafety.clean($0.1) }.joined(separator: "\n")
    }
}
