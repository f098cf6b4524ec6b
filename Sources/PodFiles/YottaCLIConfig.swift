import FoundationEssentials
import PodAPI
import Libc

/// `~/.yotta/config`: the INI file the official `yotta configure` writes (Python's
/// `configparser`: one `[section]` per profile with `api_key` and `base_url`). podtui reads it
/// as its lowest-precedence source and `podtui configure` writes it, so both tools share one
/// login.
///
/// The reader follows configparser's rules where they matter for this file: `key = value` or
/// `key: value`, keys case-insensitive, full-line `#` and `;` comments, indented continuation
/// lines, and a `[DEFAULT]` section whose keys every section inherits. Interpolation is not
/// applied (values are taken as written, which is what a key or URL needs).
public struct YottaCLIConfig: Sendable, Equatable {
    /// Sections in file order, each with its keys (lower-cased) in order.
    public private(set) var sections: [(name: String, values: [(key: String, value: String)])]
    public var path: String?

    public static func == (a: YottaCLIConfig, b: YottaCLIConfig) -> Bool {
        a.path == b.path && a.sections.count == b.sections.count
            && zip(a.sections, b.sections).allSatisfy { $0.name == $1.name && $0.values.map(\.key) == $1.values.map(\.key) && $0.values.map(\.value) == $1.values.map(\.value) }
    }

    public init(path: String? = nil, sections: [(name: String, values: [(key: String, value: String)])] = []) {
        self.path = path; self.sections = sections
    }

    /// `$HOME/.yotta/config`, where the official CLI keeps it.
    public static func defaultPath(environment: [String: String]) -> String {
        HomeDirectory.path(environment: environment) + "/.yotta/config"
    }

    /// A problem with the file, naming its line.
    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        public var line: Int
        public var message: String
        public var description: String { "line \(line): \(message)" }
    }

    /// Parses the text of the file.
    public static func parse(_ text: String) throws(ParseError) -> YottaCLIConfig {
        var config = YottaCLIConfig()
        var current: Int?
        var lastKey: String?
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let lineNumber = index + 1
            var line = Substring(rawLine)
            if line.hasSuffix("\r") { line = line.dropLast() }
            let trimmed = line.trimmed
            if trimmed.isEmpty { lastKey = nil; continue }
            if trimmed.hasPrefix("#") || trimmed.hasPrefix(";") { continue }
            // An indented line continues the value above it (configparser's multi-line values).
            if line.first == " " || line.first == "\t", let section = current, let key = lastKey {
                config.append(section: section, key: key, continuation: Substring(trimmed))
                continue
            }
            if trimmed.hasPrefix("[") {
                guard trimmed.hasSuffix("]"), trimmed.count > 2 else {
                    throw ParseError(line: lineNumber, message: "a section header must look like [name]")
                }
                let name = String(trimmed.dropFirst().dropLast())
                if let existing = config.sections.firstIndex(where: { $0.name == name }) {
                    throw ParseError(line: lineNumber, message: "section [\(config.sections[existing].name)] appears twice")
                }
                config.sections.append((name: name, values: []))
                current = config.sections.count - 1
                lastKey = nil
                continue
            }
            guard let section = current else {
                throw ParseError(line: lineNumber, message: "a setting before any [section]")
            }
            guard let split = line.firstIndex(where: { $0 == "=" || $0 == ":" }) else {
                throw ParseError(line: lineNumber, message: "expected key = value")
            }
            let key = line[..<split].trimmed.lowercased()
            guard !key.isEmpty else { throw ParseError(line: lineNumber, message: "a value without a key") }
            let value = line[line.index(after: split)...].trimmed
            config.set(section: section, key: key, value: value)
            lastKey = key
        }
        return config
    }

    /// Reads the file; a missing file is an empty config. A file that holds a key must be
    /// owner-only, as podtui's own config and key files are.
    public static func load(path: String) throws -> YottaCLIConfig {
        // Only a missing file is "no config"; an unreadable or non-UTF-8 one is an error (and
        // `podtui configure` then writes nothing over it).
        let read: String?
        do { read = try AtomicFile.readText(path) } catch { throw PodAPIError.configuration((error as? DiskError)?.message ?? "Cannot read \(path)") }
        guard let text = read else { return YottaCLIConfig(path: nil) }
        try FilePermissions.checkDirectory(of: path)
        var config: YottaCLIConfig
        do { config = try parse(text) } catch { throw PodAPIError.configuration("\(path): \(error)") }
        config.path = path
        let holdsKey = config.sections.contains { $0.values.contains { $0.key == "api_key" } }
        try FilePermissions.checkConfig(path: path, holdsSecret: holdsKey)
        return config
    }

    /// The section names other than DEFAULT.
    public var profileNames: [String] { sections.map(\.name).filter { $0 != "DEFAULT" } }

    /// A value of a section, falling back to `[DEFAULT]` as configparser does; nil when the
    /// section is missing, or the value empty.
    public func value(_ key: String, in section: String) -> String? {
        guard sections.contains(where: { $0.name == section }) || section == "DEFAULT" else { return nil }
        let found = sections.first { $0.name == section }?.values.first { $0.key == key }?.value
            ?? sections.first { $0.name == "DEFAULT" }?.values.first { $0.key == key }?.value
        return (found?.isEmpty ?? true) ? nil : found
    }

    /// True when the section exists.
    public func has(section: String) -> Bool { sections.contains { $0.name == section } }

    /// Sets a value, adding the section (at the end) or the key (at the end of it) if needed.
    public mutating func set(section name: String, key: String, value: String) {
        let index: Int
        if let found = sections.firstIndex(where: { $0.name == name }) { index = found } else {
            sections.append((name: name, values: [])); index = sections.count - 1
        }
        set(section: index, key: key.lowercased(), value: value)
    }

    private mutating func set(section index: Int, key: String, value: String) {
        if let at = sections[index].values.firstIndex(where: { $0.key == key }) {
            sections[index].values[at].value = value
        } else {
            sections[index].values.append((key: key, value: value))
        }
    }

    private mutating func append(section index: Int, key: String, continuation: Substring) {
        guard let at = sections[index].values.firstIndex(where: { $0.key == key }) else { return }
        sections[index].values[at].value += "\n" + continuation
    }

    /// The file as configparser writes it: `[name]`, `key = value` lines, a blank line after
    /// each section (comments are not kept, as configparser does not keep them either).
    public var text: String {
        var out = ""
        for section in sections {
            out += "[\(section.name)]\n"
            for (key, value) in section.values {
                out += "\(key) = \(value.replacing("\n", with: "\n\t"))\n"
            }
            out += "\n"
        }
        return out
    }

    /// Writes the file as the official CLI does: directory 0700 (an existing one must be the
    /// user's and not writable by others), file 0600, replaced in one step (`AtomicFile`:
    /// synced, renamed, a failure keeps the old file), so a crash never leaves half a login.
    /// A symlinked file (a dotfile manager's) is written through to its target.
    public func write(to path: String) throws {
        let directory = String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)])
        if !directory.isEmpty { try PrivateDirectory.ensure(directory) }
        try AtomicFile.write(text, to: path, mode: 0o600, followSymlink: true)
    }
}
