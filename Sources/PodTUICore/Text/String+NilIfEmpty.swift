import FoundationEssentials
import PodAPI

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
