import FoundationEssentials
import PodAPI

/// The create form: what was typed, where the focus is, and what the server last said.
/// A value inside `AppState`; `FormReducer` changes it.
public struct CreateFormState: Sendable, Equatable {
    public var values: FormValues
    /// The values the form opened with; the form is dirty when `values` differ.
    public var initial: FormValues
    /// "New pod" or "Clone of …".
    public var title: String
    public var focus: FormItem = .field(.name)
    /// Cursor of the focused text cell, in characters.
    public var cursor: Int = 0
    /// An open picker list.
    public var picker: PickerState?
    /// Cells the user has edited: their errors show as they type.
    public var touched: Set<FormItem> = []
    /// After the first submit every error shows.
    public var submitAttempted = false
    /// A create request is in flight; a second submit is refused.
    public var submitting = false
    /// Errors the server gave for cells, cleared when the cell is edited.
    public var serverErrors: [FormItem: String] = [:]
    /// An error the server gave that names no field, shown at the top.
    public var serverMessage: String?
    /// Asking whether to throw away what was typed.
    public var prompt: FormPrompt?
    /// The equivalent command line is shown.
    public var showCommandLine = false

    public init(values: FormValues = FormValues(), title: String = "New pod") {
        self.values = values
        self.initial = values
        self.title = title
        self.cursor = values[.name].count
    }

    /// True when something differs from how the form opened.
    public var isDirty: Bool { values != initial }

    /// Every focusable item, in Tab order.
    public var items: [FormItem] {
        var items: [FormItem] = []
        for section in FormSection.allCases {
            items += section.fields.map(FormItem.field)
            switch section {
            case .startup:
                for i in values.env.indices { items += [.envKey(i), .envValue(i), .envSecret(i)] }
                items.append(.addEnv)
                for i in values.ports.indices { items += [.portNumber(i), .portProtocol(i)] }
                items.append(.addPort)
            case .storage:
                for i in values.volumes.indices { items += [.volumeID(i), .volumeMount(i), .volumeBackup(i)] }
                items.append(.addVolume)
            default: break
            }
        }
        return items + [.submit, .cancel]
    }

    /// Moves the focus to `item`, with the cursor at the end of its text.
    public mutating func focus(on item: FormItem) {
        focus = item
        cursor = values.text(item)?.count ?? 0
    }

    /// Errors that are on screen now: server errors, plus local ones for edited cells (all
    /// of them after a submit).
    public func visibleErrors(_ check: FormCheck) -> [FormItem: String] {
        var shown = serverErrors
        for (item, message) in check.errors where submitAttempted || touched.contains(item) {
            if shown[item] == nil { shown[item] = message }
        }
        return shown
    }
}
