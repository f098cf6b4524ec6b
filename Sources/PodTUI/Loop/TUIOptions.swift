import PodTUICore
import FoundationEssentials
import Libc
import Logging
import PodAPI
import TermGuard

/// What the UI needs to start.
public struct TUIOptions: Sendable {
    public var service: any PodService
    public var endpoint: String
    public var interval: Double
    public var readOnly: Bool
    public var logger: Logger
    /// `[ui]`/`[keys]` from the config file, with their problems.
    public var settings: Settings
    /// Profile names for `:profile` completion.
    public var profiles: [String]
    /// How `:profile NAME` reconnects; nil where profiles do not apply (demo).
    public var switchProfile: ProfileSwitcher?
    /// Where the spend ledger and the pause timers live; nil keeps neither.
    public var stateDirectory: String?
    /// Where create-form templates live; nil keeps none.
    public var templatesDirectory: String?

    public init(service: any PodService, endpoint: String, interval: Double, readOnly: Bool, logger: Logger,
                settings: Settings = Settings(), profiles: [String] = [], switchProfile: ProfileSwitcher? = nil,
                stateDirectory: String? = nil, templatesDirectory: String? = nil) {
        self.stateDirectory = stateDirectory
        self.templatesDirectory = templatesDirectory
        self.service = service; self.endpoint = endpoint; self.interval = interval; self.readOnly = readOnly; self.logger = logger
        self.settings = settings; self.profiles = profiles; self.switchProfile = switchProfile
    }
}
