import ArgumentParser
import FoundationEssentials
import Libc
import PodAPI
import PodFiles
import PodLocal
import PodLocalFiles
import TermGuard

// Exit codes: 0 success, 1 API or network error, 2 usage or validation error.
// Errors go to stderr in one line.
tg_malloc_tune()   // before any thread starts
let arguments = Array(CommandLine.arguments.dropFirst())
let exitStatus: Int32
do {
    if arguments.first == "sim" { try SimCommand.exec(Array(arguments.dropFirst())) }
    var command = try Podtui.parseAsRoot(arguments)
    if command is WatchCommand { LogSetup.bootstrapForWatch() } else if !(command is Podtui) { LogSetup.bootstrapForCLI() }
    if let asyncCommand = command as? any AsyncParsableCommand {
        // Safe: the command is moved into the task, and this thread only waits for that
        // task to end before it touches anything again; nothing reads it concurrently.
        nonisolated(unsafe) let moved = asyncCommand
        try Blocking.run { try await runAsync(moved) }
    } else {
        // The UI (`Podtui`): synchronous, so its loop runs on this, the main, thread.
        try command.run()
    }
    exitStatus = 0
} catch let error as PodAPIError {
    CLIOutput.error(error.message)
    switch error {
    case .invalidRequest, .configuration: exitStatus = 2
    case .api(_, PodAPIError.Code.invalidParameters, _, _): exitStatus = 2
    default: exitStatus = 1
    }
} catch let error as DiskError {
    // A file podtui could not read or write: not the user's usage (2), a failure (1).
    CLIOutput.error(error.message)
    exitStatus = 1
} catch let error as LocalFileError {
    CLIOutput.error(error.message)
    exitStatus = 1
} catch let error as ExitCode {
    exitStatus = error.rawValue
} catch {
    let code = Podtui.exitCode(for: error)
    if code == .success {
        CLIOutput.print(Podtui.fullMessage(for: error))
        exitStatus = 0
    } else {
        CLIOutput.error(Podtui.message(for: error))
        if Podtui.fullMessage(for: error).contains("Usage:") {
            CLIOutput.write(STDERR_FILENO, "Run 'podtui --help' for usage.\n")
        }
        exitStatus = 2
    }
}
exit(exitStatus)

/// Opens the existential so the async `run()` is the one called.
@Sendable
func runAsync<C: AsyncParsableCommand>(_ command: C) async throws {
    var command = command
    try await command.run()
}
