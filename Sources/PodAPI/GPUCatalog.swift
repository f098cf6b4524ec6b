import FoundationEssentials
import Libc

/// What the client knows about GPU type codes without asking the API: display names and VRAM
/// for the v2 codes in the API guide. The API stays the authority (`/v2/vms/types`); this only
/// makes an unknown-to-the-UI code readable.
public enum GPUCatalog {
    /// A known GPU type code with its display name and memory per card.
    public struct Entry: Sendable, Hashable {
        public let code: String
        public let displayName: String
        public let vramGB: Int
    }

    /// The v2 GPU type codes listed in the API guide.
    public static let entries: [Entry] = [
        .init(code: "NVIDIA_RTX_4090_24G", displayName: "RTX 4090", vramGB: 24),
        .init(code: "NVIDIA_RTX_5090_32G", displayName: "RTX 5090", vramGB: 32),
        .init(code: "NVIDIA_RTX_A6000_48G", displayName: "RTX A6000", vramGB: 48),
        .init(code: "NVIDIA_RTX_6000_Ada_48G", displayName: "RTX 6000 Ada", vramGB: 48),
        .init(code: "NVIDIA_A100_PCIe_40G", displayName: "A100 PCIe 40G", vramGB: 40),
        .init(code: "NVIDIA_A100_40G", displayName: "A100 40G", vramGB: 40),
        .init(code: "NVIDIA_A100_PCIe_80G", displayName: "A100 PCIe 80G", vramGB: 80),
        .init(code: "NVIDIA_A100_80G", displayName: "A100 80GB", vramGB: 80),
        .init(code: "NVIDIA_H100_PCIe_80G", displayName: "H100 PCIe", vramGB: 80),
        .init(code: "NVIDIA_H100_80G", displayName: "H100", vramGB: 80),
        .init(code: "NVIDIA_RTX_PRO_6000_96G", displayName: "RTX PRO 6000", vramGB: 96),
        .init(code: "NVIDIA_H200_141G", displayName: "H200", vramGB: 141),
        .init(code: "NVIDIA_B200_180G", displayName: "B200", vramGB: 180),
        .init(code: "NVIDIA_B300_262G", displayName: "B300", vramGB: 262),
        .init(code: "AWS_Trainium_32G", displayName: "Trainium1", vramGB: 32),
        .init(code: "AMD_MI300X_192G", displayName: "MI300X", vramGB: 192),
    ]

    private static let byCode: [String: Entry] = Dictionary(entries.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })

    /// The catalogue entry for a code, if known.
    public static func entry(for code: String) -> Entry? { byCode[code] }

    /// A display name: the catalogue's, else the code with vendor prefix and underscores removed.
    public static func displayName(for code: String) -> String {
        if let entry = byCode[code] { return entry.displayName }
        var parts = code.split(separator: "_").map(String.init)
        if let first = parts.first, ["NVIDIA", "AMD", "AWS"].contains(first.uppercased()) { parts.removeFirst() }
        return parts.isEmpty ? code : parts.joined(separator: " ")
    }

    /// VRAM per card in GB: the catalogue's, else the trailing `NNG` of the code.
    public static func vramGB(for code: String) -> Int? {
        if let entry = byCode[code] { return entry.vramGB }
        guard let last = code.split(separator: "_").last, last.hasSuffix("G") || last.hasSuffix("GB") else { return nil }
        return Int(String(last.drop(while: \.isLetter).reversed().drop(while: \.isLetter).reversed()))
    }
}
