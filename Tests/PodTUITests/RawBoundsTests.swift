import Foundation
import Testing
import PodAPI
@testable import PodTUICore

/// Issue 24 (review L12, L4): the raw view's parser has its own depth limit, and the view's
/// lines are made once per reply and per `e`, within stated bounds.
@Suite("The raw view is bounded")
struct RawBoundsTests {
    let now = Fixtures.now

    @Test("RawJSON: 100,000 open brackets give nil without crashing; 256 levels parse, render and compare; 257 do not")
    func depthCap() throws {
        #expect(RawJSON.parse(String(repeating: "[", count: 100_000)) == nil)
        #expect(RawJSON.parse(String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)) == nil)
        #expect(RawJSON.parse(String(repeating: "{\"a\":", count: 10_000) + "1" + String(repeating: "}", count: 10_000)) == nil)
        let deepest = String(repeating: "[", count: RawJSON.maxDepth) + "1" + String(repeating: "]", count: RawJSON.maxDepth)
        let value = try #require(RawJSON.parse(deepest))
        #expect(value == RawJSON.parse(deepest))
        #expect(value.lines(mask: true).count == 2 * RawJSON.maxDepth + 1)
        let over = String(repeating: "[", count: RawJSON.maxDepth + 1) + "1" + String(repeating: "]", count: RawJSON.maxDepth + 1)
        #expect(RawJSON.parse(over) == nil)
        #expect(RawJSON.parse(#"{"a":[1,{"b":"c"}],"d":null}"#) != nil, "ordinary JSON still parses")
    }

    func rawState(_ body: String, secret: String? = nil) -> AppState {
        var state = Fixtures.loaded()
        state.nav.selectedID = Fixtures.pods[0].id
        if let secret { state.settings.redactor.add(secret) }
        _ = Reducer.reduce(&state, .key(.char("y"), now))
        _ = Reducer.reduce(&state, .rawLoaded(podID: Fixtures.pods[0].id, .success(body)))
        return state
    }

    @Test("the lines are made when the reply comes and when e toggles, masked and redacted, and the view draws them")
    func cachedLines() throws {
        let body = #"{"code":10000,"data":{"id":1,"note":"token is tok-abcdef-123","envVars":[{"key":"K","value":"v-secret-v"}]}}"#
        var state = rawState(body, secret: "tok-abcdef-123")
        let masked = try #require(state.raw?.lines)
        #expect(state.raw?.masked == true)
        #expect(masked.contains { $0.contains("<redacted>") } && !masked.joined().contains("tok-abcdef-123"))
        #expect(!masked.joined().contains("v-secret-v"))
        let screen = Render.render(state, size: Size(width: 100, height: 30))
        #expect(screen.text.contains("<redacted>") && screen.text.contains("\"id\": 1"))
        _ = Reducer.reduce(&state, .key(.char("e"), now))
        let revealed = try #require(state.raw?.lines)
        #expect(state.raw?.masked == false && revealed.joined().contains("v-secret-v"))
        #expect(!revealed.joined().contains("tok-abcdef-123"), "revealing masks less, never un-redacts")
    }

    @Test("a body over 4 MiB is not parsed and says so; lines are capped in number and length")
    func hugeBodies() throws {
        let big = "{\"data\":\"" + String(repeating: "x", count: RawJSON.maxBytes) + "\"}"
        let tooBig = rawState(big)
        #expect(tooBig.raw?.json == nil && tooBig.raw?.lines.isEmpty == true)
        #expect(tooBig.raw?.error?.contains("too large") == true)

        let many = "[" + (0..<(RawPodState.maxLines + 500)).map(String.init).joined(separator: ",") + "]"
        let long = rawState(many)
        #expect(long.raw?.lines.count == RawPodState.maxLines)
        #expect(long.raw?.omitted == 502)   // the numbers, plus "[" and "]", minus the lines kept
        let wide = rawState("{\"a\":\"" + String(repeating: "y", count: 100_000) + "\"}")
        #expect(wide.raw?.lines.allSatisfy { $0.count <= RawPodState.maxLineLength + 1 } == true)
    }
}
