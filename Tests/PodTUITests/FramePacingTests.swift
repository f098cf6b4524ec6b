import Testing
@testable import PodTUI

/// The terminal loop's pacing: input is drawn at once, background changes at most once a
/// second, and the headline (a first list, the connection failing or back) at once.
@Suite("Frame pacing")
struct FramePacingTests {
    let steady = FramePacing.Headline(hasList: true, failing: false)

    @Test("the first frame, and every change within 3 s of a key, are drawn at once")
    func inputIsImmediate() {
        var pacing = FramePacing()
        #expect(pacing.wait(at: 100, steady) == 0)
        pacing.drew(at: 100, steady)
        pacing.input(at: 100.1)
        #expect(pacing.wait(at: 100.2, steady) == 0)
        pacing.drew(at: 100.2, steady)
        #expect(pacing.wait(at: 103.0, steady) == 0)   // an action's answer 2.8 s after the key
    }

    @Test("background changes wait for a second since the last frame, then are drawn together")
    func backgroundIsPaced() {
        var pacing = FramePacing()
        pacing.drew(at: 50, steady)
        #expect(pacing.wait(at: 50.25, steady) == 750)
        #expect(pacing.wait(at: 50.999, steady) == 1)
        #expect(pacing.wait(at: 51, steady) == 0)
        pacing.input(at: 40)                    // a key long ago changes nothing
        #expect(pacing.wait(at: 50.5, steady) == 500)
    }

    @Test("a clock that goes backwards never holds a frame longer than a second")
    func bounded() {
        var pacing = FramePacing()
        pacing.drew(at: 1_000, steady)
        #expect(pacing.wait(at: 10, steady) == 1000)
        #expect(pacing.wait(at: -.infinity, steady) == 0)
        #expect(pacing.wait(at: .nan, steady) == 0)
    }

    @Test("the first list after none is drawn at once, however recent the last frame")
    func firstListIsImmediate() {
        let loading = FramePacing.Headline(hasList: false, failing: false)
        var pacing = FramePacing()
        pacing.drew(at: 10, loading)                      // "loading…"
        #expect(pacing.wait(at: 10.25, loading) == 750)  // the clock alone waits
        #expect(pacing.wait(at: 10.25, steady) == 0)     // the list does not
        pacing.drew(at: 10.25, steady)
        #expect(pacing.wait(at: 10.5, steady) == 750)    // the next reply waits its turn
        pacing.drew(at: 11.25, loading)                   // `:profile`: no list again
        #expect(pacing.wait(at: 11.5, steady) == 0)
    }

    @Test("the connection failing, and coming back, are drawn at once")
    func connectionIsImmediate() {
        let failing = FramePacing.Headline(hasList: true, failing: true)
        var pacing = FramePacing()
        pacing.drew(at: 20, steady)
        #expect(pacing.wait(at: 20.5, failing) == 0)     // "stale: retrying in 4s (connection refused)"
        pacing.drew(at: 20.5, failing)
        #expect(pacing.wait(at: 20.75, failing) == 750)  // its countdown is the clock's
        #expect(pacing.wait(at: 20.75, steady) == 0)     // back: fresh at once
    }
}
