import Foundation
import Testing
import PodAPI
@testable import PodTUI
@testable import PodTUICore

/// What a long session or a hostile reply could grow without end stays bounded: the log
/// file and a screen cell.
@Suite("Bounded growth")
struct BoundedTests {
    @Test("the log rotates at its limit: at most two files of about the limit each")
    func logRotates() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("podtui-log-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("podtui.log").path
        let sink = try #require(FileLogSink(path: path, limit: 4096))
        let line = String(repeating: "x", count: 99)
        for _ in 0..<1_000 { sink.write(line) }   // 100 KB written through a 4 KB limit
        let size = { (p: String) -> Int in
            ((try? FileManager.default.attributesOfItem(atPath: p)[.size]) as? NSNumber)?.intValue ?? -1
        }
        #expect(size(path) <= 4096 + 100)
        #expect(size(path + ".1") <= 4096 + 100 && size(path + ".1") > 0)
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        #expect(names == ["podtui.log", "podtui.log.1"])
        // A sink opened on a large existing file rotates at its first line.
        let again = try #require(FileLogSink(path: path, limit: 1024))
        again.write("first line of a new run")
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "first line of a new run\n")
    }

    @Test("a name of thousands of combining marks fills one cell with at most five scalars")
    func combiningMarks() {
        var screen = Screen(size: Size(width: 20, height: 2))
        screen.put("e" + String(repeating: "\u{0301}", count: 10_000) + "x", row: 0, col: 0)
        #expect(screen.cells[0].text.unicodeScalars.count == Screen.maxScalarsPerCell)
        #expect(screen.cells[1].text == "x")
    }
}
