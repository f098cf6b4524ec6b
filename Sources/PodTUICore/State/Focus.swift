import PodAPI

/// Where the user is: the pane that receives keys.
public enum Focus: Sendable, Hashable {
    case list, detail
}
