import CairnRender
import CairnStyle

// The style's symbol placement has MapLibre's three values; the renderer has the same three.

extension SymbolPlacement {
    var renderValue: TextPlacement {
        switch self {
        case .point: return .point
        case .line: return .line
        case .lineCenter: return .lineCenter
        }
    }
}
