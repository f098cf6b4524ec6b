import FoundationEssentials
import PodAPI

/// The main views (`:pods`, `:gpus`, `:events`, `:volumes`, `:credentials`).
public enum MainView: String, Sendable, CaseIterable {
    case pods, gpus, events, volumes, credentials, timers
    /// The active port-forwards (`:forwards`).
    case forwards
    /// The background plugins' runs and their output (`:plugins`).
    case plugins
    /// One pod's JSON as the API sent it (`y`).
    case raw
}
