import Foundation
import Testing
import PodAPI
@testable import PodTUI
@testable import PodTUICore

/// The loop's "force a redraw" is a case of its own, not an impossible size.
@Suite("The loop's frame")
struct FrameTests {
    @Test("a stale frame matches no drawn one (whatever its version and size), so the next pass redraws")
    func staleRedraws() {
        // The old marker was version -1 at -1×-1: a value a drawn frame can be compared with.
        for size in [Size(width: -1, height: -1), Size(width: 0, height: 0), Size(width: 80, height: 24)] {
            for version in [-1, 0, 7] {
                #expect(TUIApp.Frame.stale != .drawn(version: version, size: size))
                #expect(TUIApp.Frame.drawn(version: version, size: size) == .drawn(version: version, size: size))
            }
        }
        #expect(TUIApp.Frame.drawn(version: 1, size: Size(width: 80, height: 24)) != .drawn(version: 2, size: Size(width: 80, height: 24)))
        #expect(TUIApp.Frame.drawn(version: 1, size: Size(width: 80, height: 24)) != .drawn(version: 1, size: Size(width: 81, height: 24)))
    }
}
