import CairnCache
import CairnCore
import Foundation
import Logging
import NIOPosix
import Synchronization

/// One MBTiles cache file of the engine, with its own state and lock: nothing here is shared with
/// another file, so one map's slow cache work never holds up another map's tiles.
///
/// Every SQLite call runs on a thread pool, never on the cooperative pool: reads and opening on
/// `ioPool` (the request waits for them, and they are short), and the maintenance a new map
/// version needs (marking older tiles stale, which scans the whole file, and rewriting the
/// metadata) on `maintenancePool`, in the background and in order. Requests never wait for the
/// maintenance: tiles are read by fingerprint, so an older tile is never served, marked or not.
final class CacheFile: Sendable {
    let path: String
    private let ioPool: NIOThreadPool
    private let maintenancePool: NIOThreadPool
    private let logger: Logger

    private struct State {
        var store: MBTilesStore?
        /// The cache fingerprint whose stale marks and metadata are written (or queued to be).
        var reconciledFingerprint: String?
        /// The last maintenance queued; each one waits for the one before.
        var maintenance: Task<Void, Never>?
        /// The zoom levels the metadata rows were last written for.
        var describedZooms: ClosedRange<Int>?
        var lastReadErrorLog: ContinuousClock.Instant?
    }
    private let state = Mutex(State())
    /// Held (on an IO thread) while the file is opened, so it is opened once.
    private let opening = Mutex(())
    /// Write failures, logged once per interval (a full disk fails every metatile).
    let writeFailures = WriteFailureLog()

    /// A read error is logged at most once per this interval per file; all of them are counted.
    static let readErrorLogInterval: Duration = .seconds(60)

    init(path: String, ioPool: NIOThreadPool, maintenancePool: NIOThreadPool, logger: Logger) {
        self.path = path
        self.ioPool = ioPool
        self.maintenancePool = maintenancePool
        self.logger = logger
    }

    /// The open store, for serving: opens the file first if needed (on the IO pool). When the
    /// map version changed, the older tiles are marked stale in the background.
    /// - Throws: `EngineError(.cacheFailed)` when the file cannot be opened.
    func store(for producer: TileProducer) async throws -> MBTilesStore {
        let store: MBTilesStore
        if let open = state.withLock({ $0.store }) {
            store = open
        } else {
            do {
                store = try await ioPool.runIfActive {
                    do { return try self.open(producer) } catch { throw CacheOpenError(error, path: self.path) }
                }
            } catch let error as CacheOpenError {
                throw EngineError(.cacheFailed, "cannot open the tile cache", detail: "\(error)")
            } catch {
                throw EngineError(.cacheFailed, "cannot open the tile cache", detail: "\(path): \(error)")
            }
        }
        let fingerprint = producer.cacheFingerprint
        let changed = state.withLock { state -> Bool in
            guard state.reconciledFingerprint != fingerprint else { return false }
            state.reconciledFingerprint = fingerprint
            return true
        }
        if changed { reconcile(store, with: producer) }
        return store
    }

    /// The open store once its tiles of older map versions are marked stale, for work that lists
    /// stale tiles or counts what it marks (seeding, expiry).
    func reconciledStore(for producer: TileProducer) async throws -> MBTilesStore {
        let store = try await store(for: producer)
        let maintenance = state.withLock { $0.maintenance }
        await maintenance?.value
        return store
    }

    /// The tile cached at `tile` from `fingerprint`, read on the IO pool; nil when there is none
    /// or the read failed. A failed read is counted and logged, and the caller renders instead.
    func read(_ tile: TileCoordinate, from store: MBTilesStore, matching fingerprint: String, counters: TileCounters) async -> CachedTile? {
        do {
            return try await ioPool.runIfActive { try store.tile(tile, matching: fingerprint) }
        } catch {
            counters.readErrors.wrappingAdd(1, ordering: .relaxed)
            let now = ContinuousClock.now
            let log = state.withLock { state -> Bool in
                if let last = state.lastReadErrorLog, now - last < Self.readErrorLogInterval { return false }
                state.lastReadErrorLog = now
                return true
            }
            if log {
                logger.error("cache read failed; rendering instead (further read errors of this file are counted, logged once a minute)",
                             metadata: ["file": "\(path)", "tile": "\(tile)", "error": "\(error)"])
            }
            return nil
        }
    }

