import ArgumentParser
import FoundationEssentials
import Libc
import PodTUI

/// `podtui sim …`: runs the `podtui-sim` found beside this binary with the same arguments
/// (it replaces this process, so signals, output and the exit status are the simulator's
/// own). The simulator is a separate executable so the UI binary carries no HTTP server.
struct SimCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sim", abstract: "Run the Yotta v2 API simulator (podtui-sim; see podtui sim --help).")

    @Argument(parsing: .allUnrecognized, help: "Arguments for podtui-sim (--port, --api-key, --scenario, --quirks, …).")
    var arguments: [String] = []

    func run() throws { try Self.exec(arguments) }

    /// Replaces this process with `podtui-sim arguments`. main.swift calls it before the
    /// argument parser sees anything, so `podtui sim --help` is the simulator's own help.
    static func exec(_ arguments: [String]) throws -> Never {
        let program = try SimulatorBinary.locate()
        let argv: [UnsafeMutablePointer<CChar>?] = ([program] + arguments).map { strdup($0) } + [nil]
        execv(program, argv)
        let why = String(cString: strerror(errno))
        argv.forEach { free($0) }
        throw ValidationError("cannot run \(program): \(why)")
    }
}
