import CairnCache
import CairnCore
import Foundation

/// An area given by a user: a box in some CRS, or the polygons of a layer in a file.
public enum AreaSpecification: Sendable {
    /// West, south, east, north in `crs` (EPSG:4326 degrees unless given).
    case box(BoundingBox, crs: CRSDefinition)
    /// The polygons of a GeoJSON, GeoPackage or Shapefile layer, reprojected with PROJ.
    case polygons(path: String, layer: String?)
}

/// What to pre-render.
public struct SeedRequest: Sendable {
    public var zooms: ClosedRange<Int>
    /// nil: the map's data extent.
    public var area: AreaSpecification?
    public var scale: Int
    /// Write to this MBTiles file instead of the map's cache file.
    public var mbtilesPath: String?
    /// Only re-render tiles that are cached but stale (expired, or from an older style or data version).
    public var staleOnly: Bool
    /// Only re-render the tiles the last runs recorded as failed.
    public var retryFailed: Bool
    /// Stop starting new metatiles after this long; the next run continues where this one stopped.
    public var maxDuration: Duration?
    /// Concurrent metatile renders (or vector tile batches); nil = one per core.
    public var workers: Int?
    /// PNG (the default) or vector tiles; `scale` applies to PNG only.
    public var format: TileFormat
    /// Only the metatiles the cluster's ring gives one instance (`--shard K/N`); nil: all.
    public var shard: SeedShard?

    public init(zooms: ClosedRange<Int>, area: AreaSpecification? = nil, scale: Int = 1, mbtilesPath: String? = nil,
                staleOnly: Bool = false, retryFailed: Bool = false, maxDuration: Duration? = nil, workers: Int? = nil,
                format: TileFormat = .png, shard: SeedShard? = nil) {
        self.zooms = zooms
        self.area = area
        self.scale = scale
        self.mbtilesPath = mbtilesPath
        self.staleOnly = staleOnly
        self.retryFailed = retryFailed
        self.maxDuration = maxDuration
        self.workers = workers
        self.format = format
        self.shard = shard
    }

    /// Convenience for a box in degrees.
    public init(zooms: ClosedRange<Int>, bbox: BoundingBox?, scale: Int = 1, mbtilesPath: String? = nil) {
        self.init(zooms: zooms, area: bbox.map { .box($0, crs: .wgs84) }, scale: scale, mbtilesPath: mbtilesPath)
    }
}

/// Counts from a seeding run, reported as it goes and at the end.
public struct SeedProgress: Sendable, Codable {
    /// Tiles in the area (or in the stale/failed list) at the requested zooms.
    public var totalTiles: Int
    public var totalMetatiles: Int
    public var doneTiles: Int
    public var renderedTiles: Int
    /// Already cached and current: not rendered again.
    public var cachedTiles: Int
    /// One-colour tiles (open sea, empty land), stored once however often they occur; for vector
    /// tiles, tiles with no features.
    public var blankTiles: Int
    public var failedTiles: Int
    public var bytes: Int
    public var elapsedSeconds: Double
    /// True when a time limit, a cancellation or a full disk stopped the run early.
    public var stoppedEarly: Bool
    /// Set when the run stopped because the cache's disk is full (the file, its free space).
    public var cacheFull: CacheWriteError?
    /// Failed tiles that could not be recorded in the file for `--retry-failed` (its disk was
    /// full even after the seed gave up its reserve): a plain rerun still renders them.
    public var unrecordedFailures: Int

    public init(totalTiles: Int, totalMetatiles: Int) {
        self.totalTiles = totalTiles
        self.totalMetatiles = totalMetatiles
        doneTiles = 0
        renderedTiles = 0
        cachedTiles = 0
        blankTiles = 0
        failedTiles = 0
        bytes = 0
        elapsedSeconds = 0
        stoppedEarly = false
        cacheFull = nil
        unrecordedFailures = 0
    }

    public var tilesPerSecond: Double { elapsedSeconds > 0 ? Double(renderedTiles + cachedTiles) / elapsedSeconds : 0 }

    /// Seconds left at the current rate, nil before there is a rate.
    public var etaSeconds: Double? {
        let rate = tilesPerSecond
        return rate > 0 ? Double(totalTiles - doneTiles) / rate : nil
    }

    /// Failures for the legacy name used by earlier callers.
    public var failedMetatiles: Int { failedTiles }
}

/// How many tiles and metatiles each zoom level of a seed would take (for vector tiles, which
/// are encoded one by one, the "metatiles" are the batches committed in one transaction each).
public struct SeedPlan: Sendable {
    public struct Level: Sendable, Codable {
        public var zoom: Int
        public var tiles: Int
        public var metatiles: Int

        public init(zoom: Int, tiles: Int, metatiles: Int) {
            self.zoom = zoom
            self.tiles = tiles
            self.metatiles = metatiles
        }
    }
    public var levels: [Level]
    public var totalTiles: Int { levels.reduce(0) { $0 + $1.tiles } }
    public var totalMetatiles: Int { levels.reduce(0) { $0 + $1.metatiles } }

    public init(levels: [Level]) { self.levels = levels }
}

/// What a seed covers, decided before any work: its zooms within the map's (nil: none), its
/// area in the grid with the batch size, and for `staleOnly` / `retryFailed` which records of
/// the file it works through instead of the whole area.
struct SeedScope: Sendable {
    let tiling: AreaTiling
    let zooms: ClosedRange<Int>?
    let listing: TileListing?
    let shard: SeedShard?
}
