import CairnCore

extension TileEngine {
    /// How long the hot path trusts a file's map version without the engine looking at the map
    /// again (the map registry checks a map's files at most once a second too).
    static let memoryVersionCheckInterval: Duration = .seconds(1)

    /// The PNG tile `tile` of `map`'s default grid at `scale`, when it is in the memory cache and
    /// nothing it depends on changed: for the server's hot path, on its event loop (no lock but
    /// one shard's and the file's, no allocation, no SQLite call). Nil sends the request the
    /// ordinary way, which checks the map's version, fills the cache and lets this answer again.
    /// Access is the caller's to decide before calling.
    public func memoryTile(map: String, scale: Int, _ tile: TileCoordinate) -> MemoryTile? {
        let key = MemoryTileCache.Key(map: map, grid: nil, product: .png(scale: scale), tile: tile)
        guard let found = memory.tile(key, fingerprint: nil),
              found.file.wasServed(found.fingerprint, within: Self.memoryVersionCheckInterval) else { return nil }
        metrics.tiles(.png).hits.wrappingAdd(1, ordering: .relaxed)
        return found.tile
    }

    /// Bytes and tiles the memory cache holds now, and its bound.
    public var memoryCacheUsage: (bytes: Int, tiles: Int, capacity: Int) {
        let usage = memory.usage
        return (usage.bytes, usage.tiles, memory.capacity)
    }

    /// The memory cache's key for `tile` of `producer`: the default grid is keyed as nil, as
    /// `memoryTile` asks for it.
    func memoryCacheKey(_ tile: TileCoordinate, of producer: TileProducer) -> MemoryTileCache.Key {
        let map = producer.map
        let isDefault = map.grid.identifier == (map.configuration.grids.first ?? TileGrid.webMercator.identifier)
        return MemoryTileCache.Key(map: map.name, grid: isDefault ? nil : map.grid.identifier, product: producer.product, tile: tile)
    }

    /// Keeps a current tile (read from or stored in `file`) in memory.
    func remember(_ result: TileResult, at key: MemoryTileCache.Key, of producer: TileProducer, file: CacheFile, stamp: MemoryTileCache.Stamp) {
        guard memory.isEnabled else { return }
        let tile = MemoryTile(data: result.data, etag: result.etag, maxAgeSeconds: producer.map.configuration.maxAgeSeconds)
        memory.store(tile, at: key, fingerprint: producer.cacheFingerprint, file: file, stamp: stamp)
    }
}
