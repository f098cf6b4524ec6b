import Foundation
import Testing
import PodAPI
@testable import PodTUICore

/// The `:` commands as data: every command runs through an exhaustive switch (none falls
/// into a quit), and the `:` binding's help names every one.
@Suite("Line commands")
struct LineCommandTests {
    let now = Fixtures.now

    @Test("every : command runs without quitting, except :quit")
    func noneQuitsButQuit() {
        for command in LineCommand.allCases {
            for line in [command.rawValue, command.rawValue + " x"] {
                var state = Fixtures.loaded()
                state.settings.probesAvailable = true
                _ = InputReducer.run(&state, line)
                #expect(state.shouldQuit == (command == .quit), ":\(line) quit: \(state.shouldQuit)")
            }
        }
    }

    @Test("a unique prefix names its command; an unknown word quits nothing and lists the commands")
    func prefixes() {
        #expect(LineCommand.resolve("ssh") == .success(.sshConfig))
        #expect(LineCommand.resolve("q") == .success(.quit))
        #expect(LineCommand.resolve("p") == .failure(.init(candidates: [.pods, .plugins, .probe, .profile])))
        var state = Fixtures.loaded()
        _ = InputReducer.run(&state, "frobnicate")
        #expect(!state.shouldQuit)
        #expect(state.message?.text == "Unknown command :frobnicate (try \(LineCommand.allCases.map(\.rawValue).joined(separator: ", ")))")
    }

    @Test("the : binding's help names every command")
    func helpNamesEvery() throws {
        for mode in [Mode.list, .detail, .views, .raw, .storage] {
            let binding = try #require(KeyBindings.bindings(in: mode).first { $0.command == .command && !$0.keys.isEmpty })
            let help = binding.description
            for command in LineCommand.allCases {
                #expect(help.contains(":" + command.rawValue), "\(mode): the : help leaves out :\(command.rawValue)")
            }
        }
    }

    @Test("the input line hints the usage of the command typed")
    func usageHint() {
        var state = Fixtures.loaded()
        state.nav.input = InputLine(kind: .command, text: "ssh-c")
        let screen = Render.render(state, size: Size(width: 120, height: 24))
        #expect(screen.lines[22].contains(LineCommand.sshConfig.usage))
    }
}