    /// Stores made tiles. Call on a pool thread (this blocks on SQLite). When the tiles reach
    /// zoom levels the metadata does not cover yet, the metadata is brought up to date in the
    /// background.
    /// A failure is logged here (once per interval per file, with the free space when the disk
    /// is full) and thrown as a `CacheWriteError`.
    func write(_ rows: [(TileCoordinate, [UInt8], etag: String)], fingerprint: String, to store: MBTilesStore, of producer: TileProducer) throws {
        guard !rows.isEmpty else { return }
        do {
            try store.store(rows, fingerprint: fingerprint)
        } catch {
            let failure = CacheWriteError(error, path: path)
            writeFailures.record(failure, "could not cache tiles", metadata: [
                "map": "\(producer.map.name)", "product": "\(producer.product)", "tile": "\(rows[0].0)", "tiles": "\(rows.count)",
            ], logger: logger)
            throw failure
        }
        writeFailures.recordSuccess(path: path, logger: logger)
        var lowest = Int.max, highest = Int.min
        for row in rows {
            lowest = min(lowest, row.0.z)
            highest = max(highest, row.0.z)
        }
        let grew = state.withLock { state -> Bool in
            guard let described = state.describedZooms else { return true }
            return !described.contains(lowest) || !described.contains(highest)
        }
        if grew { enqueueMaintenance(on: store) { try self.describeStoredTiles(in: $0, of: producer) } }
    }

    /// Rewrites `minzoom`, `maxzoom` and `bounds` from the stored tiles, after the maintenance
    /// queued before it; returns once written (for the end of a seed or an expiry).
    func refreshStoredExtent(of producer: TileProducer) async throws {
        let store = try await store(for: producer)
        await enqueueMaintenance(on: store) { try self.describeStoredTiles(in: $0, of: producer) }.value
    }

    // MARK: Internals

    /// Call on an IO thread.
    private func open(_ producer: TileProducer) throws -> MBTilesStore {
        try opening.withLock { _ in
            if let open = state.withLock({ $0.store }) { return open }
            let store = try MBTilesStore(path: path, metadata: producer.metadata, matrixSize: producer.matrixSize)
            state.withLock { $0.store = store }
            return store
        }
    }

    /// Marks tiles of other map versions stale and rewrites the metadata, in the background.
    private func reconcile(_ store: MBTilesStore, with producer: TileProducer) {
        let fingerprint = producer.cacheFingerprint
        let logger = self.logger
        let path = self.path
        enqueueMaintenance(on: store) { store in
            let clock = ContinuousClock()
            let start = clock.now
            try store.updateMetadata(producer.metadata)
            let marked = try store.markStale(notMatching: fingerprint)
            try self.describeStoredTiles(in: store, of: producer)
            if marked > 0 {
                logger.info("tiles of an older map version marked stale", metadata: [
                    "file": "\(path)", "tiles": "\(marked)", "seconds": "\((clock.now - start).secondsValue)",
                ])
            }
        }
    }

    /// Writes the metadata rows describing what the file holds. Call on a pool thread.
    private func describeStoredTiles(in store: MBTilesStore, of producer: TileProducer) throws {
        let extents = try store.storedExtents()
        guard let rows = StoredExtentMetadata.rows(extents, of: producer) else { return }
        try store.updateMetadata(rows)
        let zooms = extents.first!.zoom...extents.last!.zoom
        state.withLock { $0.describedZooms = zooms }
    }

    /// Queues `job` after the maintenance already queued, on the maintenance pool. Failures are
    /// logged: maintenance only keeps stale marks and metadata up to date, serving does not need it.
    @discardableResult
    private func enqueueMaintenance(on store: MBTilesStore, _ job: @escaping @Sendable (MBTilesStore) throws -> Void) -> Task<Void, Never> {
        let pool = maintenancePool
        let logger = self.logger
        let path = self.path
        return state.withLock { state in
            let previous = state.maintenance
            let task = Task {
                await previous?.value
                do {
                    try await pool.runIfActive { try job(store) }
                } catch is NIOThreadPoolError.ThreadPoolInactive, is CancellationError {
                    // Shutting down: the next start reconciles the file again.
                } catch {
                    logger.error("cache maintenance failed", metadata: ["file": "\(path)", "error": "\(error)"])
                }
            }
            state.maintenance = task
            return task
        }
    }
}
