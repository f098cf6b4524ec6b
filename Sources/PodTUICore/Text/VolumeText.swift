import FoundationEssentials
import PodAPI

/// How volume fields read, the same in the TUI and the CLI.
public enum VolumeText {
    /// `500 GB`; `unlimited` for S3 and R2 (they have no size); `-` when the server gave none.
    public static func size(_ volume: Volume) -> String {
        if let size = volume.sizeInGb { return "\(size) GB" }
        if let kind = volume.kind, !kind.hasSize { return "unlimited" }
        return "-"
    }

    /// The server's cost figure with two decimals (`$25.00`); `-` when it sent none. Its
    /// unit is not documented, so no period is claimed.
    public static func cost(_ volume: Volume) -> String {
        guard let cost = volume.cost else { return "-" }
        return "$" + NumberText.fixed(cost, 2)
    }

    /// `CEPH us-east-1 500 GB, 1 mount`: one line about a volume for pickers and details.
    public static func summary(_ volume: Volume) -> String {
        var parts = [volume.storageType ?? "?"]
        if let region = volume.region { parts.append(region) }
        parts.append(size(volume))
        if let vendor = volume.vendorVolumeType { parts.append(vendor) }
        let mounts = volume.mountCount ?? 0
        return parts.joined(separator: " ") + (mounts > 0 ? ", \(mounts) mount\(mounts == 1 ? "" : "s")" : "")
    }
}
