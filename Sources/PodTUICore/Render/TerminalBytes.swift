import FoundationEssentials
import PodAPI

/// The bytes of the out-of-band terminal writes.
public enum TerminalBytes {
    /// Bell; OSC 9 (iTerm2, Windows Terminal, foot…) and OSC 777 (rxvt, VTE) notifications;
    /// OSC 52 clipboard copy (works over ssh; tmux passes it with `set-clipboard on`).
    /// Text is stripped of control characters and of `;`, which would end an OSC field.
    public static func bytes(for kind: TerminalOutput.Kind, environment: [String: String]) -> [UInt8] {
        func clean(_ s: String) -> String { TextSafety.clean(s).replacing(";", with: ",").replacing("\u{FFFD}", with: "?") }
        switch kind {
        case .bell:
            return [0x07]
        case .notify(let title, let body):
            return Array("\u{1B}]9;\(clean(body))\u{07}\u{1B}]777;notify;\(clean(title));\(clean(body))\u{07}".utf8)
        case .copy(let text):
            let payload = Data(text.utf8).base64EncodedString()
            return Array("\u{1B}]52;c;\(payload)\u{07}".utf8)
        }
    }
}
