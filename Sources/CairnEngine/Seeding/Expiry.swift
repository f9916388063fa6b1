import CairnCache
import CairnCore
import Foundation

/// What to expire: an area and/or a list of tiles, at some zoom levels, in some scales and formats.
public struct ExpireRequest: Sendable {
    public var zooms: ClosedRange<Int>
    public var area: AreaSpecification?
    /// Tiles as `z/x/y` lines give them (osm2pgsql, mod_tile); each is expanded to every zoom
    /// in `zooms`: its parent above, its children below.
    public var tiles: [TileCoordinate]
    /// Delete the tiles instead of marking them stale.
    public var delete: Bool
    /// PNG scales; nil: every scale the map offers. Vector tiles have no scale: this never narrows them.
    public var scales: [Int]?
    /// nil: PNG and vector tiles.
    public var formats: [TileFormat]?

    public init(zooms: ClosedRange<Int>, area: AreaSpecification? = nil, tiles: [TileCoordinate] = [], delete: Bool = false,
                scales: [Int]? = nil, formats: [TileFormat]? = nil) {
        self.zooms = zooms
        self.area = area
        self.tiles = tiles
        self.delete = delete
        self.scales = scales
        self.formats = formats
    }
}

public struct ExpireResult: Sendable, Codable {
    /// Cached tiles marked stale or deleted, over all scales.
    public var tiles: Int
    public var deleted: Bool
}

/// Parses `z/x/y` lines; blank lines and `#` comments are skipped.
/// - Throws: a message naming the line number for anything else.
public func parseTileList(_ text: String, source: String = "stdin") throws -> [TileCoordinate] {
    var tiles: [TileCoordinate] = []
    for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
        let line = raw.trimmingCharacters(in: .whitespaces)
        if line.isEmpty || line.hasPrefix("#") { continue }
        // mod_tile's expire lists may carry extra fields after the tile; only the first counts.
        let first = line.split(separator: " ").first.map(String.init) ?? line
        guard let tile = TileCoordinate(parsing: first), tile.z >= 0, tile.z <= 24, tile.x >= 0, tile.y >= 0,
              tile.x < (1 << tile.z), tile.y < (1 << tile.z) else {
            throw EngineError(.badRequest, "\(source):\(number + 1): expected z/x/y, got \"\(line.prefix(80))\"")
        }
        tiles.append(tile)
    }
    return tiles
}

extension TileEngine {
    /// Marks (or deletes) every cached tile the request touches, across its zooms, scales and
    /// formats. A marked tile is re-rendered on its next request (or served while re-rendering,
    /// with `serve_stale`), and `cairn seed --stale-only` re-renders all of them. The map's vector
    /// tile cache is covered whenever its file exists (in Web Mercator, whatever the map's default
    /// grid); expiry never creates one. Once the tiles are marked, the expiry is published to
    /// `invalidations` (so open map pages refresh them), whoever asked for it.
    public func expire(map name: String, _ request: ExpireRequest) async throws -> ExpireResult {
        let map = try await self.map(named: name)
        let formats = request.formats ?? TileFormat.allCases
        var targets: [(file: CacheFile, producer: TileProducer)] = []
        if formats.contains(.png) {
            for scale in request.scales ?? map.configuration.scales where map.configuration.scales.contains(scale) {
                let producer = TileProducer(png: map, scale: scale)
                targets.append((cacheFiles.file(for: producer), producer))
            }
        }
        if formats.contains(.pbf) {
            let webMercator = TileGrid.webMercator.identifier
            var vectorMap: LoadedMap?
            if map.grid.identifier == webMercator {
                vectorMap = map
            } else if try await grids(for: name).contains(where: { $0.identifier == webMercator }) {
                vectorMap = try await self.map(named: name, grid: webMercator)
            }
            if let vectorMap {
                let producer = TileProducer(pbf: vectorMap, plan: vectorPlans.plan(for: vectorMap))
                if let file = try await cacheFiles.existingFile(for: producer) { targets.append((file, producer)) }
            }
        }
        var total = 0
        for (file, producer) in targets {
            let map = producer.map
            // Wait for older versions' stale marks, so the count is of what this expiry changed.
            let store = try await file.reconciledStore(for: producer)
            let zooms = max(request.zooms.lowerBound, 0)...min(request.zooms.upperBound, map.grid.maxZoom)
            var ranges: [(z: Int, minX: Int, minY: Int, maxX: Int, maxY: Int)] = []
            // Polygons are walked, not listed: a large area at high zooms is expired a chunk at a time.
            var polygonWalk: AreaTiling.Walk?
            if let specification = request.area {
                let area = try resolveArea(specification, for: map)
                if case .box = specification {
                    for z in zooms {
                        if let range = map.grid.tileRange(covering: area.bounds, at: z) {
                            ranges.append((z, range.minX, range.minY, range.maxX, range.maxY))
                        }
                    }
                } else if zooms.lowerBound <= zooms.upperBound {
                    polygonWalk = AreaTiling(area: area, grid: map.grid, metatileSize: 16).walk(zooms)
                }
            }
            for tile in request.tiles {
                for z in zooms {
                    if z <= tile.z {
                        let shift = tile.z - z
                        ranges.append((z, tile.x >> shift, tile.y >> shift, tile.x >> shift, tile.y >> shift))
                    } else {
                        let shift = z - tile.z
                        ranges.append((z, tile.x << shift, tile.y << shift, ((tile.x + 1) << shift) - 1, ((tile.y + 1) << shift) - 1))
                    }
                }
            }
            let delete = request.delete
            if var walk = polygonWalk {
                var chunk: [TileCoordinate] = []
                while true {
                    let next = walk.next()
                    if let (_, tiles) = next { chunk += tiles }
                    guard chunk.count >= 8192 || (next == nil && !chunk.isEmpty) else {
                        if next == nil { break } else { continue }
                    }
                    let tiles = chunk
                    chunk.removeAll(keepingCapacity: true)
                    total += try await ioPool.runIfActive { delete ? try store.deleteTiles(tiles) : try store.markStale(tiles) }
                }
            }
            let rangesToApply = ranges
            total += try await ioPool.runIfActive {
                var changed = 0
                for r in rangesToApply {
                    changed += delete
                        ? try store.deleteTiles(zoom: r.z, minX: r.minX, minY: r.minY, maxX: r.maxX, maxY: r.maxY)
                        : try store.markStale(zoom: r.z, minX: r.minX, minY: r.minY, maxX: r.maxX, maxY: r.maxY)
                }
                return changed
            }
            if delete { try await file.refreshStoredExtent(of: producer) }
        }
        if let invalidation = invalidation(of: request, in: map) { invalidations.publish(invalidation) }
        return ExpireResult(tiles: total, deleted: request.delete)
    }
}
