import CairnCache
import CairnCore
import CairnProjection

/// The `minzoom`, `maxzoom` and `bounds` metadata rows of a cache file, from the tiles it holds:
/// readers open a tileset at its `maxzoom` and over its `bounds`, so rows naming zoom levels
/// never rendered show them an empty image.
enum StoredExtentMetadata {
    /// nil when the file holds no tiles (the configured rows stay). `bounds` is the union of the
    /// stored tiles of every zoom level in WGS84, clipped to the map's bounds. Call on a pool
    /// thread (it may use PROJ).
    static func rows(_ extents: [MBTilesStore.ZoomExtent], of producer: TileProducer) -> [String: String]? {
        guard let lowest = extents.first?.zoom, let highest = extents.last?.zoom else { return nil }
        let grid = producer.map.grid
        var union = BoundingBox.empty
        for extent in extents where extent.zoom <= grid.maxZoom {
            let first = grid.bounds(of: TileCoordinate(z: extent.zoom, x: extent.minX, y: extent.minY))
            let last = grid.bounds(of: TileCoordinate(z: extent.zoom, x: extent.maxX, y: extent.maxY))
            union = BoundingBox(minX: min(union.minX, first.minX, last.minX), minY: min(union.minY, first.minY, last.minY),
                                maxX: max(union.maxX, first.maxX, last.maxX), maxY: max(union.maxY, first.maxY, last.maxY))
        }
        var metadata = producer.metadata
        metadata.minZoom = lowest
        metadata.maxZoom = highest
        // A box PROJ cannot transform keeps the configured bounds: the zoom rows matter most to readers.
        if !union.isEmpty, let geographic = try? transformBoundingBox(union, from: grid.crs, to: .wgs84) {
            let mapBounds = producer.map.geographicBounds
            let clipped = BoundingBox(minX: max(geographic.minX, mapBounds.minX), minY: max(geographic.minY, mapBounds.minY),
                                      maxX: min(geographic.maxX, mapBounds.maxX), maxY: min(geographic.maxY, mapBounds.maxY))
            metadata.bounds = clipped.isEmpty ? geographic : clipped
        }
        let all = metadata.rows
        return ["minzoom": all["minzoom"]!, "maxzoom": all["maxzoom"]!, "bounds": all["bounds"]!]
    }
}
