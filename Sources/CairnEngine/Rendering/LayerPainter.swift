import CairnCore
import CairnRender
import CairnStyle
import Foundation

/// Evaluates one style layer's properties for each feature and hands the result to the canvas.
struct LayerPainter {
    let layer: StyleLayer
    let zoom: Double
    let canvas: Canvas
    /// Higher for upper layers: MapLibre places the topmost symbol layer first.
    let labelPriority: Int
    /// The coordinates features arrive in, so `within` and `distance` can read their shapes; nil
    /// when the map's CRS is not one they understand.
    let geometryCoordinates: FeatureGeometry.Coordinates?
    /// Consecutive polygons that fill alike go to the canvas together; `finish()` draws the last run.
    private let batch: DrawBatch

    init(layer: StyleLayer, zoom: Double, canvas: Canvas, labelPriority: Int, geometryCoordinates: FeatureGeometry.Coordinates? = nil) {
        self.layer = layer
        self.zoom = zoom
        self.canvas = canvas
        self.labelPriority = labelPriority
        self.geometryCoordinates = geometryCoordinates
        self.batch = DrawBatch(canvas: canvas)
    }

    /// Draws what the painter still holds; call it before the canvas's clip changes and after the layer.
    func finish() {
        batch.flush()
    }

    func paint(_ feature: Feature) {
        guard let context = context(for: feature) else { return }
        paint(feature, in: context)
    }

    /// The evaluation context of a feature the layer's filter accepts; nil when it rejects it.
    func context(for feature: Feature) -> EvaluationContext? {
        var context = EvaluationContext(zoom: zoom, properties: feature.properties, geometryType: feature.geometry.kind, featureID: feature.id)
        if let geometryCoordinates { context.geometry = FeatureGeometry(feature.geometry, coordinates: geometryCoordinates) }
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
                antialias: fill.antialias.evaluate(context),
                pattern: fill.pattern.map { $0.evaluate(context) }.flatMap { $0.isEmpty ? nil : $0 }
            )
            batch.fill(polygons, symbolizer)
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
                miterLimit: line.miterLimit.evaluate(context),
                pattern: line.pattern.map { $0.evaluate(context) }.flatMap { $0.isEmpty ? nil : $0 }
            )
            batch.flush()
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
            batch.flush()
            canvas.circle(points, symbolizer)
        case .symbol:
            guard let symbol = layer.symbol else { return }
            let text = textSymbolizer(symbol, context)
            // The renderer places higher priorities first; MapLibre places upper layers first and,
            // within a layer, lower symbol-sort-key first.
            var priority = labelPriority * 1_000_000
            if let sortKey = symbol.sortKey?.evaluate(context), sortKey.isFinite {
                priority -= Int(max(-999_999, min(999_999, sortKey.rounded())))
            }
            if let icon = iconSymbolizer(symbol, context) {
                canvas.addSymbol(for: feature.geometry, text: text, icon: icon, placement: symbol.placement.evaluate(context).renderValue,
                                 spacing: symbol.spacing.evaluate(context), priority: priority)
            } else if let text {
                canvas.addLabel(for: feature.geometry, text, priority: priority)
            }
        case .background:
            break
        }
    }

    private func textSymbolizer(_ symbol: SymbolProperties, _ context: EvaluationContext) -> TextSymbolizer? {
        guard let field = symbol.textField else { return nil }
        var text = field.evaluate(context)
        switch symbol.transform.evaluate(context) {
        case .uppercase: text = text.uppercased()
        case .lowercase: text = text.lowercased()
        case .none: break
        }
        guard !text.isEmpty else { return nil }
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
        return symbolizer
    }

    /// Nil when the layer has no icon or this feature's `icon-image` is empty.
    private func iconSymbolizer(_ symbol: SymbolProperties, _ context: EvaluationContext) -> IconSymbolizer? {
        guard let icon = symbol.icon else { return nil }
        let image = icon.image.evaluate(context)
        guard !image.isEmpty else { return nil }
        let offset = icon.offset.evaluate(context)
        let onLine = symbol.placement.evaluate(context) != .point
        let alignment = icon.rotationAlignment.evaluate(context)
        var symbolizer = IconSymbolizer(
            image: image,
            size: icon.size.evaluate(context),
            rotate: icon.rotate.evaluate(context),
            anchor: icon.anchor.evaluate(context),
            offset: (offset.count > 0 ? offset[0] : 0, offset.count > 1 ? offset[1] : 0),
            opacity: icon.opacity.evaluate(context),
            allowOverlap: icon.allowOverlap.evaluate(context),
            ignorePlacement: icon.ignorePlacement.evaluate(context),
            optional: icon.optional.evaluate(context),
            textOptional: symbol.optional.evaluate(context),
            padding: icon.padding.evaluate(context),
            textFit: icon.textFit.evaluate(context),
            textFitPadding: icon.textFitPadding.evaluate(context),
            // `auto` is `map` along lines, as in MapLibre.
            alignsWithLine: onLine && (alignment == .map || alignment == .auto)
        )
        symbolizer.color = icon.color.evaluate(context)
        symbolizer.haloColor = icon.haloColor.evaluate(context)
        symbolizer.haloWidth = icon.haloWidth.evaluate(context)
        return symbolizer
    }
}
