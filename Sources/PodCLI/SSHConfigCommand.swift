import ArgumentParser
import FoundationEssentials
import Libc
import PodAPI
import PodFiles
import PodTUICore

/// `podtui ssh-config`: an OpenSSH `Host` block for every running pod, printed, or kept in
/// `~/.ssh/config` between podtui's markers (`--write`), so `ssh yotta-NAME` and VS Code
/// Remote-SSH reach pods by name.
struct SSHConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ssh-config", abstract: "Print (or --write into ~/.ssh/config) a Host block for every running pod.")

    @OptionGroup var connection: ConnectionOptions
    @Flag(help: "Write the block into the ssh config (only podtui's marked block changes; the old file is kept as config.podtui.bak).")
    var write = false
    @Option(help: "Host alias prefix.") var prefix: String = "yotta-"
    @Option(help: "The ssh config file (default: ~/.ssh/config).") var file: String?

    func run() async throws {
        let (service, _) = try connection.makeService()
        let hosts = SSHConfig.hosts(for: try await service.listPods().pods, prefix: prefix)
        let block = SSHConfig.block(hosts)
        guard write else {
            CLIOutput.print(block.trimmed(of: ["\n", "\r"]))
            return
        }
        let path = try SSHConfigFile.write(path: file ?? SSHConfigFile.defaultPath(), bytes: { try SSHConfig.merge(bytes: $0, block: block) })
        CLIOutput.error("wrote \(hosts.count) host\(hosts.count == 1 ? "" : "s") to \(path)")
    }
}
