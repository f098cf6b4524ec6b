import FoundationEssentials
import PodAPI

extension Reducer {
    /// Sends the action for every marked pod it applies to (one request each, never
    /// retried); the rest are skipped and counted.
    static func startBulk(_ state: inout AppState, _ action: PodAction) -> [Effect] {
        let plan = BulkPlan(action: action, state: state)
        guard !plan.applicable.isEmpty else {
            state.say("\(action.rawValue.firstUppercased): none of the \(state.fleet.marks.count) marked pods can be \(action.pastParticiple) (\(plan.skipped.count) skipped)", .error)
            return []
        }
        state.bulk = BulkProgress(action: action, total: plan.applicable.count, skipped: plan.skipped.count,
                                  waiting: Set(plan.applicable.map(\.id)))
        var effects: [Effect] = []
        for pod in plan.applicable {
            state.fleet.pending[pod.id] = action
            effects.append(.perform(action, podID: pod.id))
        }
        state.fleet.marks = []
        state.say(bulkSummary(state.bulk), .info)
        return effects
    }

    static func bulkFinished(_ state: inout AppState, id: Int64, name: String, error: PodAPIError?) {
        guard var bulk = state.bulk, bulk.waiting.contains(id) else { return }
        bulk.waiting.remove(id)
        bulk.done += 1
        if let error { bulk.failed.append("\(name): \(error.message)") }
        let finished = bulk.waiting.isEmpty
        state.bulk = finished ? nil : bulk
        state.say(bulkSummary(bulk), bulk.failed.isEmpty ? (finished ? .success : .info) : .error)
    }

    /// "Pause: 3/5 done, 1 failed (x: …), 2 skipped".
    static func bulkSummary(_ bulk: BulkProgress?) -> String {
        guard let bulk else { return "" }
        var text = "\(bulk.action.rawValue.firstUppercased): \(bulk.done)/\(bulk.total) done"
        if !bulk.failed.isEmpty { text += ", \(bulk.failed.count) failed (\(bulk.failed[0]))" }
        if bulk.skipped > 0 { text += ", \(bulk.skipped) skipped" }
        if bulk.done == bulk.total { text += " — see :events" }
        return text
    }
}
