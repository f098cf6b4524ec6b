import FoundationEssentials
import PodAPI

/// The budget: `budget_per_hour` or `:budget`, the header's burn against it, and one
/// announcement per crossing naming the most expensive running pods.
enum BudgetReducer {
    /// `:budget 40`, `:budget $40/h`, `:budget off`.
    static func set(_ state: inout AppState, _ text: String) -> [Effect] {
        let t = text.trimmed.lowercased()
        if t.isEmpty {
            let now = state.settings.budgetPerHour.map { "$\(Format.price($0))/h" } ?? "none"
            state.say("Usage: :budget DOLLARS_PER_HOUR | off (now: \(now))", .info)
            return []
        }
        if t == "off" || t == "none" {
            state.settings.budgetPerHour = nil
            state.overBudget = false
            state.say("Budget off", .info)
            return []
        }
        let number = t.replacing("$", with: "").replacing("/h", with: "").trimmed
        guard let value = Double(number), value > 0, value.isFinite else {
            state.say("Not a budget: \"\(TextSafety.clean(text))\" (try :budget 40 or :budget off)", .error)
            return []
        }
        state.settings.budgetPerHour = value
        state.overBudget = false
        check(&state)
        if !state.overBudget {
            state.say("Budget $\(Format.price(value))/h: now \(Format.price(state.runningCostPerHour))", .success)
        }
        return []
    }

    /// After every reply: announce a crossing once (and the way back under).
    static func check(_ state: inout AppState) {
        guard let budget = state.settings.budgetPerHour else { state.overBudget = false; return }
        let burn = state.runningCostPerHour
        let over = burn > budget
        defer { state.overBudget = over }
        guard over != state.overBudget else { return }
        if over {
            let top = state.fleet.allPods.filter { $0.status == .running && $0.pricePerHour != nil }
                .sorted { ($0.pricePerHour ?? 0) > ($1.pricePerHour ?? 0) }.prefix(3)
                .map { "\(TextSafety.clean($0.label)) ($\(Format.price($0.pricePerHour))/h)" }
            let text = "Over budget: $\(Format.price(burn))/h of $\(Format.price(budget))/h" + (top.isEmpty ? "" : "; most expensive: " + top.joined(separator: ", "))
            Reducer.record(&state, nil, text, .bad)
            Reducer.announce(&state, text, bad: true)
        } else {
            let text = "Back under budget: $\(Format.price(burn))/h of $\(Format.price(budget))/h"
            Reducer.record(&state, nil, text, .good)
            state.say(text, .success)
        }
    }
}
