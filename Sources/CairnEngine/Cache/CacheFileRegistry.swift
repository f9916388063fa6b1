import CairnCore
import Foundation
import Logging
import NIOPosix
import Synchronization

/// The engine's cache files, one per map, grid and product (see `TileProducer.fileName`), for
/// serving, seeding and expiry alike. The lock here guards only the table of files and is never
/// held across SQLite or file IO: each `CacheFile` has its own state and lock.
final class CacheFileRegistry: Sendable {
    let directory: String
    private let ioPool: NIOThreadPool
    private let maintenancePool: NIOThreadPool
    private let logger: Logger
    private let files = Mutex<[String: CacheFile]>([:])
    /// How long a file that failed is served render-through (or read-only) before it is opened again.
    private let retryInterval: Duration

    init(directory: String, ioPool: NIOThreadPool, maintenancePool: NIOThreadPool, logger: Logger,
         retryInterval: Duration = CacheFile.defaultRetryInterval) {
        self.directory = directory
        self.ioPool = ioPool
        self.maintenancePool = maintenancePool
        self.logger = logger
        self.retryInterval = retryInterval
    }

    /// The cache file of `producer`'s map and product (created on first use).
    func file(for producer: TileProducer) -> CacheFile {
        let path = directory + "/" + producer.fileName
        return files.withLock { files in
            if let known = files[path] { return known }
            let file = CacheFile(path: path, mapName: producer.map.name, productName: producer.product.description,
                                 ioPool: ioPool, maintenancePool: maintenancePool, logger: logger, retryInterval: retryInterval)
            files[path] = file
            return file
        }
    }

    /// The cache file of `producer` when it is open or exists on disk (expiry must not create
    /// one); the existence check runs on the IO pool.
    func existingFile(for producer: TileProducer) async throws -> CacheFile? {
        let path = directory + "/" + producer.fileName
        if let known = files.withLock({ $0[path] }) { return known }
        let exists = try await ioPool.runIfActive { FileManager.default.fileExists(atPath: path) }
        return exists ? file(for: producer) : nil
    }

    /// A file outside the cache directory (`cairn seed --mbtiles PATH`), handled like the
    /// cache's own but not kept in the table.
    func standaloneFile(at path: String, of producer: TileProducer) -> CacheFile {
        files.withLock { $0[path] } ?? CacheFile(path: path, mapName: producer.map.name, productName: producer.product.description,
                                                 ioPool: ioPool, maintenancePool: maintenancePool, logger: logger, retryInterval: retryInterval)
    }

    /// Lets go of every open file that was deleted or replaced since it was opened (see
    /// `CacheFile.releaseIfReplaced`).
    func releaseReplacedFiles() async {
        for file in files.withLock({ Array($0.values) }) { await file.releaseIfReplaced() }
    }

    /// How each cache file opened so far serves, by path.
    func statuses() -> [CacheFileStatus] {
        files.withLock { Array($0.values) }.map(\.status).sorted { $0.path < $1.path }
    }
}
