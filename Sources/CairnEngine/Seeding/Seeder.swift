import CairnCache
import CairnCore
import Foundation

extension TileEngine {
    /// Renders every metatile of `map` that touches the request's area, skipping tiles
    /// already cached under the current fingerprint, with one render per core.
    public func seed(map name: String, _ request: SeedRequest, progress: @escaping @Sendable (SeedProgress) -> Void = { _ in }) async throws -> SeedProgress {
        let map = try await self.map(named: name)
        let area: BoundingBox
        if let bbox = request.bbox {
            area = WebMercator.project(bbox)
        } else {
            area = WebMercator.project(map.geographicBounds)
        }
        let store: MBTilesStore
        if let path = request.mbtilesPath {
            store = try MBTilesStore(path: path, metadata: map.mbtilesMetadata(minZoom: request.zooms.lowerBound, maxZoom: request.zooms.upperBound))
            _ = try store.removeTiles(notMatching: map.fingerprint)
        } else {
            store = try cacheFiles.store(for: map, scale: request.scale)
        }

        // Every metatile touching the area, zoom by zoom.
        var metatiles: [(Metatile, [TileCoordinate])] = []
        var total = 0
        for z in request.zooms where z >= 0 && z <= map.grid.maxZoom {
            guard let range = map.grid.tileRange(covering: area, at: z) else { continue }
            var seen: Set<TileCoordinate> = []
            for tile in range {
                let metatile = Metatile(containing: tile, size: map.configuration.metatileSize, in: map.grid)
                if seen.insert(metatile.origin).inserted {
                    let inArea = metatile.tiles.filter { t in
                        t.x >= range.minX && t.x <= range.maxX && t.y >= range.minY && t.y <= range.maxY
                    }
                    metatiles.append((metatile, inArea))
                }
            }
            total += range.count
        }

        var state = SeedProgress(totalTiles: total, doneTiles: 0, renderedTiles: 0, cachedTiles: 0, failedMetatiles: 0)
        progress(state)
        let workers = max(1, ProcessInfo.processInfo.activeProcessorCount)
        try await withThrowingTaskGroup(of: (Int, Int, Bool).self) { group in
            var iterator = metatiles.makeIterator()
            func addNext() -> Bool {
                guard let (metatile, wanted) = iterator.next() else { return false }
                group.addTask {
                    let missing = wanted.filter { (try? store.tile($0, matching: map.fingerprint)) == nil }
                    if missing.isEmpty { return (wanted.count, 0, true) }
                    do {
                        _ = try await self.renderMetatile(containing: metatile.origin, of: map, scale: request.scale, store: store)
                        return (wanted.count - missing.count, missing.count, true)
                    } catch {
                        self.logger.error("seeding a metatile failed", metadata: ["metatile": "\(metatile)", "error": "\(error)"])
                        return (0, 0, false)
                    }
                }
                return true
            }
            for _ in 0..<(workers * 2) where !addNext() { break }
            while let (cached, rendered, ok) = try await group.next() {
                state.cachedTiles += cached
                state.renderedTiles += rendered
                state.doneTiles += cached + rendered
                if !ok { state.failedMetatiles += 1 }
                progress(state)
                _ = addNext()
            }
        }
        return state
    }
}
