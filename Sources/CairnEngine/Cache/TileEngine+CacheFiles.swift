import CairnCore
import Foundation

extension TileEngine {
    /// Opens every cache file of the loaded maps that already exists (each grid and scale, and the
    /// vector tiles), as serving would: a file that cannot be used is logged and shown in
    /// `/health` at start, not only at its first request. Files that do not exist yet are left
    /// to be created by the first tile that needs them.
    public func openExistingCacheFiles() async {
        for name in mapNames {
            guard let grids = try? await grids(for: name) else { continue }
            for grid in grids {
                guard let map = try? await map(named: name, grid: grid.identifier) else { continue }
                for scale in map.configuration.scales {
                    await openIfExists(TileProducer(png: map, scale: scale))
                    let webp = TileProducer(webp: map, scale: scale)
                    if await exists(cacheFiles.directory + "/" + webp.fileName) { await openIfExists(webp) }
                }
                if grid.identifier == TileGrid.webMercator.identifier,
                   await exists(cacheFiles.directory + "/" + map.name + ".pbf.mbtiles") {
                    await openIfExists(TileProducer(pbf: map, plan: vectorPlans.plan(for: map)))
                }
            }
        }
    }

    /// How often `watchCacheFiles()` looks for cache files deleted or replaced under the server.
    public static let cacheFileWatchInterval: Duration = .seconds(2)

    /// Until cancelled, lets go of cache files deleted or replaced under the server (`rm -rf` of
    /// the cache folder, a file moved in), so their disk space is freed and no tile is written into
    /// a deleted file even for maps no request comes for; the next tile that needs one opens
    /// (creates) the file at its path. Requests notice within a second on their own.
    public func watchCacheFiles() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: Self.cacheFileWatchInterval)
            await cacheFiles.releaseReplacedFiles()
        }
    }

    private func openIfExists(_ producer: TileProducer) async {
        guard await exists(cacheFiles.directory + "/" + producer.fileName) else { return }
        _ = await cacheFiles.file(for: producer).servingStore(for: producer)
    }

    private func exists(_ path: String) async -> Bool {
        (try? await ioPool.runIfActive { FileManager.default.fileExists(atPath: path) }) ?? false
    }
}
