import FoundationEssentials
import PodAPI

/// The main views (`:pods`, `:gpus`, `:events`, `:volumes`, `:credentials`).
public enum MainView: String, Sendable, CaseIterable {
    case pods, gpus, events, volumes, credentials, timers
    /// One pod's JSON as the API sent it (`y`).
    case raw
}
