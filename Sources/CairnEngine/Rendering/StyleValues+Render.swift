import CairnRender
import CairnStyle

// The style speaks MapLibre's vocabulary and the renderer its own; these map one onto the other.

extension CairnStyle.LineCap {
    var renderValue: CairnRender.LineCap {
        switch self {
        case .butt: return .butt
        case .round: return .round
        case .square: return .square
        }
    }
}

extension CairnStyle.LineJoin {
    var renderValue: CairnRender.LineJoin {
        switch self {
        case .bevel: return .bevel
        case .round: return .round
        case .miter: return .miter
        }
    }
}

extension CairnStyle.TextAnchor {
    var renderValue: CairnRender.TextAnchor {
        switch self {
        case .center: return .center
        case .left: return .left
        case .right: return .right
        case .top: return .top
        case .bottom: return .bottom
        case .topLeft: return .topLeft
        case .topRight: return .topRight
        case .bottomLeft: return .bottomLeft
        case .bottomRight: return .bottomRight
        }
    }
}

extension CairnStyle.TextJustify {
    var renderValue: CairnRender.TextJustify {
        switch self {
        case .auto: return .auto
        case .left: return .left
        case .center: return .center
        case .right: return .right
        }
    }
}

extension SymbolPlacement {
    var renderValue: TextPlacement {
        switch self {
        case .point: return .point
        case .line, .lineCenter: return .line
        }
    }
}
