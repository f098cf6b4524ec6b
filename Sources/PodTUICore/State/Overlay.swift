import FoundationEssentials
import PodAPI

/// A popup above the panes.
public enum Overlay: Sendable, Equatable {
    case help
    /// Delete confirmation for one pod; `deleteFocused` is false until the user moves to
    /// the Delete button, so Enter alone cancels.
    case confirmDelete(podID: Int64, name: String, deleteFocused: Bool)
    /// Bulk action confirmation for the marked pods.
    case confirmBulk(PodAction)
    /// Delete confirmation for a volume or credential (same keys as the pod one).
    case confirmStorageDelete(StorageTarget, name: String, deleteFocused: Bool)
    /// "Run plugin NAME on POD?" for a plugin with `confirm` (or `dangerous`).
    case confirmPlugin(PluginRun)
}
