import CairnCache
import CairnCore
import CairnZlib
import Foundation

/// Writes a map's vector tiles for a list of tiles into a spec-readable MBTiles file (format
/// `pbf`, gzip tiles, `json` vector_layers), encoded exactly as the server encodes them. The
/// benchmark renders from such a file to measure MVT decode + render on known content.
public enum VectorTileExport {
    /// Encodes and stores `tiles`; returns how many were stored and their compressed bytes.
    /// Tiles with no features are stored too (as empty tiles), so readers never fall back to a parent.
    @discardableResult
    public static func write(_ map: LoadedMap, tiles: [TileCoordinate], to path: String) throws -> (tiles: Int, bytes: Int) {
        let plan = VectorLayerPlan(map: map)
        let producer = TileProducer(pbf: map, plan: plan)
        var metadata = producer.metadata
        metadata.minZoom = tiles.map(\.z).min() ?? metadata.minZoom
        metadata.maxZoom = tiles.map(\.z).max() ?? metadata.maxZoom
        let store = try MBTilesStore(path: path, metadata: metadata)
        let fingerprint = producer.cacheFingerprint
        var batch: [(TileCoordinate, [UInt8], etag: String)] = []
        var bytes = 0
        for tile in tiles {
            let compressed = try Zlib.gzip(VectorTileBuilder.encode(map, plan: plan, tile: tile))
            bytes += compressed.count
            batch.append((tile, compressed, etag: TileResult.etag(for: compressed, fingerprint: fingerprint)))
            if batch.count == 256 {
                try store.store(batch, fingerprint: fingerprint)
                batch.removeAll(keepingCapacity: true)
            }
        }
        if !batch.isEmpty { try store.store(batch, fingerprint: fingerprint) }
        store.checkpoint()
        return (tiles.count, bytes)
    }

    /// The style JSON rewritten to draw every data layer from the MVT layers of an exported file
    /// (`mbtiles://path`), keeping paint, layout, filters and zoom ranges as they are; labels stay.
    public static func styleReadingExport(of map: LoadedMap, styleJSON: Data, mbtilesPath: String) throws -> Data {
        let plan = VectorLayerPlan(map: map)
        guard var style = try? JSONParser.parse([UInt8](styleJSON)), let layers = style["layers"]?.arrayValue else {
            throw EngineError(.invalidConfiguration, "the style is not a JSON object with layers")
        }
        style[member: "sources"] = ["export": ["type": "vector", "url": JSONValue("mbtiles://" + mbtilesPath)]]
        style[member: "layers"] = .array(layers.map { layer in
            guard let source = layer["source"]?.stringValue else { return layer }
            var rewritten = layer
            rewritten[member: "source"] = "export"
            rewritten[member: "source-layer"] = JSONValue(plan.layerName(source: source, sourceLayer: layer["source-layer"]?.stringValue) ?? source)
            return rewritten
        })
        return Data(style.text.utf8)
    }
}
