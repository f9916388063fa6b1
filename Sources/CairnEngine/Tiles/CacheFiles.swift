import CairnCache
import CairnCore
import Synchronization

/// The open MBTiles cache files, one per map and scale (`NAME.mbtiles`, `NAME@2x.mbtiles`).
final class CacheFiles: Sendable {
    let directory: String
    private let stores = Mutex<[String: MBTilesStore]>([:])

    init(directory: String) {
        self.directory = directory
    }

    func store(for map: LoadedMap, scale: Int) throws -> MBTilesStore {
        let fileName = scale == 1 ? "\(map.name).mbtiles" : "\(map.name)@\(scale)x.mbtiles"
        return try stores.withLock { stores in
            if let store = stores[fileName] { return store }
            let center = map.center
            let bounds = map.geographicBounds
            let metadata = MBTilesMetadata(
                name: map.name, format: "png",
                bounds: (bounds.minX, bounds.minY, bounds.maxX, bounds.maxY),
                center: (center.longitude, center.latitude, center.zoom),
                minzoom: map.configuration.minZoom, maxzoom: map.configuration.maxZoom,
                attribution: map.attribution, description: map.title
            )
            let store: MBTilesStore
            do {
                store = try MBTilesStore(path: directory + "/" + fileName, metadata: metadata)
            } catch {
                throw EngineError(.cacheFailed, "cannot open the tile cache \(fileName): \(error)")
            }
            stores[fileName] = store
            return store
        }
    }
}
