import CairnCache
import CairnCore
import Foundation
import Synchronization

/// The engine's vector tile state: one MBTiles cache file per map (`NAME.pbf.mbtiles`, format
/// `pbf`, tiles gzip-compressed as the MBTiles spec's vector convention asks, `json` metadata with
/// `vector_layers`), the layer plan of each map version, and the encodes in flight.
final class VectorTileCache: Sendable {
    let directory: String
    /// Each open file with the map version it was last reconciled with.
    private let stores = Mutex<[String: (store: MBTilesStore, fingerprint: String)]>([:])
    private let plans = Mutex<[String: VectorLayerPlan]>([:])
    let inflight = InflightRenders<TileResult>()
    let queued = Atomic<Int>(0)
    let encodeCounter = Atomic<Int>(0)

    /// Bumped whenever the tile encoding changes, so tiles cached by an older Cairn are re-encoded.
    static let encodingVersion = "cairn-mvt-2"

    init(directory: String) {
        self.directory = directory
    }

    /// The fingerprint vector tiles of this map version are cached under.
    static func fingerprint(of map: LoadedMap) -> String {
        var hash = Fingerprinter()
        hash.add(encodingVersion)
        hash.add(map.fingerprint)
        return hash.hex
    }

    static func fileName(of map: LoadedMap) -> String { map.name + ".pbf.mbtiles" }

    /// The layer plan of this map version (made once per version: it scans the data for field types).
    func plan(for map: LoadedMap) -> VectorLayerPlan {
        if let known = plans.withLock({ $0[map.name] }), known.fingerprint == map.fingerprint { return known }
        let plan = VectorLayerPlan(map: map)
        plans.withLock { $0[map.name] = plan }
        return plan
    }

    func store(for map: LoadedMap, plan: VectorLayerPlan) throws -> MBTilesStore {
        let fileName = Self.fileName(of: map)
        let fingerprint = Self.fingerprint(of: map)
        return try stores.withLock { stores in
            if let open = stores[fileName] {
                if open.fingerprint == fingerprint { return open.store }
                try Self.reconcile(open.store, with: map, plan: plan)
                stores[fileName] = (open.store, fingerprint)
                return open.store
            }
            let store: MBTilesStore
            do {
                store = try MBTilesStore(path: directory + "/" + fileName, metadata: Self.metadata(map, plan: plan))
            } catch {
                throw EngineError(.cacheFailed, "cannot open the tile cache", detail: "\(fileName): \(error)")
            }
            try Self.reconcile(store, with: map, plan: plan)
            stores[fileName] = (store, fingerprint)
            return store
        }
    }

    /// The map's vector tile cache when the file exists (expiry must not create one); nil otherwise
    /// and for maps not in Web Mercator.
    func existingStore(for map: LoadedMap) throws -> MBTilesStore? {
        guard map.grid.identifier == TileGrid.webMercator.identifier,
              FileManager.default.fileExists(atPath: directory + "/" + Self.fileName(of: map)) else { return nil }
        return try store(for: map, plan: plan(for: map))
    }

    /// Tiles of an older map version are never served again; they stay listed as stale.
    static func reconcile(_ store: MBTilesStore, with map: LoadedMap, plan: VectorLayerPlan) throws {
        do {
            try store.markStale(notMatching: fingerprint(of: map))
            try store.updateMetadata(metadata(map, plan: plan))
        } catch {
            throw EngineError(.cacheFailed, "cannot update the tile cache", detail: "\(store.path): \(error)")
        }
    }

    static func metadata(_ map: LoadedMap, plan: VectorLayerPlan) -> MBTilesMetadata {
        var metadata = map.mbtilesMetadata(minZoom: map.configuration.minZoom, maxZoom: map.configuration.maxZoom)
        metadata.format = "pbf"
        metadata.type = "overlay"
        metadata.extra["cairn:fingerprint"] = fingerprint(of: map)
        let json: JSONValue = ["vector_layers": plan.vectorLayers]
        metadata.extra["json"] = json.text
        return metadata
    }
}
