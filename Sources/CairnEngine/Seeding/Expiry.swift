import CairnCache
import CairnCore
import CairnProjection
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
    /// Boxes in `sourceCRS` (a live edit's old and new geometries), expired in every grid of the
    /// map, each widened by `bufferPixels` at each zoom (features that near a tile draw into it).
    public var sourceBoxes: [BoundingBox] = []
    public var sourceCRS: CRSDefinition?
    public var bufferPixels = 0
    /// Every tile of every grid (the source's whole table changed, or edits may have been missed).
    public var everything = false

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
            // Areas and boxes reach every grid the map is offered in; z/x/y lists are of the default grid.
            let grids = request.area == nil && request.sourceBoxes.isEmpty && !request.everything ? [map.grid] : try await grids(for: name)
            for grid in grids {
                let gridMap = grid.identifier == map.grid.identifier ? map : try await self.map(named: name, grid: grid.identifier)
                for scale in request.scales ?? map.configuration.scales where map.configuration.scales.contains(scale) {
                    let producer = TileProducer(png: gridMap, scale: scale)
                    if gridMap.grid.identifier == map.grid.identifier {
                        targets.append((cacheFiles.file(for: producer), producer))
                    } else if let file = try await cacheFiles.existingFile(for: producer) {
                        targets.append((file, producer))
                    }
                }
            }
        }
        if formats.contains(.webp) {
            // WebP tiles are served in the default grid only; expiry never creates their file.
            for scale in request.scales ?? map.configuration.scales where map.configuration.scales.contains(scale) {
                let producer = TileProducer(webp: map, scale: scale)
                if let file = try await cacheFiles.existingFile(for: producer) { targets.append((file, producer)) }
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
        let defaultGrid = map.grid.identifier
        for (file, producer) in targets {
            let map = producer.map
            // Wait for older versions' stale marks, so the count is of what this expiry changed.
            let store = try await file.reconciledStore(for: producer)
            // Before any mark: renders reading data now store their tiles stale (CacheFile.write).
            file.beginExpiry()
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
            if request.everything {
                for z in zooms { ranges.append((z, 0, 0, Int(Int32.max), Int(Int32.max))) }
            } else if !request.sourceBoxes.isEmpty, let crs = request.sourceCRS {
                let (boxes, grid) = (request.sourceBoxes, map.grid)
                // PROJ reads its database: off the cooperative pool. A box PROJ cannot place in
                // this grid's CRS lies outside the grid's area of use.
                let gridBoxes = try await ioPool.runIfActive {
                    boxes.compactMap { try? transformBoundingBox($0, from: crs, to: grid.crs) }
                }
                for z in zooms {
                    let margin = Double(request.bufferPixels) * grid.resolution(at: z)
                    for box in gridBoxes {
                        let widened = BoundingBox(minX: box.minX - margin, minY: box.minY - margin, maxX: box.maxX + margin, maxY: box.maxY + margin)
                        if let range = grid.tileRange(covering: widened, at: z) {
                            ranges.append((z, range.minX, range.minY, range.maxX, range.maxY))
                        }
                    }
                }
            }
            for tile in request.tiles where producer.format == .pbf || producer.map.grid.identifier == defaultGrid {
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
                    let marked = Set(tiles)
                    memory.remove(of: file) { marked.contains($0) }
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
                try file.markExpired(in: store)
                return changed
            }
            // Once marked (the epoch was bumped before): a tile read meanwhile is not kept, one kept before goes now.
            memory.remove(of: file) { tile in
                rangesToApply.contains { $0.z == tile.z && $0.minX <= tile.x && tile.x <= $0.maxX && $0.minY <= tile.y && tile.y <= $0.maxY }
            }
            if delete { try await file.refreshStoredExtent(of: producer) }
        }
        // Announcing transforms boxes with PROJ, which reads its database: off the cooperative pool.
        if let invalidation = try? await ioPool.runIfActive({ self.invalidation(of: request, in: map) }) {
            invalidations.publish(invalidation)
        }
        return ExpireResult(tiles: total, deleted: request.delete)
    }
}
