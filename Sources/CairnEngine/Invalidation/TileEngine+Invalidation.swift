import CairnCore
import CairnProjection

extension TileEngine {
    /// More ranges than this in one invalidation (a long `z/x/y` list) are merged into one range per
    /// zoom: a larger refresh for the client, but an event of bounded size.
    static let maxInvalidationRanges = 512

    /// What `expire(map:_:)` announces for `request` on `map`: the request's zooms, area and tiles in
    /// Web Mercator XYZ ranges (whatever the map's default grid) and as a WGS 84 box; a live edit's
    /// boxes widened by the renderer's buffer as the expiry widens them; "everything" as the whole
    /// world. An area whose transformation fails is announced as the whole world at those zooms,
    /// never as nothing.
    func invalidation(of request: ExpireRequest, in map: LoadedMap) -> TileInvalidation? {
        let web = TileGrid.webMercator
        // Only the zooms the map serves: a live edit expires 0–24, a page can only show the map's own.
        let lowest = max(request.zooms.lowerBound, map.configuration.minZoom, 0)
        let highest = min(request.zooms.upperBound, map.configuration.maxZoom, web.maxZoom)
        guard lowest <= highest else { return nil }
        let zooms = lowest...highest
        guard request.area != nil || !request.tiles.isEmpty || !request.sourceBoxes.isEmpty || request.everything else { return nil }
        // The exact ranges until there are too many, and all along one range per zoom covering them,
        // so a list of a million tiles costs no more memory than a short one.
        var exact: [TileRange]? = []
        var seen: Set<TileRange> = []
        var perZoom: [Int: TileRange] = [:]
        func add(_ range: TileRange) {
            perZoom[range.z] = perZoom[range.z].map { Self.covering($0, range) } ?? range
            guard exact != nil, seen.insert(range).inserted else { return }
            exact?.append(range)
            if (exact?.count ?? 0) > Self.maxInvalidationRanges { exact = nil; seen = [] }
        }
        var geographic = BoundingBox.empty
        // Areas and foreign-grid tiles become a box to cover; Web Mercator tiles are kept as they are.
        var covered = BoundingBox.empty
        do {
            if let specification = request.area {
                covered = try resolveArea(specification, for: map).bounds
            }
            if map.grid.identifier == web.identifier {
                for tile in request.tiles {
                    geographic.extend(with: WebMercator.unproject(web.bounds(of: tile)))
                    for z in zooms { add(Self.range(of: tile, at: z)) }
                }
            } else {
                for tile in request.tiles { covered.extend(with: map.grid.bounds(of: tile)) }
            }
            if !covered.isEmpty {
                let projected = try transformBoundingBox(covered, from: map.grid.crs, to: web.crs)
                geographic.extend(with: try transformBoundingBox(covered, from: map.grid.crs, to: .wgs84))
                for z in zooms { if let range = web.tileRange(covering: projected, at: z) { add(range) } }
            }
            // A live edit's boxes, in the table's CRS, widened at each zoom as the expiry widens them.
            if !request.sourceBoxes.isEmpty, let crs = request.sourceCRS {
                for box in request.sourceBoxes {
                    // A box PROJ cannot place in Web Mercator lies outside it: nothing there to refresh.
                    guard let projected = try? transformBoundingBox(box, from: crs, to: web.crs) else { continue }
                    if let degrees = try? transformBoundingBox(box, from: crs, to: .wgs84) { geographic.extend(with: degrees) }
                    for z in zooms {
                        let margin = Double(request.bufferPixels) * web.resolution(at: z)
                        let widened = BoundingBox(minX: projected.minX - margin, minY: projected.minY - margin,
                                                  maxX: projected.maxX + margin, maxY: projected.maxY + margin)
                        if let range = web.tileRange(covering: widened, at: z) { add(range) }
                    }
                }
            }
            if request.everything {
                geographic = .empty
                exact = zooms.map { z in TileRange(z: z, minX: 0, minY: 0, maxX: (1 << z) - 1, maxY: (1 << z) - 1) }
            }
        } catch {
            logger.warning("expiry of \(map.name): announced for the whole world: its area could not be transformed: \(error)")
            geographic = .empty
            exact = zooms.map { z in TileRange(z: z, minX: 0, minY: 0, maxX: (1 << z) - 1, maxY: (1 << z) - 1) }
        }
        let ranges = (exact ?? Array(perZoom.values)).sorted { ($0.z, $0.minY, $0.minX) < ($1.z, $1.minY, $1.minX) }
        guard !ranges.isEmpty else { return nil }
        let formats = request.formats ?? TileFormat.allCases
        let scales = formats.contains(.png) ? (request.scales ?? map.configuration.scales).filter(map.configuration.scales.contains) : []
        return TileInvalidation(map: map.name, zooms: zooms, bbox: geographic.isEmpty ? nil : geographic, tiles: ranges, formats: formats,
                                scales: scales, deleted: request.delete)
    }

    /// `tile`'s ancestor at a lower zoom, or the block of its descendants at a higher one.
    static func range(of tile: TileCoordinate, at z: Int) -> TileRange {
        if z <= tile.z {
            let shift = tile.z - z
            return TileRange(z: z, minX: tile.x >> shift, minY: tile.y >> shift, maxX: tile.x >> shift, maxY: tile.y >> shift)
        }
        let shift = z - tile.z
        return TileRange(z: z, minX: tile.x << shift, minY: tile.y << shift,
                         maxX: ((tile.x + 1) << shift) - 1, maxY: ((tile.y + 1) << shift) - 1)
    }

    /// The smallest range holding both (of one zoom).
    static func covering(_ a: TileRange, _ b: TileRange) -> TileRange {
        TileRange(z: a.z, minX: min(a.minX, b.minX), minY: min(a.minY, b.minY), maxX: max(a.maxX, b.maxX), maxY: max(a.maxY, b.maxY))
    }
}
