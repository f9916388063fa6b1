import CairnCore
import CairnRender
import CairnStyle
import Foundation

/// Evaluates one style layer's properties for each feature and hands the result to the canvas.
struct LayerPainter {
    let layer: StyleLayer
    let zoom: Double
    let canvas: Canvas
    let labelPriority: Int

    func paint(_ feature: Feature) {
        guard let context = context(for: feature) else { return }
        paint(feature, in: context)
    }

    /// The evaluation context of a feature the layer's filter accepts; nil when it rejects it.
    func context(for feature: Feature) -> EvaluationContext? {
        let context = EvaluationContext(zoom: zoom, properties: feature.properties, geometryType: feature.geometry.kind, featureID: feature.id)
        if let filter = layer.filter, !filter.matches(context) { return nil }
        return context
    }

    /// Paints a feature whose filter already passed, with the context `context(for:)` gave.
    func paint(_ feature: Feature, in context: EvaluationContext) {
        switch layer.type {
        case .fill:
            guard let fill = layer.fill, case .polygons(let polygons) = feature.geometry else { return }
            let symbolizer = FillSymbolizer(
                color: fill.color.evaluate(context),
                opacity: fill.opacity.evaluate(context),
                outlineColor: fill.outlineColor?.evaluate(context),
                antialias: fill.antialias.evaluate(context)
            )
            canvas.fill(polygons, symbolizer)
        case .line:
            guard let line = layer.line else { return }
            let lines: [[Point]]
            switch feature.geometry {
            case .lines(let l): lines = l
            case .polygons(let polygons): lines = polygons.flatMap { $0 }
            case .points: return
            }
            let symbolizer = LineSymbolizer(
                color: line.color.evaluate(context),
                width: line.width.evaluate(context),
                opacity: line.opacity.evaluate(context),
                dashArray: line.dashArray?.evaluate(context),
                cap: line.cap.evaluate(context),
                join: line.join.evaluate(context),
                gapWidth: line.gapWidth.evaluate(context),
                offset: line.offset.evaluate(context),
                miterLimit: line.miterLimit.evaluate(context)
            )
            canvas.stroke(lines, symbolizer)
        case .circle:
            guard let circle = layer.circle, case .points(let points) = feature.geometry else { return }
            let symbolizer = CircleSymbolizer(
                radius: circle.radius.evaluate(context),
                color: circle.color.evaluate(context),
                opacity: circle.opacity.evaluate(context),
                strokeWidth: circle.strokeWidth.evaluate(context),
                strokeColor: circle.strokeColor.evaluate(context),
                strokeOpacity: circle.strokeOpacity.evaluate(context)
            )
            canvas.circle(points, symbolizer)
        case .symbol:
            guard let symbol = layer.symbol, let field = symbol.textField else { return }
            var text = field.evaluate(context)
            switch symbol.transform.evaluate(context) {
            case .uppercase: text = text.uppercased()
            case .lowercase: text = text.lowercased()
            case .none: break
            }
            guard !text.isEmpty else { return }
            let offset = symbol.textOffset.evaluate(context)
            var symbolizer = TextSymbolizer(
                text: text,
                fontNames: symbol.textFont.evaluate(context),
                size: symbol.textSize.evaluate(context),
                color: symbol.textColor.evaluate(context),
                opacity: symbol.textOpacity.evaluate(context),
                haloColor: symbol.textHaloColor.evaluate(context),
                haloWidth: symbol.textHaloWidth.evaluate(context),
                anchor: symbol.textAnchor.evaluate(context),
                offset: (offset.count > 0 ? offset[0] : 0, offset.count > 1 ? offset[1] : 0),
                maxWidth: symbol.textMaxWidth.evaluate(context),
                lineHeight: symbol.textLineHeight.evaluate(context),
                placement: symbol.placement.evaluate(context).renderValue,
                allowOverlap: symbol.allowOverlap.evaluate(context),
                padding: symbol.padding.evaluate(context),
                letterSpacing: symbol.letterSpacing.evaluate(context),
                justify: symbol.justify.evaluate(context),
                maxAngle: symbol.maxAngle.evaluate(context),
                spacing: symbol.spacing.evaluate(context)
            )
            symbolizer.variableAnchors = symbol.textVariableAnchor.evaluate(context)
            symbolizer.radialOffset = symbol.textRadialOffset?.evaluate(context)
            symbolizer.keepUpright = symbol.keepUpright.evaluate(context)
            // The renderer places higher priorities first; MapLibre places upper layers first and,
            // within a layer, lower symbol-sort-key first.
            var priority = labelPriority * 1_000_000
            if let sortKey = symbol.sortKey?.evaluate(context), sortKey.isFinite {
                priority -= Int(max(-999_999, min(999_999, sortKey.rounded())))
            }
            canvas.addLabel(for: feature.geometry, symbolizer, priority: priority)
        case .background:
            break
        }
    }
}
