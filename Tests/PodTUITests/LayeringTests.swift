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
    static let allowedReducerUses = [
        // moved when the timer model changes
        "TimerReducer.presets",
    ]

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
        #expect(!calls("TimerReducer", in: "let p = TimerReducer.presets"))
        #expect(calls("TimerReducer", in: "let p = TimerReducer.presets + TimerReducer.unavailableReason(state)"))
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

    @Test("the UI binary's modules import FoundationEssentials, never full Foundation (no ICU in podtui)")
    func noFullFoundation() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        for module in ["PodAPI", "PodLocal", "PodProbe", "PodTUICore", "PodTUI", "PodCLI"] {
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
                for module in ["CNcurses", "TermGuard", "Logging", "Glibc", "Dispatch"] where text.contains("import \(module)") {
                    Issue.record("\(path) imports \(module)")
                }
            }
        }
    }
}
