import CairnRender
import CairnStyle

// The style's symbol placement has MapLibre's three values; the renderer needs only two.

extension SymbolPlacement {
    var renderValue: TextPlacement {
        switch self {
        case .point: return .point
        case .line, .lineCenter: return .line
        }
    }
}
