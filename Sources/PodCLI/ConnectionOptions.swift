import ArgumentParser
import FoundationEssentials
import Libc
import PodAPI
import PodFiles
import PodClient

/// Where to connect; shared by every command that talks to the API.
struct ConnectionOptions: ParsableArguments {
    @Option(name: .customLong("base-url"), help: "API root (default: YOTTA_BASE_URL, the profile, or https://api.yottalabs.ai). Plain http:// only for loopback.")
    var baseURL: String?

    @Option(name: .customLong("api-key-file"), help: "File holding the API key (must be owner-only, like ssh keys). Default: YOTTA_API_KEY, then the profile.")
    var apiKeyFile: String?

    @Option(name: .customLong("profile"), help: "Profile from $XDG_CONFIG_HOME/podtui/config.yaml, or a section of ~/.yotta/config (the official CLI's login).")
    var profile: String?

    @Option(name: .customLong("connect-timeout"), help: "Seconds to connect (default: 10 for commands, 3 for the UI).")
    var connectTimeoutFlag: Double?

    @Option(name: .customLong("timeout"), help: "Seconds for a whole create, pause, resume or delete.")
    var requestTimeout: Double = 30

    @Option(name: .customLong("read-timeout"), help: "Seconds a read may go without receiving a byte (a slow but live reply still finishes).")
    var readTimeout: Double = 15

    @Option(name: .customLong("retries"), help: "Attempts for reads (GET) on network errors, 5xx and 429; writes are never retried (default: 3 for commands, 1 for the UI, whose next poll is the retry).")
    var retriesFlag: Int?

    /// Set by the UI before connecting: a poll that cannot connect should say so within
    /// seconds (the poll loop backs off and tries again), not after three 10 s attempts.
    var forUI = false

    var connectTimeout: Double { connectTimeoutFlag ?? (forUI ? 3 : 10) }
    var retries: Int { retriesFlag ?? (forUI ? 1 : 3) }

    /// Resolves flags, environment and config file into a ready service.
    func makeService() throws -> (HTTPPodService, ResolvedConnection) {
        let env = ProcessInfo.processInfo.environment
        let config = try ConfigFile.load(path: ConfigFile.path(environment: env))
        return try makeService(config: config, profile: profile)
    }

    /// The same, with an already loaded config and a profile name (`:profile`).
    func makeService(config: ConfigFile, profile: String?) throws -> (HTTPPodService, ResolvedConnection) {
        let env = ProcessInfo.processInfo.environment
        let resolved = try ConnectionResolver.resolve(
            flags: ConnectionFlags(baseURL: baseURL, apiKeyFile: apiKeyFile, profile: profile), environment: env, config: config,
            shared: { try YottaCLIConfig.load(path: YottaCLIConfig.defaultPath(environment: env)) },
            credentials: { try YottaCredentials.load(path: YottaCredentials.defaultPath(environment: env)) })
        Secrets.register(resolved.apiKey.secret)
        var configuration = ClientConfiguration(
            baseURL: resolved.baseURL, apiKey: resolved.apiKey, connectTimeout: connectTimeout,
            requestTimeout: requestTimeout, readIdleTimeout: readTimeout, retry: RetryPolicy(maxAttempts: retries))
        // Pause timers belong to an endpoint and profile: the service says whose it is.
        configuration.profile = resolved.profileName
        return (HTTPPodService(configuration: configuration), resolved)
    }
}

import PodTUICore
