import FoundationEssentials

extension AppState {
    /// The first state of a run: the settings applied, and each settings problem in
    /// `:events` with the first on the message line (podtui starts with the defaults).
    public static func initial(endpoint: String, interval: Double, readOnly: Bool, settings: Settings,
                               profiles: [String], now: Date) -> AppState {
        var state = AppState(endpoint: endpoint, interval: interval, readOnly: readOnly, now: now)
        state.settings.columns = settings.columns
        state.settings.keymap = settings.keys
        state.settings.notifications = settings.notifications
        state.settings.hyperlinks = settings.hyperlinks
        state.settings.budgetPerHour = settings.budgetPerHour
        state.settings.probe = settings.probe
        state.probe.schedule.interval = settings.probe.interval
        state.settings.metrics = settings.metrics
        state.metrics.schedule = MetricsSchedule(rate: settings.metrics.requestsPerSecond)
        state.settings.profiles = profiles
        for problem in settings.problems {
            Reducer.record(&state, nil, "config: " + problem, .bad)
        }
        if let first = settings.problems.first {
            let more = settings.problems.count > 1 ? " (+\(settings.problems.count - 1) more in :events)" : ""
            state.say(first + "; using the default" + more, .error)
        }
        return state
    }
}
