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
            let metadata = map.mbtilesMetadata(minZoom: map.configuration.minZoom, maxZoom: map.configuration.maxZoom)
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
