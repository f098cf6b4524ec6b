import FoundationEssentials
import PodAPI
import PodLocal
import PodLocalFiles

/// The files podtui keeps in the state directory: the spend ledger and the pause timers.
public struct LocalFiles: Sendable {
    public var directory: String
    public var timers: TimerFile
    /// The probes' idle clocks.
    public var idle: IdleFile
    /// Who this process is, when it claims a timer.
    public var claimant: String
    /// Whose timers and ledger these are; nil: the store's service says (its base URL and
    /// profile), which is what the TUI wants. Tests pin it.
    public var owner: TimerOwner?
    /// The files in `directory`, owned as the store's service says.
    public init(directory: String) { self.init(directory: directory, owner: nil) }

    /// The files in `directory`, owned by `owner` (nil: as the store's service says).
    public init(directory: String, owner: TimerOwner?) {
        self.directory = directory
        timers = TimerFile(directory: directory)
        idle = IdleFile(directory: directory)
        claimant = TimerFile.claimant
        // The demo's directory (`…/podtui/demo`) is the demo's alone, whatever port its
        // simulator got this time: one owner, and its ledger is that directory's ledger.jsonl.
        self.owner = owner ?? (directory.hasSuffix("/demo") ? .legacy : nil)
    }

    /// The ledger of `owner`'s endpoint (`ledger.jsonl` for the production API).
    public func ledger(for owner: TimerOwner) -> LedgerFile {
        LedgerFile(directory: directory, endpoint: owner.endpoint)
    }
}
