import Foundation
import PodAPI

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
