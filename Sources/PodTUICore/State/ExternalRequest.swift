import FoundationEssentials
import PodAPI

/// A program to run with the terminal handed over.
public struct ExternalRequest: Sendable, Equatable {
    public var seq: Int
    /// argv, program first (looked up in PATH).
    public var arguments: [String]
    /// For messages: "ssh to llama-ft-7".
    public var title: String
    /// Variables added to the child's environment (a plugin's `$POD_…`); empty for ssh.
    public var environment: [String: String] = [:]

    public init(seq: Int, arguments: [String], title: String, environment: [String: String] = [:]) {
        self.seq = seq; self.arguments = arguments; self.title = title; self.environment = environment
    }
}
