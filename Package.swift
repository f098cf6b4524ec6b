// swift-tools-version:6.0
import PackageDescription

/// Settings every Swift target shares: Swift 6 language mode (strict concurrency is on by
/// default there) plus the upcoming features that make `any` explicit.
let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
]

/// For the modules of the UI binary that never reflect on their own types (no Mirror, no
/// printing a type without a `description`): release builds leave out reflection metadata,
/// which only `Mirror` and debuggers read (PodCLI keeps it: swift-argument-parser finds the
/// options of a command through Mirror).
let noReflection: [SwiftSetting] = [
    .unsafeFlags(["-Xfrontend", "-disable-reflection-metadata"], .when(configuration: .release)),
]

let package = Package(
    name: "podtui",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "podtui", targets: ["PodCLI"]),
        .executable(name: "podtui-sim", targets: ["PodSimCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/google/swift-benchmark", from: "0.1.2"),
        // The watcher's /metrics page (see README, "Why these libraries").
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        // NIO itself (already under AsyncHTTPClient): the /metrics listener is a small NIOHTTP1 server.
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    ],
    targets: [
        // ncursesw through a system-library module: module.modulemap + a stateless shim.
        // No pkgConfig: Debian's ncursesw.pc carries -D flags SwiftPM rejects.
        .systemLibrary(name: "CNcurses", path: "Sources/CNcurses", providers: [.apt(["libncurses-dev"])]),
        // Plain C for what must live in one place: signal flags and the saved termios.
        .target(name: "TermGuard", linkerSettings: [.linkedLibrary("ncursesw")]),
        // libyaml, for podtui's settings file (see Sources/CYAML/shim.h for why not Yams).
        .systemLibrary(name: "CYAML", path: "Sources/CYAML", providers: [.apt(["libyaml-dev"])]),
        // The C library under one name (Glibc on Linux, Darwin on macOS), re-exported.
        .target(name: "Libc", swiftSettings: swiftSettings),
        // The Yotta v2 model: pods, statuses, requests, errors, lenient decoding and the list
        // fast path, metrics, the create and volume rules, and (for now) the configuration
        // files. No network: PodTUICore depends on it.
        .target(
            name: "PodAPI",
            dependencies: [
                "CYAML", "Libc",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings + noReflection
        ),
        // The user's files, read and written safely: the one atomic writer (AtomicFile),
        // permission checks, config.yaml's loading, ~/.yotta/config, ~/.ssh/config, key files
        // and the connection they resolve to. The runtime, the CLI and PodLocalFiles only.
        .target(
            name: "PodFiles",
            dependencies: ["PodAPI"],
            swiftSettings: swiftSettings + noReflection
        ),
        // The HTTP client (AsyncHTTPClient): HTTPPodService with its transport, retries,
        // decoding of answers and the metrics routes. The UI runtime and the CLI only.
        .target(
            name: "PodClient",
            dependencies: [
                "PodAPI",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                // A big reply's bytes handed over as Data without a copy (ByteBuffer.getData).
                .product(name: "NIOFoundationEssentialsCompat", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings + noReflection
        ),
        .target(
            name: "PodSim",
            dependencies: [
                "PodAPI",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // What podtui keeps on this machine between runs, the model: ledger lines and the
        // spend arithmetic, pause timers and their owners, idle records. No I/O.
        .target(
            name: "PodLocal",
            dependencies: ["PodAPI"],
            swiftSettings: swiftSettings + noReflection
        ),
        // Those files in the state directory: the ledger, timers and idle clocks with the
        // locks that let several podtui processes share them, templates, and the timer
        // runner. The UI runtime and the CLI only.
        .target(
            name: "PodLocalFiles",
            dependencies: ["PodAPI", "PodFiles", "PodLocal"],
            swiftSettings: swiftSettings + noReflection
        ),
        // Seeing inside pods, the model: an sshCmd read as host/port/user, the probe's command
        // line, nvidia-smi/rocm-smi output, the idle clock and the probe schedule. No I/O.
        .target(
            name: "PodProbe",
            dependencies: ["PodAPI"],
            swiftSettings: swiftSettings + noReflection
        ),
        // Running probes: the ssh child processes with their deadline and sockets, and the
        // safe child-process spawn the UI runtime uses too. The UI runtime and the CLI only.
        .target(
            name: "PodProbeRunner",
            dependencies: ["PodAPI", "PodProbe"],
            swiftSettings: swiftSettings + noReflection
        ),
        // The pure UI: state, input and bindings, reducers, the form, filter and sort, and
        // views rendering to a `Screen`. No terminal, no I/O, no clock: it must not depend on
        // CNcurses, TermGuard or Logging (the compiler enforces it through this list).
        .target(
            name: "PodTUICore",
            dependencies: ["PodAPI", "PodLocal", "PodProbe"],
            swiftSettings: swiftSettings + noReflection
        ),
        // The UI runtime: the loop, Store, StateBox, Poller, the ncurses terminal, external
        // processes and the file log.
        .target(
            name: "PodTUI",
            dependencies: [
                "PodAPI", "PodClient", "PodFiles", "PodLocal", "PodLocalFiles", "PodProbe", "PodProbeRunner", "PodTUICore", "CNcurses", "TermGuard",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings + noReflection
        ),
        // `podtui watch`, the model: events and what the watcher last saw, their detection from
        // one look to the next, per-target filters, the delivery outbox's rules, the webhook
        // body and the figures the /metrics page shows. No I/O.
        .target(
            name: "PodWatch",
            dependencies: ["PodAPI", "PodLocal", "PodProbe", "PodTUICore"],
            swiftSettings: swiftSettings + noReflection
        ),
        // `podtui watch`, the runtime: the headless loop around the store, the event journal
        // and outbox files, webhook and exec delivery, and the /metrics listener. The CLI only.
        .target(
            name: "PodWatchRunner",
            dependencies: [
                "PodAPI", "PodClient", "PodFiles", "PodLocal", "PodLocalFiles", "PodProbe", "PodProbeRunner", "PodTUICore", "PodTUI", "PodWatch",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings + noReflection
        ),
        .executableTarget(
            name: "PodCLI",
            dependencies: [
                "PodAPI", "PodClient", "PodFiles", "PodLocal", "PodLocalFiles", "PodProbe", "PodProbeRunner", "PodTUICore", "PodTUI", "PodWatch", "PodWatchRunner", "TermGuard",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // `podtui-sim`: the simulator's own executable (Hummingbird and full Foundation stay
        // out of the UI binary). `podtui --demo` and `podtui sim` run it.
        .executableTarget(
            name: "PodSimCLI",
            dependencies: [
                "PodAPI", "PodSim",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        // Micro-benchmarks (scripts/bench): google/swift-benchmark for timing and reporting,
        // plus a malloc wrapper that counts allocations. ordo-one/benchmark would count them
        // itself, but on Linux with Swift 6.3 it needs swift-runtime-interposer, which is
        // not available here.
        .target(name: "AllocCounter", path: "Benchmarks/AllocCounter"),
        .executableTarget(
            name: "PodBench",
            dependencies: [
                "PodAPI", "PodClient", "PodTUICore", "AllocCounter",
                .product(name: "Benchmark", package: "swift-benchmark"),
            ],
            path: "Benchmarks/PodBench",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PodAPITests",
            dependencies: ["PodAPI", "PodClient", "PodFiles", "PodSim"],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PodTUITests",
            dependencies: ["PodTUICore", "PodTUI", "PodAPI", "PodClient", "PodFiles", "PodLocal", "PodLocalFiles", "PodProbe", "PodProbeRunner", "PodSim", "PodWatch", "PodWatchRunner"],
            swiftSettings: swiftSettings
        ),
    ]
)
