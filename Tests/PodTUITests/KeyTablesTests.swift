import Foundation
import Testing
@testable import PodTUICore

@Suite("README key tables")
struct KeyTablesTests {
    @Test("the README's key tables are the bindings table (run scripts/update-readme-keys after changing a binding)")
    func readmeMatchesTable() throws {
        let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("README.md")
        let text = try String(contentsOf: readme, encoding: .utf8)
        let begin = try #require(text.range(of: "<!-- keys:begin -->\n")), end = try #require(text.range(of: "<!-- keys:end -->"))
        let inReadme = String(text[begin.upperBound..<end.lowerBound])
        #expect(inReadme == KeyTables.markdown().trimmingCharacters(in: .newlines) + "\n",
                "README.md key tables are out of date: run scripts/update-readme-keys")
    }

    @Test("every command bound to a key appears with its [keys] name, dangerous ones say they ask")
    func everyCommandListed() {
        let markdown = KeyTables.markdown()
        for binding in KeyBindings.all where binding.describedKeys == nil {
            #expect(markdown.contains("`\(binding.command.rawValue)`"), "\(binding.command)")
        }
        #expect(markdown.contains("(asks first)"))
    }
}
