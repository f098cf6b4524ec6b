import Foundation
import Testing
import PodAPI

/// The layering rules inside PodTUICore, checked on the source (the compiler checks the
/// target boundaries; inside one target only a test can): state, input, the form, text and
/// the reducers never use a view, and views never call a reducer. And PodTUICore imports no
/// terminal, signal or logging module.
@Suite("Layers")
struct LayeringTests {
    static let core = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Sources/PodTUICore")

    func files(_ folder: String) throws -> [(String, String)] {
        let dir = Self.core.appendingPathComponent(folder)
        return try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".swift") }.sorted().map {
            ("\(folder)/\($0)", try String(contentsOf: dir.appendingPathComponent($0), encoding: .utf8))
        }
    }

    /// Names of the types declared at the top level of the files.
    func declared(_ sources: [(String, String)]) -> Set<String> {
        var names = Set<String>()
        for (_, text) in sources {
            for line in text.split(separator: "\n") {
                let words = line.split(separator: " ")
                guard let kind = words.firstIndex(where: { ["enum", "struct", "class", "actor"].contains($0) }),
                      !line.hasPrefix(" "), kind + 1 < words.count else { continue }
                names.insert(String(words[kind + 1].prefix { $0.isLetter || $0.isNumber }))
            }
        }
        return names
    }

    /// True when code (not a comment) names `name`.
    func uses(_ name: String, in text: String) -> Bool {
        let code = text.split(separator: "\n").map { line -> Substring in
            guard let comment = line.range(of: "//") else { return line }
            return line[..<comment.lowerBound]
        }.joined(separator: "\n")
        return code.range(of: "\\b\(name)\\b", options: .regularExpression) != nil
    }

    @Test("state, input, form, text and reducers use no view")
    func lowerLayersUseNoView() throws {
        let views = declared(try files("Render")).subtracting(["Screen", "Style", "ColorRole", "Cell"])
        for folder in ["State", "Input", "Form", "Text", "Reduce"] {
            for (path, text) in try files(folder) {
                for view in views where uses(view, in: text) {
                    Issue.record("\(path) uses the view \(view)")
                }
            }
        }
    }

    /// The reducer namespaces: every type declared in Reduce/ whose name says it reduces
    /// (a new one is checked without a change here).
    func reducers() throws -> Set<String> {
        declared(try files("Reduce")).filter { $0.hasSuffix("Reducer") }
    }

    /// Uses allowed until their rule moves onto a State type, each with why.
    /// None is left (the timer presets moved to `Input/TimerPresets`); a new one needs a
    /// line here saying why.
    static let allowedReducerUses: [String] = []

    /// True when code in `text` names `reducer`, apart from the allowed uses.
    func calls(_ reducer: String, in text: String) -> Bool {
        var code = text
        for allowed in Self.allowedReducerUses { code = code.replacingOccurrences(of: allowed, with: "") }
        return uses(reducer, in: code)
    }

    @Test("the reducer names checked come from Reduce/'s declarations")
    func reducerNamesDerived() throws {
        let names = try reducers()
        for expected in ["Reducer", "FormReducer", "InputReducer", "StorageReducer", "ProbeReducer", "TimerReducer"] {
            #expect(names.contains(expected), "\(expected) is not found among Reduce/'s declarations: \(names.sorted())")
        }
        #expect(!names.contains("Effect") && !names.contains("Action"))
    }

    @Test("the check sees a call into any reducer, and lets through only the allowed use")
    func checkCanFail() {
        #expect(calls("StorageReducer", in: "let i = StorageReducer.selectedIndex(state)"))
        #expect(!calls("StorageReducer", in: "// StorageReducer.selectedIndex(state) in a comment"))
        #expect(calls("TimerReducer", in: "let p = TimerReducer.presets"))
    }

    @Test("text helpers use no UI type; state, input and the form call no reducer")
    func baseLayers() throws {
        let ui = declared(try files("State") + files("Input") + files("Form") + files("Reduce") + files("Render"))
        for (path, text) in try files("Text") {
            for name in ui where uses(name, in: text) { Issue.record("\(path) uses \(name)") }
        }
        let reducers = try reducers()
        for folder in ["State", "Input", "Form"] {
            for (path, text) in try files(folder) {
                for reducer in reducers where calls(reducer, in: text) {
                    Issue.record("\(path) calls \(reducer)")
                }
            }
        }
    }

    @Test("views call no reducer")
    func viewsCallNoReducer() throws {
        let reducers = try reducers()
        for (path, text) in try files("Render") {
            for reducer in reducers where calls(reducer, in: text) {
                Issue.record("\(path) calls \(reducer)")
            }
        }
    }

    @Test("render reads nothing from the process: no clock, time zone, registry or environment")
    func renderIsPure() throws {
        for folder in ["Render", "State", "Reduce", "Form", "Input", "Text"] {
            for (path, text) in try files(folder) {
                for ambient in ["Secrets.", "Calendar.current", "TimeZone.current", "Date()", "ProcessInfo", "Locale.current"] where text.contains(ambient) {
                    Issue.record("\(path) reads \(ambient)")
                }
            }
        }
    }

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Each target of Package.swift with the targets it depends on (products left out), read
    /// from the manifest's text: `.target(name: "X", dependencies: ["A", .product(...)], ...)`.
    static func targets() throws -> [String: [String]] {
        let manifest = try String(contentsOf: root.appendingPathComponent("Package.swift"), encoding: .utf8)
        var out: [String: [String]] = [:]
        let chunks = manifest.components(separatedBy: "name: \"").dropFirst()
        for chunk in chunks {
            guard let close = chunk.firstIndex(of: "\"") else { continue }
            let name = String(chunk[..<close])
            let rest = chunk[close...]
            guard let deps = rest.range(of: "dependencies: ["), rest[..<deps.lowerBound].count < 40 else { out[name] = out[name] ?? []; continue }
            var depth = 1, index = deps.upperBound, body = ""
            while index < rest.endIndex, depth > 0 {
                let c = rest[index]
                if c == "[" || c == "(" { depth += 1 } else if c == "]" || c == ")" { depth -= 1 }
                if depth > 0 { body.append(c) }
                index = rest.index(after: index)
            }
            // Quoted names outside `.product(...)`.
            var names: [String] = []
            var inProduct = 0
            var word: String?
            for c in body {
                if c == "(" { inProduct += 1 } else if c == ")" { inProduct -= 1 }
                if c == "\"" { if let w = word { if inProduct == 0 { names.append(w) }; word = nil } else { word = "" }; continue }
                if word != nil { word?.append(c) }
            }
            out[name] = names
        }
        return out
    }

    /// `target` and everything it depends on, directly or not.
    static func closure(_ target: String, in graph: [String: [String]]) -> Set<String> {
        var seen: Set<String> = [], todo = [target]
        while let next = todo.popLast() {
            guard seen.insert(next).inserted else { continue }
            todo += graph[next] ?? []
        }
        return seen
    }

    /// The Swift sources of a target (empty for C and system-library targets).
    static func sources(_ target: String) -> [(String, String)] {
        let dir = root.appendingPathComponent("Sources/\(target)")
        guard let walker = FileManager.default.enumerator(atPath: dir.path) else { return [] }
        return walker.compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") }.sorted().compactMap { file in
            (try? String(contentsOf: dir.appendingPathComponent(file), encoding: .utf8)).map { ("\(target)/\(file)", $0) }
        }
    }

    /// Marks of network and process I/O in Swift source.
    static let networkOrProcess = ["import AsyncHTTPClient", "import NIO", "posix_spawn", "fork()", "execv", "HTTPClient(", "waitpid"]
    /// Marks of file I/O.
    static let fileIO = ["FileManager", "contentsOfFile", "flock(", "fsync(", "mkdir(", "Glibc.open(", "Glibc.rename(", "O_CREAT", "O_RDONLY", "O_WRONLY"]

    /// Targets PodTUICore reaches that may do file I/O, each with why. None: the files are
    /// PodFiles' and PodLocalFiles', which only the runtime and the CLI import.
    static let fileIOAllowed: [String: String] = [:]

    @Test("the compiler keeps I/O out of PodTUICore: none of the targets it depends on does network, process or file I/O")
    func coreDependsOnModelsOnly() throws {
        let graph = try Self.targets()
        #expect(graph["PodTUICore"] != nil && graph["PodCLI"] != nil, "Package.swift was not read: \(graph.keys.sorted())")
        let reach = Self.closure("PodTUICore", in: graph)
        #expect(reach == ["PodTUICore", "PodAPI", "PodLocal", "PodProbe", "CYAML", "Libc"], "\(reach.sorted())")
        for target in reach.sorted() {
            for (path, text) in Self.sources(target) {
                for mark in Self.networkOrProcess where text.contains(mark) { Issue.record("\(path) does network or process I/O (\(mark))") }
                guard Self.fileIOAllowed[target] == nil else { continue }
                let code = text.split(separator: "\n").filter { !$0.trimmed.hasPrefix("//") }.joined(separator: "\n")
                for mark in Self.fileIO where code.contains(mark) { Issue.record("\(path) does file I/O (\(mark))") }
            }
        }
    }

    @Test("the watcher's model (PodWatch) depends on models only and does no I/O; its runtime is PodWatchRunner")
    func watchModelIsPure() throws {
        let graph = try Self.targets()
        let reach = Self.closure("PodWatch", in: graph)
        #expect(reach == ["PodWatch", "PodTUICore", "PodAPI", "PodLocal", "PodProbe", "CYAML", "Libc"], "\(reach.sorted())")
        let sources = Self.sources("PodWatch")
        #expect(!sources.isEmpty)
        for (path, text) in sources {
            let code = text.split(separator: "\n").filter { !$0.trimmed.hasPrefix("//") }.joined(separator: "\n")
            for mark in Self.networkOrProcess + Self.fileIO where code.contains(mark) { Issue.record("\(path) does I/O (\(mark))") }
        }
        #expect(Self.closure("PodWatchRunner", in: graph).contains("PodWatch"))
    }

    @Test("the UI binary's modules import FoundationEssentials, never full Foundation (no ICU in podtui)")
    func noFullFoundation() throws {
        let root = Self.root
        // Every Swift target the podtui executable is built from, read from Package.swift.
        let modules = Self.closure("PodCLI", in: try Self.targets()).filter { !Self.sources($0).isEmpty }.sorted()
        #expect(modules.contains("PodTUICore") && modules.contains("PodClient") && !modules.contains("PodSim"), "\(modules)")
        for module in modules {
            let dir = root.appendingPathComponent("Sources/\(module)")
            let files = try #require(FileManager.default.enumerator(atPath: dir.path)).compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") }
            #expect(!files.isEmpty)
            for file in files {
                let text = try String(contentsOf: dir.appendingPathComponent(file), encoding: .utf8)
                for line in text.split(separator: "\n") where !line.trimmed.hasPrefix("//") && !line.trimmed.hasPrefix("*") {
                    // `import X`, `@preconcurrency import X`, `@_exported import X`, `import struct X.Y`.
                    let words = line.split(separator: " ").flatMap { $0.split(separator: ".") }
                    guard words.contains("import") else { continue }
                    if words.contains(where: { ["Foundation", "FoundationNetworking", "FoundationXML", "FoundationInternationalization"].contains(String($0)) }) {
                        Issue.record("\(module)/\(file): \(line)")
                    }
                }
            }
        }
    }

    @Test("PodTUICore imports no terminal, signal or logging module")
    func pureImports() throws {
        for folder in ["State", "Input", "Form", "Text", "Reduce", "Render"] {
            for (path, text) in try files(folder) {
                for module in ["CNcurses", "TermGuard", "Logging", "Glibc", "Darwin", "Libc", "Dispatch"] where text.contains("import \(module)") {
                    Issue.record("\(path) imports \(module)")
                }
            }
        }
    }

    @Test("the C library comes through Libc only: no copied #if canImport(Glibc) blocks, no Glibc-only calls")
    func oneLibcShim() throws {
        var checked = 0
        for target in try Self.targets().keys.sorted() where target != "Libc" {
            for (path, text) in Self.sources(target) {
                checked += 1
                for mark in ["canImport(Glibc)", "import Glibc", "import Darwin", "Glibc."] where text.contains(mark) {
                    Issue.record("\(path) has \(mark): import Libc (and write Libc.read) instead")
                }
            }
        }
        #expect(checked > 150)
    }
}
