import ArgumentParser
import FoundationEssentials
import Libc
import PodAPI
import PodFiles
import PodTUICore

/// `podtui keys`: every key of every mode, from the bindings table the UI uses, with the
/// `keys:` remapping of the config file applied (`--defaults` shows the table as shipped,
/// which is what the README holds).
struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys", abstract: "List the UI's keys in every mode (the same table the UI and its help use).")

    @Flag(help: "Markdown tables.") var markdown = false
    @Flag(help: "The keys as shipped, without the config file's keys: section.") var defaults = false

    func run() throws {
        var keymap: [Command: [Key]] = [:]
        var plugins: [Plugin] = []
        if !defaults {
            let env = ProcessInfo.processInfo.environment
            let config = (try? ConfigFile.load(path: ConfigFile.path(environment: env))) ?? ConfigFile()
            let settings = Settings.from(config)
            for problem in settings.problems { CLIOutput.error(problem) }
            keymap = settings.keys
            plugins = settings.plugins
        }
        // The plugins are the user's own rows: the Markdown (the README's tables) is the table as shipped.
        CLIOutput.print(markdown ? KeyTables.markdown(keymap: keymap) : KeyTables.text(keymap: keymap, plugins: plugins))
    }
}
