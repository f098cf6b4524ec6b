import FoundationEssentials
import Libc
import PodAPI
import PodFiles
import PodLocal

/// `ledger.jsonl` in the state directory: appended to as pods are seen, compacted at load,
/// locked (`ledger.lock`) for both, so several podtui processes (a TUI, `timers run`,
/// `podtui spend`) share it safely. A line that is not UTF-8 or not JSON (a torn last line
/// after a crash or a full disk) is skipped, and kept in `ledger.bad.jsonl`; the other lines
/// load. The production API's ledger is `ledger.jsonl` (as before endpoints were told
/// apart); any other endpoint (a simulator, a staging API) has its own,
/// `ledger-HOST_PORT.jsonl`, so its pods never mix with the account's.
public struct LedgerFile: Sendable {
    public let directory: String
    /// The file's name without `.jsonl`: `ledger`, or `ledger-` and the endpoint.
    public let name: String
    /// How long to wait for another process's lock (see `FileLock`).
    public var lockTimeout = FileLock.defaultTimeout

    /// The ledger of `endpoint` (a `TimerOwner.endpoint`; nil or the production API's is
    /// `ledger.jsonl`).
    public init(directory: String, endpoint: String? = nil) {
        self.directory = directory
        self.name = endpoint.map(Self.name(for:)) ?? "ledger"
    }

    /// `ledger` for the production API, else `ledger-` and the endpoint's host, port and
    /// path with every character outside `A-Za-z0-9.-` made `_`.
    public static func name(for endpoint: String) -> String {
        guard endpoint != TimerOwner.production, !endpoint.isEmpty else { return "ledger" }
        let bare = endpoint.firstRange(of: "://").map { String(endpoint[$0.upperBound...]) } ?? endpoint
        let slug = String(bare.unicodeScalars.prefix(100).map { s -> Character in
            s.isASCII && (ASCII.isAlphanumeric(s) || s == "." || s == "-") ? Character(s) : "_"
        })
        return "ledger-" + slug
    }

    public var path: String { directory + "/" + name + ".jsonl" }
    var lockPath: String { directory + "/" + name + ".lock" }
    /// Where lines that could not be read are kept.
    public var badPath: String { directory + "/" + name + ".bad.jsonl" }

    /// Sessions quiet this long are over (see `SpendLedger.sessionTimeout`).
    public static let sessionTimeout = SpendLedger.sessionTimeout
    /// Pods not seen for this long are dropped (see `SpendLedger.expiry`).
    public static let expiry = SpendLedger.expiry
    /// `ledger.bad.jsonl` stops growing at this size (the first bad lines are the telling ones).
    public static let badLimit: Int64 = 1 << 20

    /// The hard bound on the file (see `SpendLedger.maxFileBytes`): an append that would take
    /// it past this compacts it first, and if it is still too big, is refused (`Full`).
    public static let maxBytes = SpendLedger.maxFileBytes

    /// An append refused: the file is at its bound even after compacting.
    public struct Full: Error, CustomStringConvertible, Sendable {
        public var path: String
        public var description: String {
            "\(path) is full (\(LedgerFile.maxBytes >> 20) MiB even after compacting): nothing more is recorded in it"
        }
    }

    /// Every line, after compacting ended sessions (written back only when it changed).
    /// A file that cannot be read at all (permission, I/O) is an error, never "empty".
    public func load(now: Date = Date()) throws -> [LedgerLine] {
        try StateDirectory.ensure(directory)
        return try FileLock.with(lockPath, timeout: lockTimeout) { try compactLocked(now: now) }
    }

    /// Reads, compacts and (when that changed it) rewrites the file; the lock is held.
    private func compactLocked(now: Date) throws -> [LedgerLine] {
        let bytes = try AtomicFile.readBytes(path) ?? []
        let (lines, bad) = LedgerLine.parse(bytes: bytes)
        if !bad.isEmpty, LocalFile.size(badPath) < Self.badLimit {
            var kept: [UInt8] = []
            for line in bad { kept += line + [UInt8(ascii: "\n")] }
            try LocalFile.append(kept, to: badPath)
        }
        let compacted = SpendLedger.compact(lines, live: [], cutoff: now.addingTimeInterval(-Self.sessionTimeout),
                                            expiry: now.addingTimeInterval(-Self.expiry))
        if compacted != lines || !bad.isEmpty {
            try LocalFile.replace(path, with: compacted.map(\.text).filter { !$0.isEmpty }.joined(separator: "\n") + (compacted.isEmpty ? "" : "\n"))
        }
        return compacted
    }

    /// Appends lines (one write, under the lock). Past `maxBytes` the file is compacted
    /// first; still too big, nothing is written and `Full` is thrown.
    public func append(_ lines: [LedgerLine], now: Date = Date()) throws {
        guard !lines.isEmpty else { return }
        try StateDirectory.ensure(directory)
        try FileLock.with(lockPath, timeout: lockTimeout) {
            let texts = lines.map(\.text).filter { !$0.isEmpty }
            guard !texts.isEmpty else { return }
            let text = texts.joined(separator: "\n") + "\n"
            let added = Int64(text.utf8.count) + 1
            if LocalFile.size(path) > Self.maxBytes - added {
                _ = try compactLocked(now: now)
                guard LocalFile.size(path) <= Self.maxBytes - added else { throw Full(path: path) }
            }
            // A torn last line (a crash mid-write) must not swallow the next one.
            if LocalFile.lastByte(path).map({ $0 != UInt8(ascii: "\n") }) == true {
                try LocalFile.append("\n", to: path)
            }
            try LocalFile.append(text, to: path)
        }
    }
}
