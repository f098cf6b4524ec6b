import FoundationEssentials
import Libc
import PodAPI

/// Finds `podtui-sim`, the simulator's executable: beside the running `podtui` first (an
/// install copies both into one folder), then on PATH.
public enum SimulatorBinary {
    /// The simulator's file name.
    public static let name = "podtui-sim"

    /// The path of an executable `podtui-sim`.
    /// - Throws: `PodAPIError.configuration` naming where it looked.
    public static func locate() throws -> String {
        var looked: [String] = []
        if let own = executablePath() {
            let beside = URL(fileURLWithPath: own).deletingLastPathComponent().appendingPathComponent(name).path
            if access(beside, X_OK) == 0 { return beside }
            looked.append(beside)
        }
        for dir in (getenv("PATH").map { String(cString: $0) } ?? "").split(separator: ":") where !dir.isEmpty {
            let candidate = "\(dir)/\(name)"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        looked.append("PATH")
        throw PodAPIError.configuration("\(name) (the simulator) was not found: looked at \(looked.joined(separator: " and ")); install it beside podtui (scripts/install does; in a checkout, run swift build first)")
    }

    /// This process's executable, from /proc (a symlink to the real file, so a `podtui` run
    /// through a symlink still finds its own folder).
    static func executablePath() -> String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        if n > 0 { return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self) }
        let argv0 = CommandLine.arguments.first ?? ""
        return argv0.contains("/") ? argv0 : nil
    }
}
