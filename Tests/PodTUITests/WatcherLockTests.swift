import Testing
@testable import PodLocalFiles

/// Where a watcher's lock is, and how /proc/locks is read to find its holder.
@Suite("Watcher lock")
struct WatcherLockTests {
    @Test("one lock file per profile, always a single file name in the state directory")
    func fileNames() {
        #expect(WatcherLock.fileName(profile: nil) == "watch.lock")
        #expect(WatcherLock.fileName(profile: "") == "watch.lock")
        #expect(WatcherLock.fileName(profile: "prod-eu_1.a") == "watch-prod-eu_1.a.lock")
        #expect(WatcherLock.fileName(profile: "../x y/é") == "watch-.._x_y__.lock")
    }

    @Test("holders of a lock on the file, not waiters and not other files or devices")
    func procLocks() {
        let table = """
        1: FLOCK  ADVISORY  WRITE 4242 00:2b:917 0 EOF
        1: -> FLOCK  ADVISORY  WRITE 5151 00:2b:917 0 EOF
        2: POSIX  ADVISORY  WRITE 777 08:01:917 0 EOF
        3: FLOCK  ADVISORY  WRITE 888 00:2b:918 0 EOF
        4: OFDLCK ADVISORY  READ  -1 00:2b:917 0 EOF
        garbage line
        """
        #expect(WatcherLock.holders(in: table, major: 0, minor: 0x2b, inode: 917) == [4242])
        #expect(WatcherLock.holders(in: table, major: 8, minor: 1, inode: 917) == [777])
        #expect(WatcherLock.holders(in: table, major: 0, minor: 0x2b, inode: 1).isEmpty)
        #expect(WatcherLock.holders(in: "", major: 0, minor: 0, inode: 0).isEmpty)
    }

    @Test("a state directory without lock files, or none at all, has no watcher")
    func noLocks() {
        #expect(WatcherLock.find(in: "/nonexistent-podtui-state") == .none)
    }
}
