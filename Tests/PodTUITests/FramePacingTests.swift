import Testing
@testable import PodTUI

/// The terminal loop's pacing: input is drawn at once, background changes at most once a second.
@Suite("Frame pacing")
struct FramePacingTests {
    @Test("the first frame, and every change within 3 s of a key, are drawn at once")
    func inputIsImmediate() {
        var pacing = FramePacing()
        #expect(pacing.wait(at: 100) == 0)
        pacing.drew(at: 100)
        pacing.input(at: 100.1)
        #expect(pacing.wait(at: 100.2) == 0)
        pacing.drew(at: 100.2)
        #expect(pacing.wait(at: 103.0) == 0)   // an action's answer 2.8 s after the key
    }

    @Test("background changes wait for a second since the last frame, then are drawn together")
    func backgroundIsPaced() {
        var pacing = FramePacing()
        pacing.drew(at: 50)
        #expect(pacing.wait(at: 50.25) == 750)
        #expect(pacing.wait(at: 50.999) == 1)
        #expect(pacing.wait(at: 51) == 0)
        pacing.input(at: 40)                    // a key long ago changes nothing
        #expect(pacing.wait(at: 50.5) == 500)
    }

    @Test("a clock that goes backwards never holds a frame longer than a second")
    func bounded() {
        var pacing = FramePacing()
        pacing.drew(at: 1_000)
        #expect(pacing.wait(at: 10) == 1000)
        #expect(pacing.wait(at: -.infinity) == 0)
        #expect(pacing.wait(at: .nan) == 0)
    }
}
