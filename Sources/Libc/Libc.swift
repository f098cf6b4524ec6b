// The C library, once: every file that calls `read`, `open`, `poll`, `flock`… imports Libc
// instead of copying the `#if canImport(Glibc) … #elseif canImport(Darwin)` block, and a
// call that must be told from a Swift name of the same spelling says `Libc.read`, which
// means Glibc's on Linux and Darwin's on macOS.
#if canImport(Glibc)
@_exported import Glibc
#elseif canImport(Darwin)
@_exported import Darwin
#endif
