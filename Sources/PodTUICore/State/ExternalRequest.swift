import FoundationEssentials
import PodAPI

/// A program to run with the terminal handed over.
public struct ExternalRequest: Sendable, Equatable {
    public var seq: Int
    /// argv, program first (looked up in PATH).
    public var arguments: [String]
    /// For messages: "ssh to llama-ft-7".
    public var title: String
}
