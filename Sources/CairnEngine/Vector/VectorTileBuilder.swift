import CairnCore
import CairnSources
import CairnStyle
import CairnVectorTile
import CairnZlib

/// Cuts one Mapbox Vector Tile (2.1) out of a loaded map: each planned layer's features in the
/// tile's box plus the encoder's buffer, clipped, simplified for the level, quantised to the
/// extent, with only the attributes the style reads.
public enum VectorTileBuilder {
    /// Tile coordinate units per side (MVT's usual 4096).
    public static let extent = 4096
    /// Extent units drawn beyond each tile edge, so lines and fills join across tiles.
    public static let buffer = 64

    /// The gzip-compressed protobuf of `tile`, as the server caches and sends it.
    public static func encodeCompressed(_ map: LoadedMap, plan: VectorLayerPlan, tile: TileCoordinate) throws -> [UInt8] {
        try Zlib.gzip(encode(map, plan: plan, tile: tile))
    }

    /// The uncompressed protobuf of `tile` (an empty tile has no layers and no bytes).
    public static func encode(_ map: LoadedMap, plan: VectorLayerPlan, tile: TileCoordinate) -> [UInt8] {
        encode(map, plan: plan, tile: tile) { _ in }
    }

    /// The uncompressed protobuf of `tile`, within `budget`: its feature cap and time limit are
    /// checked before each layer is cut, as the raster renderer checks them between features.
    /// - Throws: `RenderBudgetExceeded`.
    static func encode(_ map: LoadedMap, plan: VectorLayerPlan, tile: TileCoordinate, budget: RenderBudget) throws -> [UInt8] {
        var meter = RenderBudgetMeter(budget)
        return try encode(map, plan: plan, tile: tile) { features in try meter.charge(features: features) }
    }

    /// `charge` is told how many candidate features each layer is about to take, before it is cut.
    private static func encode(_ map: LoadedMap, plan: VectorLayerPlan, tile: TileCoordinate,
                               charge: (Int) throws -> Void) rethrows -> [UInt8] {
        let bounds = map.grid.bounds(of: tile)
        // MapLibre shows a level-z tile from zoom z to z + 1, and over-zooms the highest level.
        let upper = tile.z >= map.configuration.maxZoom ? Double.infinity : Double(tile.z + 1)
        let zooms = [Double(tile.z), min(upper, 30) - 0.001]
        let query = bounds.expanded(by: bounds.width * Double(buffer) / Double(extent))
        var encoder = VectorTileEncoder(bounds: bounds, extent: extent, buffer: buffer, tolerance: 1.0)
        // `within` and `distance` in filters read the feature's shape.
        let geometryCoordinates = FeatureGeometry.Coordinates(crs: map.grid.crs)
        for layer in plan.layers where layer.isCarried(atZoom: tile.z) {
            let attributes = Set(layer.attributes)
            let filters = layer.filters(atZoom: tile.z, upper: upper)
            // Only features some style layer draws at these zooms (MapLibre filters again; this only saves bytes).
            func add(_ features: some Sequence<Feature>) {
                guard let filters else {
                    encoder.addLayer(named: layer.name, features: features, attributes: attributes)
                    return
                }
                encoder.addLayer(named: layer.name, features: features.lazy.filter { feature in
                    var context = EvaluationContext(zoom: zooms[0], feature: feature)
                    if let geometryCoordinates { context.geometry = FeatureGeometry(feature.geometry, coordinates: geometryCoordinates) }
                    return filters.contains { filter in
                        zooms.contains { zoom in
                            context.zoom = zoom
                            return filter.matches(context)
                        }
                    }
                }, attributes: attributes)
            }
            if let data = map.layers[layer.key] {
                let indices = data.featureIndices(intersecting: query)
                guard !indices.isEmpty else { continue }
                try charge(indices.count)
                let features = data.features
                add(indices.lazy.map { features[Int($0)] })
            } else if let vectorSource = map.vectorSources[layer.source], let sourceLayer = layer.sourceLayer,
                      let sourceTile = sourceTile(of: vectorSource, for: tile),
                      let features = sourceTile.layers[sourceLayer], let boxes = sourceTile.featureBounds[sourceLayer] {
                // A layer read from vector tiles is cut again from the one source tile holding this tile
                // (itself, or its ancestor at the source's maxzoom), so no feature comes twice.
                try charge(features.count)
                add(features.indices.lazy.filter { boxes[$0].intersects(query) }.map { features[$0] })
            }
        }
        return encoder.encode()
    }

    /// The source tile MapLibre would read for `tile`: the same one, or its ancestor at the source's
    /// maxzoom; nil below the source's minzoom or where the file has none.
    static func sourceTile(of source: LoadedVectorSource, for tile: TileCoordinate) -> VectorSourceTile? {
        guard let level = source.sourceZoom(forStyleZoom: Double(tile.z)) else { return nil }
        let shift = tile.z - level
        return source.tile(TileCoordinate(z: level, x: tile.x >> shift, y: tile.y >> shift))
    }
}
