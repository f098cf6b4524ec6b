import FoundationEssentials

/// Flags a subcommand shares with the root command (`--interval`, `--read-only`,
/// `--gpu-probe`, `--no-metrics`): swift-argument-parser hands those to the root, wherever
/// they are written, so the subcommand's own property of that name stays unset. These read
/// them from the command line itself (before `--`).
enum RootFlags {
    private static var words: ArraySlice<String> { CommandLine.arguments.dropFirst().prefix { $0 != "--" } }

    /// `--NAME` was given.
    static func flag(_ name: String) -> Bool { words.contains(name) }

    /// The value of the last `--NAME VALUE` or `--NAME=VALUE`, if given.
    static func value(_ name: String) -> String? {
        var found: String?
        var iterator = words.makeIterator()
        while let word = iterator.next() {
            if word == name { found = iterator.next() } else if word.hasPrefix(name + "=") { found = String(word.dropFirst(name.count + 1)) }
        }
        return found
    }
}
