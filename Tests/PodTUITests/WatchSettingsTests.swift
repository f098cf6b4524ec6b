import FoundationEssentials
import Testing
import PodAPI
@testable import PodWatch

/// config.yaml's watch: section: good entries load, each bad one is named and left out.
@Suite("Watch: settings")
struct WatchSettingsTests {
    func parse(_ yaml: String) throws -> WatchSettings {
        let (config, _) = try ConfigFile.parse(yaml, path: "/tmp/config.yaml")
        return WatchSettings.parse(config.raw["watch"])
    }

    @Test("webhooks, exec hooks, filters, interval and listen")
    func good() throws {
        let s = try parse("""
            watch:
              interval: 15
              listen: 127.0.0.1:9465
              webhooks:
                - url: https://hooks.slack.com/services/T/B/SECRET
                  events: [idle, over_budget]
                - https://mattermost.example/hooks/abc
              exec:
                - command: [notify-send, podtui]
                  events: idle,failed
                  timeout: 5
            """)
        #expect(s.problems == [])
        #expect(s.interval == 15 && s.listen == "127.0.0.1:9465")
        #expect(s.targets.count == 3)
        #expect(s.targets[0].events == [.idle, .overBudget])
        #expect(s.targets[1].events == nil)
        #expect(s.targets[2].kind == .exec(arguments: ["notify-send", "podtui"], timeout: 5))
        #expect(s.targets[2].events == [.idle, .failed])
        // Registered as a secret: a log line holding it is masked.
        #expect(!Secrets.redact("x https://hooks.slack.com/services/T/B/SECRET").contains("SECRET"))
    }

    @Test("each bad entry is named without its URL; the rest load")
    func bad() throws {
        let s = try parse("""
            watch:
              interval: 0
              colour: red
              webhooks:
                - url: ftp://example.com/SECRET1
                - url: https://ok.example/hook
                  events: [idle, sometimes]
                - url: "https://ok.example/a b"
                - {events: [idle]}
                - url: https://fine.example/x
              exec:
                - command: []
                - command: [prog]
                  timeout: 100000
                - command: "/bin/sh -c x"
                - command: [/bin/true]
            """)
        #expect(s.targets.count == 2)
        #expect(s.problems.count == 9)
        #expect(s.problems.allSatisfy { !$0.contains("SECRET1") && !$0.contains("ok.example") })
        #expect(s.problems.contains { $0.contains("watch.webhooks[2].events") && $0.contains("sometimes") })
        #expect(s.problems.contains { $0.hasPrefix("watch.colour") })
        #expect(WatchSettings.parse(.string("x")).problems.count == 1)
    }

    @Test("event lists: names, all, unknown ones reported")
    func events() {
        #expect(WatchSettings.events(["idle,over-budget", " gone "]).kinds == [.idle, .overBudget, .gone])
        #expect(WatchSettings.events(["all"]).kinds == nil)
        #expect(WatchSettings.events([""]).kinds == nil)
        #expect(WatchSettings.events(["idle,bogus"]).problem?.contains("bogus") == true)
    }

    @Test("the systemd unit quotes what systemd would read specially")
    func unit() {
        let text = SystemdUnit.text(executable: "/opt/pod tui/podtui", arguments: ["watch", "--profile", "a$b%c", "--listen", "127.0.0.1:9465"])
        #expect(text.contains(#"ExecStart="/opt/pod tui/podtui" watch --profile "a$$b%%c" --listen 127.0.0.1:9465"#))
        #expect(text.contains("ExecReload=/bin/kill -HUP $MAINPID"))
    }
}
