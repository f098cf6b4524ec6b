import ArgumentParser
import FoundationEssentials
import Libc
import PodAPI
import PodFiles
import TermGuard

/// `podtui configure`: writes the login to `~/.yotta/config`, the file the official
/// `yotta configure` writes, so both tools share one login.
struct ConfigureCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "configure",
        abstract: "Save an API key and base URL to ~/.yotta/config (shared with the official yotta CLI).",
        discussion: "Asks for the key without echo, then the base URL (Enter keeps the value shown). Without a terminal, "
            + "the key is the first line of stdin and the base URL the second. The file is written owner-only (0600) "
            + "in a 0700 directory, as yotta configure writes it. Only --profile applies here.")

    /// `--profile` is ConnectionOptions' (the root command has it too, and the innermost
    /// command that declares an option receives it); here it names the section to write.
    @OptionGroup var connection: ConnectionOptions

    var profile: String { connection.profile ?? "default" }

    func run() throws {
        let env = ProcessInfo.processInfo.environment
        let path = YottaCLIConfig.defaultPath(environment: env)
        var config = try YottaCLIConfig.load(path: path)
        let existingKey = config.value("api_key", in: profile)
        let existingURL = config.value("base_url", in: profile) ?? ConnectionResolver.defaultBaseURL
        if let key = existingKey { Secrets.register(key) }

        let interactive = isatty(STDIN_FILENO) == 1
        var key: String
        var url: String
        if interactive {
            CLIOutput.write(STDERR_FILENO, "Configuring profile [\(profile)] in \(path)\n")
            var buffer = [CChar](repeating: 0, count: 4096)
            let prompt = existingKey == nil ? "API key (hidden): " : "API key (hidden, Enter keeps the saved one): "
            let n = tg_read_secret(prompt, &buffer, UInt(buffer.count))
            guard n >= 0 else { throw PodAPIError.configuration("Could not read the key from the terminal; nothing was written") }
            key = String(decoding: buffer.prefix(n).map { UInt8(bitPattern: $0) }, as: UTF8.self).trimmed
            for i in buffer.indices { buffer[i] = 0 }
            CLIOutput.write(STDERR_FILENO, "Base URL [\(existingURL)]: ")
            url = readLine()?.trimmed ?? ""
        } else {
            key = readLine()?.trimmed ?? ""
            url = readLine()?.trimmed ?? ""
        }
        if key.isEmpty {
            guard let existingKey else { throw PodAPIError.configuration("No API key given; nothing was written") }
            key = existingKey
        }
        Secrets.register(key)
        if url.isEmpty { url = existingURL }
        _ = try ConnectionResolver.validateBaseURL(url)
        config.set(section: profile, key: "api_key", value: key)
        config.set(section: profile, key: "base_url", value: url)
        try config.write(to: path)
        CLIOutput.write(STDERR_FILENO, "Saved profile [\(profile)] to \(path)\n")
    }
}
