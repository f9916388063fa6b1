import CairnCache
import CairnCore
import Synchronization

/// The open MBTiles cache files, one per map and scale (`NAME.mbtiles`, `NAME@2x.mbtiles`).
final class CacheFiles: Sendable {
    let directory: String
    /// Each open file with the map version it was last reconciled with.
    private let stores = Mutex<[String: (store: MBTilesStore, fingerprint: String)]>([:])

    init(directory: String) {
        self.directory = directory
    }

    func store(for map: LoadedMap, scale: Int) throws -> MBTilesStore {
        // Web Mercator keeps the plain names MBTiles readers expect; other grids get their own files.
        let gridPart = map.grid.identifier == TileGrid.webMercator.identifier ? "" : "." + map.grid.identifier
        let fileName = "\(map.name)\(gridPart)" + (scale == 1 ? ".mbtiles" : "@\(scale)x.mbtiles")
        return try stores.withLock { stores in
            if let open = stores[fileName] {
                if open.fingerprint == map.fingerprint { return open.store }
                try Self.reconcile(open.store, with: map)
                stores[fileName] = (open.store, map.fingerprint)
                return open.store
            }
            let metadata = map.mbtilesMetadata(minZoom: map.configuration.minZoom, maxZoom: map.configuration.maxZoom)
            let store: MBTilesStore
            do {
                let grid = map.grid
                store = try MBTilesStore(path: directory + "/" + fileName, metadata: metadata) { z in
                    z <= grid.maxZoom ? grid.matrixSize(at: z) : (0, 0)
                }
            } catch {
                throw EngineError(.cacheFailed, "cannot open the tile cache", detail: "\(fileName): \(error)")
            }
            try Self.reconcile(store, with: map)
            stores[fileName] = (store, map.fingerprint)
            return store
        }
    }
}

extension CacheFiles {
    /// Tiles of an older style or data version are never served again; they stay listed as
    /// stale so that `cairn seed --stale-only` re-renders exactly those.
    static func reconcile(_ store: MBTilesStore, with map: LoadedMap) throws {
        do {
            try store.markStale(notMatching: map.fingerprint)
            try store.updateMetadata(map.mbtilesMetadata(minZoom: map.configuration.minZoom, maxZoom: map.configuration.maxZoom))
        } catch {
            throw EngineError(.cacheFailed, "cannot update the tile cache", detail: "\(store.path): \(error)")
        }
    }
}

extension LoadedMap {
    /// The MBTiles `metadata` rows describing this map.
    func mbtilesMetadata(minZoom: Int, maxZoom: Int) -> MBTilesMetadata {
        let center = self.center
        return MBTilesMetadata(
            name: name, format: "png", bounds: geographicBounds,
            center: .init(longitude: center.longitude, latitude: center.latitude, zoom: center.zoom),
            minZoom: minZoom, maxZoom: maxZoom, attribution: attribution, description: title,
            extra: ["cairn:fingerprint": fingerprint]
        )
    }
}
