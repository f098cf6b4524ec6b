import FoundationEssentials
import PodAPI

/// An open picker: the item it fills (a field, or a volume row's id), the text that narrows
/// it, and the highlighted line.
public struct PickerState: Sendable, Equatable {
    public var item: FormItem
    public var query: LineEditor = LineEditor()
    /// Index into the filtered choices.
    public var highlight = 0
    /// The field's value when the picker opened; Esc puts it back.
    public var original: String
    /// A multi-picker had a choice toggled while open.
    public var changed = false
    public init(field: FormField, original: String = "", query: String = "") {
        self.init(item: .field(field), original: original, query: query)
    }

    public init(item: FormItem, original: String = "", query: String = "") {
        self.item = item
        self.original = original
        self.query = LineEditor(query)
    }

    /// True when several values can be chosen (regions).
    public var isMulti: Bool { item == .field(.regions) }

    /// The box's title.
    public var title: String {
        switch item {
        case .field(let field): field.label
        case .volumeID(let row): "Volume to attach (row \(row + 1))"
        default: "Choose"
        }
    }

    /// The choices whose value, label or detail contains the query (any case).
    public func filter(_ choices: [PickerChoice]) -> [PickerChoice] {
        let q = query.text.trimmed.lowercased()
        guard !q.isEmpty else { return choices }
        return choices.filter { "\($0.value) \($0.label) \($0.detail)".lowercased().contains(q) }
    }
}
