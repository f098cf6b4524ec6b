import FoundationEssentials
import PodAPI

/// A template as read for the form.
public struct TemplateData: Sendable, Equatable {
    public var request: PodV2CreateRequest
    /// Env keys saved as references (`"$KEY"`): their values are the user's to fill.
    public var references: [String]
    public init(request: PodV2CreateRequest, references: [String]) { self.request = request; self.references = references }
}

/// Create-form templates: F3 saves the form under the pod's name, `n` offers the saved ones
/// above the empty form (so a repeated launch is `n`, `↵`, `^S`), `:new NAME` opens one.
enum TemplateReducer {
    /// F3. Availability has refused it without a config directory or a pod name (the
    /// footer dims it then): reduceKey asked before this runs.
    static func save(_ state: inout AppState, _ form: CreateFormState) -> [Effect] {
        let name = form.values[.name].trimmed
        let safe = String(name.map { ch -> Character in
            ch.isASCII && (ch.isLetter || ch.isNumber || "._-".contains(ch)) ? ch : "-"
        }.prefix(64))
        let request = form.check(catalog: state.catalog).request
        let secrets = form.values.env.filter(\.secret).map { $0.key.trimmed }.filter { !$0.isEmpty }
        state.say("Saving template \(safe)…", .info)
        return [.saveTemplate(name: safe, request: request, secretKeys: secrets)]
    }

    static func choose(_ state: inout AppState, _ command: Command) -> [Effect] {
        guard let selected = state.templateChooser else { return [] }
        let count = state.templates.count + 1
        switch command {
        case .moveUp: state.templateChooser = (selected - 1 + count) % count
        case .moveDown: state.templateChooser = (selected + 1) % count
        case .cancel: state.templateChooser = nil
        case .quit: state.templateChooser = nil; state.shouldQuit = true
        case .choose:
            state.templateChooser = nil
            guard selected > 0, state.templates.indices.contains(selected - 1) else { return [] }
            return [.openTemplate(state.templates[selected - 1])]
        default: break
        }
        return []
    }

    static func loaded(_ state: inout AppState, _ name: String, _ result: Result<TemplateData, ExternalFailure>) -> [Effect] {
        switch result {
        case .failure(let failure):
            state.say(failure.reason, .error)
            return []
        case .success(let data):
            let form = CreateFormState.fromTemplate(name, request: data.request, references: data.references)
            let effects = FormReducer.open(&state, form)
            if data.references.isEmpty {
                state.say("From template \(TextSafety.clean(name)): check it, ^S creates", .info)
            } else {
                state.say("From template \(TextSafety.clean(name)): fill in \(data.references.joined(separator: ", ")) (secret, never saved), then ^S", .info)
            }
            return effects
        }
    }
}
