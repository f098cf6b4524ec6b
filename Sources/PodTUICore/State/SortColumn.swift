import FoundationEssentials
import PodAPI

/// A column the list can be sorted by.
public enum SortColumn: String, Sendable, CaseIterable {
    case name, status, gpu, count, region, age, price, cost, id

    /// The list column title it belongs to.
    public var title: String {
        switch self {
        case .name: "NAME"
        case .status: "STATUS"
        case .gpu: "GPU"
        case .count: "×"
        case .region: "REGION"
        case .age: "AGE"
        case .price: "$/H"
        case .cost: "COST"
        case .id: "ID"
        }
    }

    /// Where a fresh sort starts: biggest first for numbers people scan for the top of.
    public var defaultAscending: Bool {
        switch self {
        case .price, .cost, .count: false
        default: true
        }
    }

    /// Parses `:sort` arguments: a column name or its list title, any case.
    public init?(named text: String) {
        let t = text.lowercased()
        if let c = SortColumn(rawValue: t) { self = c; return }
        if let c = SortColumn.allCases.first(where: { $0.title.lowercased() == t }) { self = c; return }
        switch t {
        case "gpus", "gpucount": self = .count
        case "$/h", "$", "usd", "$/hr": self = .price
        case "created", "createdat": self = .age
        default: return nil
        }
    }
}
