import CairnStyle

/// Which style layers one drawing pass over a map covers. A metatile drawn in one go is `.all`;
/// drawn tile first, its labels are placed once (`.labels`, which draws nothing) and the other
/// layers drawn per canvas (`.graphics`), then the placed labels drawn on each.
enum DrawPass: Equatable {
    case all
    /// Every layer but symbol layers: fills, lines, circles, the background.
    case graphics
    /// Symbol layers only: they add label candidates to the canvas.
    case labels

    func includes(_ layer: StyleLayer) -> Bool {
        switch self {
        case .all: return true
        case .graphics: return layer.type != .symbol
        case .labels: return layer.type == .symbol
        }
    }
}
