import CairnCore
import CairnSources
import Logging
import Synchronization

/// A style source backed by an MBTiles file of vector tiles, ready to render from: the open file,
/// the zoom range its tiles are read at, and a small cache of decoded tiles shared by every render
/// of the map (adjacent metatiles read the same source tiles, especially when over-zooming).
public final class LoadedVectorSource: Sendable {
    public let id: String
    public let source: MBTilesVectorSource
    /// Source tiles are read at the level MapLibre GL reads them for the same map scale:
    /// `min(floor(style zoom), maxzoom)` (a 256 px raster tile of XYZ level z is drawn at style zoom
    /// z − 1, so it reads level z − 1, as MapLibre does for its 512 px tiles). Below `minzoom` the
    /// source draws nothing (as in MapLibre), which also keeps a world-sized metatile from reading
    /// thousands of detailed tiles.
    public let minzoom: Int
    public let maxzoom: Int
    private let cache: Mutex<DecodedTileCache>
    private static let logger = Logger(label: "cairn.vector-source")

    init(id: String, source: MBTilesVectorSource, minzoom: Int, maxzoom: Int, cacheCapacity: Int = 256) {
        self.id = id
        self.source = source
        self.minzoom = minzoom
        self.maxzoom = maxzoom
        self.cache = Mutex(DecodedTileCache(capacity: cacheCapacity))
    }

    /// The source level read when drawing at `styleZoom`; nil below the source's minzoom.
    public func sourceZoom(forStyleZoom styleZoom: Double) -> Int? {
        guard styleZoom.isFinite else { return nil }
        let level = max(0, Int(styleZoom.rounded(.down)))
        return level < minzoom ? nil : min(level, maxzoom)
    }

    /// The source tiles that intersect `box` (EPSG:3857 metres) at the source level for `styleZoom`.
    /// Missing tiles are skipped; a corrupt tile is logged once and drawn as empty.
    public func tiles(covering box: BoundingBox, styleZoom: Double) -> [VectorSourceTile] {
        guard let sourceZ = sourceZoom(forStyleZoom: styleZoom),
              let range = TileGrid.webMercator.tileRange(covering: box, at: sourceZ) else { return [] }
        var result: [VectorSourceTile] = []
        result.reserveCapacity(range.count)
        for coordinate in range {
            if let tile = tile(coordinate) { result.append(tile) }
        }
        return result
    }

    /// One decoded tile, from the cache when it is there. Nil when the file has none or it is corrupt.
    public func tile(_ coordinate: TileCoordinate) -> VectorSourceTile? {
        if let cached = cache.withLock({ $0.value(for: coordinate) }) { return cached }
        // Decoded outside the lock: two threads may decode the same tile once each, which is cheaper
        // than making every other render wait.
        var decoded: VectorSourceTile?
        do {
            decoded = try source.tile(coordinate)
        } catch {
            Self.logger.error("vector tile skipped", metadata: [
                "source": "\(id)", "tile": "\(coordinate.z)/\(coordinate.x)/\(coordinate.y)", "error": "\(error)",
            ])
        }
        cache.withLock { $0.insert(decoded, for: coordinate) }
        return decoded
    }
}
