import Testing
@testable import PodTUI

/// The terminal loop's pacing: input is drawn at once, background changes at most once a second.
@Suite("Frame pacing")
struct FramePacingTests {
    @Test("the first frame, and every change within 3 s of a key, are drawn at once")
    func inputIsImmediate() {
        var pacing = FramePacing()
        #expect(pacing.wait(at: 100, hasList: true) == 0)
        pacing.drew(at: 100, withList: true)
        pacing.input(at: 100.1)
        #expect(pacing.wait(at: 100.2, hasList: true) == 0)
        pacing.drew(at: 100.2, withList: true)
        #expect(pacing.wait(at: 103.0, hasList: true) == 0)   // an action's answer 2.8 s after the key
    }

    @Test("background changes wait for a second since the last frame, then are drawn together")
    func backgroundIsPaced() {
        var pacing = FramePacing()
        pacing.drew(at: 50, withList: true)
        #expect(pacing.wait(at: 50.25, hasList: true) == 750)
        #expect(pacing.wait(at: 50.999, hasList: true) == 1)
        #expect(pacing.wait(at: 51, hasList: true) == 0)
        pacing.input(at: 40)                    // a key long ago changes nothing
        #expect(pacing.wait(at: 50.5, hasList: true) == 500)
    }

    @Test("a clock that goes backwards never holds a frame longer than a second")
    func bounded() {
        var pacing = FramePacing()
        pacing.drew(at: 1_000, withList: true)
        #expect(pacing.wait(at: 10, hasList: true) == 1000)
        #expect(pacing.wait(at: -.infinity, hasList: true) == 0)
        #expect(pacing.wait(at: .nan, hasList: true) == 0)
    }

    @Test("the first list after none is drawn at once, however recent the last frame")
    func firstListIsImmediate() {
        var pacing = FramePacing()
        pacing.drew(at: 10, withList: false)                   // "loading…"
        #expect(pacing.wait(at: 10.25, hasList: false) == 750)  // the clock alone waits
        #expect(pacing.wait(at: 10.25, hasList: true) == 0)      // the list does not
        pacing.drew(at: 10.25, withList: true)
        #expect(pacing.wait(at: 10.5, hasList: true) == 750)    // the next reply waits its turn
        pacing.drew(at: 11.25, withList: false)                  // `:profile`: no list again
        #expect(pacing.wait(at: 11.5, hasList: true) == 0)
    }
}
