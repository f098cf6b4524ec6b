import FoundationEssentials
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `ledger.jsonl` in the state directory: appended to as pods are seen, compacted at load,
/// locked (`ledger.lock`) for both, so several podtui processes (a TUI, `timers run`,
/// `podtui spend`) share it safely. A crash mid-append leaves at most a torn last line,
/// which is skipped.
public struct LedgerFile: Sendable {
    public let directory: String
    public init(directory: String) { self.directory = directory }

    public var path: String { directory + "/ledger.jsonl" }
    var lockPath: String { directory + "/ledger.lock" }

    /// Sessions quiet this long are over (a live one writes every 30 s).
    public static let sessionTimeout: Double = 600
    /// Pods not seen for this long are dropped.
    public static let expiry: Double = 30 * 86_400

    /// Every line, after compacting ended sessions (written back only when it changed).
    public func load(now: Date = Date()) throws -> [LedgerLine] {
        try StateDirectory.ensure(directory)
        return try FileLock.with(lockPath) {
            let text = LocalFile.read(path) ?? ""
            let lines = LedgerLine.parse(text)
            let compacted = SpendLedger.compact(lines, live: [], cutoff: now.addingTimeInterval(-Self.sessionTimeout),
                                                expiry: now.addingTimeInterval(-Self.expiry))
            if compacted != lines || text.split(separator: "\n").count != lines.count {
                try LocalFile.replace(path, with: compacted.map(\.text).joined(separator: "\n") + (compacted.isEmpty ? "" : "\n"))
            }
            return compacted
        }
    }

    /// Appends lines (one write, under the lock).
    public func append(_ lines: [LedgerLine]) throws {
        guard !lines.isEmpty else { return }
        try StateDirectory.ensure(directory)
        try FileLock.with(lockPath) {
            // A torn last line (a crash mid-write) must not swallow the next one.
            if LocalFile.lastByte(path).map({ $0 != UInt8(ascii: "\n") }) == true {
                try LocalFile.append("\n", to: path)
            }
            try LocalFile.append(lines.map(\.text).joined(separator: "\n") + "\n", to: path)
        }
    }
}
