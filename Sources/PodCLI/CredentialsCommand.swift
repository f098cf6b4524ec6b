import ArgumentParser
import FoundationEssentials
import Libc
import PodAPI
import PodTUI
import PodTUICore

/// `podtui credentials …`: container registry credentials (API notes §6.2). The password is
/// read from a prompt without echo, `--password-stdin` or `--password-file`, never an argument.
struct CredentialsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "credentials", abstract: "Container registry credentials.",
        subcommands: [List.self, Get.self, Create.self, Update.self, Delete.self], defaultSubcommand: List.self)

    /// The password flags shared by create and update.
    struct PasswordOptions: ParsableArguments {
        @Flag(name: .customLong("password-stdin"), help: "Read the password from stdin.") var stdin = false
        @Option(name: .customLong("password-file"), help: "Read the password from the first line of a file (must be owner-only).") var file: String?
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List registry credentials (secrets are never returned).")
        @OptionGroup var connection: ConnectionOptions
        @Option(name: [.customShort("o"), .customLong("output")], help: "table, wide or json.") var output: PodsCommand.OutputFormat = .table
        func run() async throws {
            let (service, _) = try connection.makeService()
            let credentials = try await service.registryCredentials()
            if output == .json { CLIOutput.print(try CLIOutput.json(credentials)); return }
            CLIOutput.print(CredentialTable.render(credentials, width: CLIOutput.width))
        }
    }

    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one registry credential.")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "Credential id.") var id: String
        @Option(name: [.customShort("o"), .customLong("output")], help: "table, wide or json.") var output: PodsCommand.OutputFormat = .table
        func run() async throws {
            let id = try parseResourceID(self.id, "credential")
            let (service, _) = try connection.makeService()
            let credential = try await service.registryCredential(id: id)
            if output == .json { CLIOutput.print(try CLIOutput.json(credential)); return }
            CLIOutput.print(CredentialTable.render([credential], width: CLIOutput.width))
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Store a registry credential (asks for the password without echo).")
        @OptionGroup var connection: ConnectionOptions
        @Option(name: .customLong("name"), help: "Credential name.") var name: String
        @Option(name: .customLong("type"), help: "DOCKER_HUB, GCR, ECR, ACR or PRIVATE.") var type: String
        @Option(name: .customLong("username"), help: "Registry user name.") var username: String
        @OptionGroup var password: PasswordOptions
        @Option(name: [.customShort("o"), .customLong("output")], help: "table, wide or json.") var output: PodsCommand.OutputFormat = .table

        func run() async throws {
            guard let canonical = RegistryCredential.canonicalType(type) else {
                throw ValidationError("Unknown registry type \(type); use one of \(RegistryCredential.types.joined(separator: ", "))")
            }
            let nameProblems = CredentialRules.validate(name: name)
            guard nameProblems.isEmpty else { throw PodAPIError.invalidRequest(nameProblems) }
            // Connection first: a bad key or URL is reported before the password is asked for.
            let (service, _) = try connection.makeService()
            let source = try SecretInput.source(stdin: password.stdin, file: password.file, prompt: "Password for \(username): ")
            let secret = try SecretInput.read(source, what: "password")
            let request = CredentialCreateRequest(name: name, type: canonical, username: username, password: RegistryPassword(secret))
            guard let credential = try await service.createRegistryCredential(request) else {
                CLIOutput.print("created \(TextSafety.clean(name)) (the server did not return it; see podtui credentials list)")
                return
            }
            if output == .json { CLIOutput.print(try CLIOutput.json(credential)); return }
            CLIOutput.print("\(credential.id): created \(TextSafety.clean(credential.label))")
        }
    }

    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change a credential's name, username or password.")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "Credential id.") var id: String
        @Option(name: .customLong("name"), help: "New name.") var name: String?
        @Option(name: .customLong("username"), help: "New registry user name.") var username: String?
        @Flag(name: .customLong("password"), help: "Set a new password (asked for without echo).") var changePassword = false
        @OptionGroup var password: PasswordOptions

        func run() async throws {
            let id = try parseResourceID(self.id, "credential")
            let wantsPassword = changePassword || password.stdin || password.file != nil
            guard name != nil || username != nil || wantsPassword else {
                throw ValidationError("Nothing to change: give --name, --username or --password")
            }
            if let name {
                let problems = CredentialRules.validate(name: name)
                guard problems.isEmpty else { throw PodAPIError.invalidRequest(problems) }
            }
            let (service, _) = try connection.makeService()
            var secret: RegistryPassword?
            if wantsPassword {
                let source = try SecretInput.source(stdin: password.stdin, file: password.file, prompt: "New password: ")
                secret = RegistryPassword(try SecretInput.read(source, what: "password"))
            }
            try await service.updateRegistryCredential(id: id, CredentialUpdateRequest(name: name, username: username, password: secret))
            let changed = [name.map { _ in "name" }, username.map { _ in "username" }, secret.map { _ in "password" }].compactMap { $0 }
            CLIOutput.print("\(id): updated \(changed.joined(separator: ", "))")
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete credentials (asks first on a terminal; --yes otherwise).")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "Credential ids.") var ids: [String]
        @Flag(name: [.customShort("y"), .customLong("yes")], help: "Do not ask.") var yes = false

        func run() async throws {
            let parsed = try ids.map { try parseResourceID($0, "credential") }
            let (service, _) = try connection.makeService()
            try Confirm.ask("Delete \(parsed.count) credential(s) \(parsed.map(String.init).joined(separator: ", "))?", yes: yes)
            var failures = 0
            for id in parsed {
                do {
                    try await service.deleteRegistryCredential(id: id)
                    CLIOutput.print("\(id): deleted")
                } catch let error as PodAPIError {
                    // The server refuses while a pod uses it; its words say which.
                    failures += 1
                    CLIOutput.error("\(id): \(error.message)")
                }
            }
            if failures > 0 { throw ExitCode(1) }
        }
    }
}

/// The credential table for the CLI.
enum CredentialTable {
    static func render(_ credentials: [RegistryCredential], width: Int?) -> String {
        let zone = LocalZone.current()   // sampled once, not per row
        let rows = credentials.map { [String($0.id), $0.name.isEmpty ? "(unnamed)" : $0.name, $0.type ?? "-", Format.dateTime($0.createdAt, in: zone)] }
        return CLIOutput.table([.init(header: "ID"), .init(header: "NAME", flexible: true), .init(header: "TYPE"),
                                .init(header: "CREATED")], rows, width: width)
    }
}
