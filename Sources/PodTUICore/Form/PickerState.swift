import FoundationEssentials
import PodAPI

/// An open picker: the field it fills, the text that narrows it, and the highlighted line.
public struct PickerState: Sendable, Equatable {
    public var field: FormField
    public var query: LineEditor = LineEditor()
    /// Index into the filtered choices.
    public var highlight = 0
    /// The field's value when the picker opened; Esc puts it back.
    public var original: String
    /// A multi-picker had a choice toggled while open.
    public var changed = false
    public init(field: FormField, original: String = "", query: String = "") {
        self.field = field
        self.original = original
        self.query = LineEditor(query)
    }

    /// True when several values can be chosen (regions).
    public var isMulti: Bool { field == .regions }

    /// The choices whose value, label or detail contains the query (any case).
    public func filter(_ choices: [PickerChoice]) -> [PickerChoice] {
        let q = query.text.trimmed.lowercased()
        guard !q.isEmpty else { return choices }
        return choices.filter { "\($0.value) \($0.label) \($0.detail)".lowercased().contains(q) }
    }
}
