import ArgumentParser
import FoundationEssentials
import Libc
import PodAPI
import PodFiles
import TermGuard

/// Reads a secret (a registry password, an API key) the three safe ways: a prompt without
/// echo on the terminal, all of stdin, or an owner-only file. Never from an argument, where
/// any user could read it in `ps`. Whatever is read is registered with `Secrets`, so it is
/// scrubbed from error lines and logs.
enum SecretInput {
    /// Where the secret comes from.
    enum Source: Equatable {
        case prompt(String)
        case stdin
        case file(String)
    }

    /// The source the flags choose; `--…-stdin` and `--…-file` together are a usage error.
    static func source(stdin: Bool, file: String?, prompt: String) throws -> Source {
        if stdin && file != nil { throw ValidationError("Give --password-stdin or --password-file, not both") }
        if stdin { return .stdin }
        if let file { return .file(file) }
        return .prompt(prompt)
    }

    /// Reads it. An empty secret is refused.
    static func read(_ source: Source, what: String) throws -> String {
        let secret: String
        switch source {
        case .stdin:
            // Everything on stdin, less one trailing newline (as `docker login --password-stdin`).
            var bytes: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 4096)
            while true {
                let n = chunk.withUnsafeMutableBytes { Libc.read(STDIN_FILENO, $0.baseAddress, $0.count) }
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { break }
                bytes += chunk[..<n]
            }
            var text = String(decoding: bytes, as: UTF8.self)
            // "\r\n" is one Character in Swift: one removeLast drops the whole line end.
            if text.hasSuffix("\r\n") || text.hasSuffix("\n") { text.removeLast() }
            secret = text
        case .file(let path):
            try checkOwnerOnly(path: path, what: what)
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw PodAPIError.configuration("Cannot read the \(what) file \(path)")
            }
            secret = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        case .prompt(let prompt):
            var buffer = [CChar](repeating: 0, count: 4096)
            let n = tg_read_secret(prompt, &buffer, UInt(buffer.count))
            defer { for i in buffer.indices { buffer[i] = 0 } }
            guard n >= 0 else {
                throw PodAPIError.configuration("No terminal to ask for the \(what) on: use --password-stdin or --password-file")
            }
            secret = String(decoding: buffer.prefix(n).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
        guard !secret.isEmpty else { throw PodAPIError.configuration("The \(what) is empty") }
        Secrets.register(secret)
        return secret
    }

    /// Refuses a file group or others can read or write (as ssh does for keys).
    static func checkOwnerOnly(path: String, what: String) throws {
        guard let mode = FilePermissions.mode(of: path) else { throw PodAPIError.configuration("Cannot read the \(what) file \(path)") }
        if mode & 0o077 != 0 {
            throw PodAPIError.configuration(
                "The \(what) file \(path) is accessible by others (mode \(String(mode & 0o777, radix: 8))); run: chmod 600 \(path)")
        }
    }
}

/// Asks "yes or no" on the terminal before something that cannot be undone; `--yes` skips it.
enum Confirm {
    /// Returns when confirmed; throws (exit 1) when declined, a usage error without a terminal.
    static func ask(_ question: String, yes: Bool) throws {
        guard !yes else { return }
        guard isatty(STDIN_FILENO) == 1 else {
            throw ValidationError("Refusing without a terminal to ask on; pass --yes to confirm")
        }
        CLIOutput.write(STDERR_FILENO, "\(question) This cannot be undone. [y/N] ")
        let answer = readLine()?.trimmed.lowercased() ?? ""
        guard answer == "y" || answer == "yes" else {
            CLIOutput.error("nothing deleted")
            throw ExitCode(1)
        }
    }
}
