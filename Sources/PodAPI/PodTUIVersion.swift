/// The podtui version, sent in the User-Agent and printed by `--version` (one place).
public enum PodTUIVersion {
    public static let current = "0.2.0"
}
