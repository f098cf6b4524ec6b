import Foundation
import PodAPI

/// What a key asks for, before the reducer applies it to the current focus.
public enum Command: String, Sendable, Hashable, CaseIterable {
    case moveUp, moveDown, pageUp, pageDown, first, last
    case openDetail, back
    case pause, resume, delete
    case revealEnv
    case newPod, clonePod
    case filter, command, mark, markAll, clearMarks, ssh, copySSH
    case sortName, sortStatus, sortGPU, sortCount, sortRegion, sortAge, sortPrice, sortCost, sortID
    case help, quit
}

extension Command {
    /// The column a sort command sorts by.
    var sortColumn: SortColumn? {
        switch self {
        case .sortName: .name
        case .sortStatus: .status
        case .sortGPU: .gpu
        case .sortCount: .count
        case .sortRegion: .region
        case .sortAge: .age
        case .sortPrice: .price
        case .sortCost: .cost
        case .sortID: .id
        default: nil
        }
    }
}
