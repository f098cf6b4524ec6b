import Testing
@testable import PodWatch

/// `podtui watch --listen`: what it accepts, what it refuses and why, and loopback.
@Suite("Listen address")
struct ListenAddressTests {
    @Test("the documented forms, each to the address bound")
    func accepted() throws {
        let cases: [(String, String, Bool)] = [
            ("127.0.0.1:9465", "127.0.0.1:9465", true),
            ("[::1]:9465", "[::1]:9465", true),
            ("localhost:9465", "127.0.0.1:9465", true),
            ("LocalHost:80", "127.0.0.1:80", true),
            ("0.0.0.0:9465", "0.0.0.0:9465", false),
            (":9465", "127.0.0.1:9465", true),
            ("9465", "127.0.0.1:9465", true),
            (" 9465 ", "127.0.0.1:9465", true),
            ("127.1.2.3:1", "127.1.2.3:1", true),
            ("10.0.0.5:65535", "10.0.0.5:65535", false),
            ("[::]:9465", "[::]:9465", false),
            ("[0:0:0:0:0:0:0:1]:9465", "[::1]:9465", true),
            ("[::ffff:127.0.0.1]:9465", "[::ffff:7f00:1]:9465", true),
            ("[::ffff:10.0.0.1]:9465", "[::ffff:a00:1]:9465", false),
            ("[2001:DB8::1]:443", "[2001:db8::1]:443", false),
            ("[fe80::1:0:0:1]:9", "[fe80::1:0:0:1]:9", false),
        ]
        for (text, shown, loopback) in cases {
            let address = try ListenAddress.parse(text)
            #expect(address.description == shown, "\(text)")
            #expect(address.isLoopback == loopback, "\(text)")
            // What it prints, it reads back the same.
            #expect(try ListenAddress.parse(address.description) == address, "\(text)")
        }
        #expect(try ListenAddress.parse("9465") == .standard)
        #expect(ListenAddress.standard.hostText == "127.0.0.1")
        #expect(try ListenAddress.parse("[::1]:1").hostText == "::1")
    }

    @Test("garbage, bad ports and host names are refused with a message that says what is expected")
    func refused() {
        let bad = [
            "", "   ", ":", "0", "65536", "99999999999999999999", "127.0.0.1", "127.0.0.1:", "127.0.0.1:0",
            "127.0.0.1:-1", "127.0.0.1:+80", "127.0.0.1:80x", "127.0.0.1:9465:1", "256.0.0.1:80", "1.2.3:80",
            "1.2.3.4.5:80", "01.2.3.4:80", "1..3.4:80", "example.com:80", "::1:9465", "[::1]", "[::1]9465",
            "[::1:9465", "[:::1]:80", "[1::2::3]:80", "[12345::]:80", "[::g]:80", "[fe80::1%eth0]:80",
            "[1:2:3:4:5:6:7:8:9]:80", "[1:2:3:4:5:6:7::8]:80", "[::ffff:1.2.3]:80", "[1.2.3.4]:80",
            "localhost", "localhost:", "\u{1B}[31m:80", "127.0.0.1:８０",
            String(repeating: "1", count: 65), String(repeating: "a", count: 10_000) + ":80",
        ]
        for text in bad {
            #expect(throws: ListenAddressError.self, "\(text.prefix(40))") { try ListenAddress.parse(text) }
        }
        // The messages: what was wrong, never the raw control characters or 10 kB of input.
        let message = { (text: String) -> String in
            do throws(ListenAddressError) { _ = try ListenAddress.parse(text); return "" } catch { return error.message }
        }
        #expect(message("127.0.0.1:70000").contains("1 to 65535"))
        #expect(message("garbage").contains("expected ADDRESS:PORT"))
        #expect(message("example.com:80").contains("not looked up"))
        #expect(message("::1:80").contains("in brackets"))
        #expect(message("\u{1B}[31mx:80").contains("\u{1B}") == false)
        #expect(message(String(repeating: "a", count: 10_000)).utf8.count < 200)
    }

    @Test("anything but loopback needs --listen-public")
    func publicNeedsConsent() throws {
        for text in ["0.0.0.0:9465", "[::]:9465", "192.168.1.10:9465", "[::ffff:10.0.0.1]:1"] {
            let address = try ListenAddress.parse(text)
            do throws(ListenAddressError) {
                try address.check(allowPublic: false)
                Issue.record("\(text) accepted without --listen-public")
            } catch {
                #expect(error.message.contains("--listen-public"))
                #expect(error.message.contains(address.description))
            }
            try address.check(allowPublic: true)
        }
        for text in ["127.0.0.1:9465", "[::1]:9465", "localhost:1", "9465"] {
            try ListenAddress.parse(text).check(allowPublic: false)
        }
    }

    @Test("port 0 only through loopback(port:), for tests and ephemeral listeners")
    func portZero() {
        #expect(ListenAddress.loopback(port: 0).port == 0)
        #expect(ListenAddress.loopback(port: 0).isLoopback)
        #expect(ListenAddress.loopback(port: 70_000).port == 65_535)
    }
}
