/// One data layer a style draws from — a (source, source-layer) pair — with what its style
/// layers read of it. This is what a vector tile of the layer must carry: the attributes every
/// style layer's filter and data-driven properties reference (`get`, `has`, legacy filters and
/// functions, `{token}` text fields), over the zooms at which any of them draws.
public struct StyleDataLayer: Sendable, Hashable {
    public let source: String
    /// Nil when the style layers leave `source-layer` out (single-layer GeoJSON and Shapefile sources).
    public let sourceLayer: String?
    /// Attribute keys referenced by name in any style layer of this data layer.
    public internal(set) var attributes: Set<String>
    /// Lowest `minzoom` of its style layers (0 when one has none).
    public internal(set) var minzoom: Double
    /// Highest `maxzoom` of its style layers (exclusive, as in the style spec; infinity when one has none).
    public internal(set) var maxzoom: Double
    /// The style layers drawing from it, in style order.
    public internal(set) var layerIDs: [String]
    /// Each style layer's `minzoom..<maxzoom`.
    var zoomRanges: [Range<Double>]

    /// Whether some style layer of the data layer may draw somewhere in the style zooms `lower..<upper`.
    public func isUsed(fromZoom lower: Double, below upper: Double) -> Bool {
        zoomRanges.contains { $0.lowerBound < upper && $0.upperBound > lower }
    }
}

extension Style {
    /// The data layers of the style, in the order of their first style layer. Layers hidden with
    /// `visibility: none` count too: a client may switch them on.
    public var dataLayers: [StyleDataLayer] {
        var order: [StyleDataLayer] = []
        var position: [String: Int] = [:]
        for layer in layers where layer.type != .background {
            guard let source = layer.source else { continue }
            let key = source + "\u{1F}" + (layer.sourceLayer ?? "")
            let minzoom = layer.minzoom ?? 0
            let maxzoom = Swift.max(layer.maxzoom ?? .infinity, minzoom)
            if let index = position[key] {
                order[index].attributes.formUnion(layer.requiredAttributes)
                order[index].minzoom = Swift.min(order[index].minzoom, minzoom)
                order[index].maxzoom = Swift.max(order[index].maxzoom, maxzoom)
                order[index].layerIDs.append(layer.id)
                order[index].zoomRanges.append(minzoom..<maxzoom)
            } else {
                position[key] = order.count
                order.append(StyleDataLayer(source: source, sourceLayer: layer.sourceLayer, attributes: layer.requiredAttributes,
                                            minzoom: minzoom, maxzoom: maxzoom, layerIDs: [layer.id],
                                            zoomRanges: [minzoom..<maxzoom]))
            }
        }
        return order
    }
}
