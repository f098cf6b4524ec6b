import ArgumentParser
import PodTUICore

/// `podtui keys`: every key of every mode, from the bindings table the UI uses.
struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys", abstract: "List the UI's keys in every mode (the same table the UI, its help and the README use).")

    @Flag(help: "Markdown tables (what the README holds).") var markdown = false

    func run() throws {
        CLIOutput.print(markdown ? KeyTables.markdown() : KeyTables.text())
    }
}
